//! The owner leader of a case (包案) and who must attend a group visit (集体访).

use super::extract::ApiPath;
use super::JsonBody;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::AttendanceRow;
use app::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::attendance::{required, Why};
use domain::Role;
use serde::{Deserialize, Serialize};

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

#[derive(Serialize, Clone)]
pub struct Required {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub why: Why,
}

#[derive(Serialize)]
pub struct Attendance {
    pub headcount: i64,
    /// Who must attend, by the group's size.
    pub required: Vec<Required>,
    /// Who was told, and who came.
    pub recorded: Vec<AttendanceRow>,
}

fn may_manage(who: &Principal) -> ApiResult<()> {
    who.require(domain::Permission::ManageOwnership)
}

/// Computes who must attend from the case's head count, its unit's leaders and its owner.
pub async fn attendance_of(state: &AppState, who: &Principal, id: i64) -> ApiResult<Attendance> {
    let scope = who.scope();
    let case = state.case_summary(&scope, id).await?;
    let unit = state.unit(case.unit_id).await?;
    let (unit_leaders, department_heads) = if unit.level == "department" {
        let heads = state.unit_staff(unit.id, &[Role::Leader]).await?;
        let leaders = match unit.parent_id {
            Some(p) => state.unit_staff(p, &[Role::Leader]).await?,
            None => vec![],
        };
        (leaders, heads)
    } else {
        (state.unit_staff(unit.id, &[Role::Leader]).await?, vec![])
    };
    let owner = state.case_owner(&scope, id).await?.map(|u| u.id);
    let mut people = vec![];
    for (uid, why) in required(case.headcount, &unit_leaders, &department_heads, owner) {
        let u = state.user(uid).await?;
        people.push(Required {
            user_id: uid,
            username: u.username,
            display_name: u.display_name,
            why,
        });
    }
    Ok(Attendance {
        headcount: case.headcount,
        required: people,
        recorded: state.attendance(&scope, id).await?,
    })
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
    assign_owner(&state, &who, id, &input.user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a leader in the caller's scope the case's owner.
pub async fn assign_owner(
    state: &AppState,
    who: &Principal,
    id: i64,
    username: &str,
) -> ApiResult<()> {
    may_manage(who)?;
    let owner = match state.user_by_name(username.trim()).await {
        Ok(u)
            if u.role == domain::Role::Leader && u.active && who.scope().contains(&u.unit_path) =>
        {
            u
        }
        Ok(_) | Err(AppError::NotFound) => {
            return Err(ApiError::field("user", "not_a_leader_in_scope"))
        }
        Err(e) => return Err(e.into()),
    };
    Ok(state
        .set_owner(&who.scope(), id, &owner, &who.actor())
        .await?)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attendance", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Who must attend the group visit (20+: the unit's principal leaders; 5–19: the deputy in charge and the department head; the owner leader always), who was told and who came")))]
pub async fn get_attendance(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Attendance>> {
    Ok(Json(attendance_of(&state, &who, id).await?))
}

/// Tells everyone who must attend (once each).
pub async fn notify(state: &AppState, who: &Principal, id: i64) -> ApiResult<Attendance> {
    may_manage(who)?;
    let a = attendance_of(state, who, id).await?;
    if a.required.is_empty() {
        return Err(ApiError::field("headcount", "not_a_group_visit"));
    }
    let people: Vec<(i64, String)> = a
        .required
        .iter()
        .map(|r| {
            (
                r.user_id,
                serde_json::to_value(r.why)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
            )
        })
        .collect();
    state
        .notify_attendance(&who.scope(), id, &people, &who.actor())
        .await?;
    attendance_of(state, who, id).await
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attendance/notify", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Everyone who must attend has been told in the app")))]
pub async fn notify_attendance(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Attendance>> {
    Ok(Json(notify(&state, &who, id).await?))
}

/// Records who came, by username.
pub async fn record(
    state: &AppState,
    who: &Principal,
    id: i64,
    usernames: &[String],
) -> ApiResult<Attendance> {
    may_manage(who)?;
    let a = attendance_of(state, who, id).await?;
    let mut ids = vec![];
    for name in usernames {
        match a.recorded.iter().find(|r| r.username == name.trim()) {
            Some(r) => ids.push(r.user_id),
            None => return Err(ApiError::field("attended", "not_notified")),
        }
    }
    state
        .record_attendance(&who.scope(), id, &ids, &who.actor())
        .await?;
    attendance_of(state, who, id).await
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attendance", tag = "cases", request_body = AttendedInput,
    params(("id" = i64, Path, description = "Case id")), responses((status = 200, description = "Attendance recorded")))]
pub async fn record_attendance(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<AttendedInput>,
) -> ApiResult<Json<Attendance>> {
    Ok(Json(record(&state, &who, id, &input.attended).await?))
}
