//! The owner leader of a case (包案) and who must attend a group visit (集体访).

use super::extract::ApiPath;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::ownership::Attendance;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OwnerInput {
    /// The username of a leader in your scope.
    pub user: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AttendedInput {
    /// Usernames of the people who came.
    pub attended: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/owner", tag = "cases", request_body = OwnerInput,
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 204, description = "The leader now owns the case"), (status = 422, description = "Not a leader in your scope", body = crate::error::ErrorBody)))]
pub async fn set_owner(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<OwnerInput>,
) -> ApiResult<StatusCode> {
    state.assign_owner(&who.caller(), id, &input.user).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attendance", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Who must attend the group visit (20+: the unit's principal leaders; 5–19: the deputy in charge and the department head; the owner leader always), who was told and who came")))]
pub async fn get_attendance(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Attendance>> {
    Ok(Json(state.attendance(&who.caller(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attendance/notify", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Everyone who must attend has been told in the app")))]
pub async fn notify_attendance(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Attendance>> {
    Ok(Json(state.notify_attendance(&who.caller(), id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attendance", tag = "cases", request_body = AttendedInput,
    params(("id" = i64, Path, description = "Case id")), responses((status = 200, description = "Attendance recorded")))]
pub async fn record_attendance(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<AttendedInput>,
) -> ApiResult<Json<Attendance>> {
    Ok(Json(
        state
            .record_attendance(&who.caller(), id, &input.attended)
            .await?,
    ))
}
