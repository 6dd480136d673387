//! Screening campaigns (排查) in JSON: open one for the units below, answer it for your
//! unit, and read its progress by unit.

use super::extract::ApiPath;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::{RegisterEvent, Screening, ScreeningRow};
use app::screenings::ScreeningInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::register_event::ScreeningEvent;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ScreeningBody {
    pub title: String,
    /// The sectors to screen, as free text.
    pub sectors: String,
    /// YYYY-MM-DD
    pub starts_on: String,
    /// YYYY-MM-DD, not before `starts_on`.
    pub ends_on: String,
    /// Codes of the covered units, each below yours.
    pub units: Vec<String>,
}

#[utoipa::path(operation_id = "screening_list", get, path = "/api/v1/screenings", tag = "disputes",
    responses((status = 200, description = "Campaigns your subtree issued or that cover a unit of it, newest first, with `units` and `answered`")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<ScreeningRow>>> {
    Ok(Json(state.screenings(&who.caller()).await?))
}

#[utoipa::path(operation_id = "screening_create", post, path = "/api/v1/screenings", tag = "disputes", request_body = ScreeningBody,
    responses((status = 201, description = "Opened; each covered unit is listed as not answered"),
        (status = 403, description = "Only leaders and supervisors open campaigns", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<ScreeningBody>,
) -> ApiResult<(StatusCode, Json<Screening>)> {
    let input = ScreeningInput {
        title: b.title,
        sectors: b.sectors,
        starts_on: b.starts_on,
        ends_on: b.ends_on,
        units: b.units,
    };
    let s = state.create_screening(&who.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

#[utoipa::path(operation_id = "screening_get", get, path = "/api/v1/screenings/{id}", tag = "disputes",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, description = "The campaign and each covered unit's answer: `nothing_found`, `found` (with `found` entries) or none yet")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Screening>> {
    Ok(Json(state.screening(&who.caller(), id).await?))
}

#[utoipa::path(operation_id = "screening_events", get, path = "/api/v1/screenings/{id}/events", tag = "disputes",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, description = "The campaign's timeline: created, answered")))]
pub async fn events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RegisterEvent<ScreeningEvent>>>> {
    Ok(Json(state.screening_timeline(&who.caller(), id).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnswerBody {
    /// nothing_found | found
    pub answer: String,
    /// With `found`: the dispute entries (ids in your scope) the screening found.
    pub disputes: Vec<i64>,
    pub note: String,
}

#[utoipa::path(operation_id = "screening_answer", post, path = "/api/v1/screenings/{id}/answer", tag = "disputes", request_body = AnswerBody,
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, description = "Your unit's answer (replacing an earlier one)"),
        (status = 403, description = "Your unit is not covered, or your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<AnswerBody>,
) -> ApiResult<Json<Screening>> {
    let s = state
        .answer_screening(&who.caller(), id, &b.answer, &b.note, &b.disputes)
        .await?;
    Ok(Json(s))
}
