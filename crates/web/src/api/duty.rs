//! The duty roster (值班) and handovers (交接班).

use super::extract::{ApiPath, ApiQuery};
use super::reports::parse_date;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::duty::{DutyTeam, RosterWeek};
use app::model::{HandoverRow, ShiftRow};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::duty::roster::{default_start, OnDuty, ShiftPlan};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// A unit code in your scope; your own unit when absent.
    pub unit: Option<String>,
    /// The first day (YYYY-MM-DD); this week's Monday when absent.
    #[param(format = Date)]
    pub from: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PersonInput {
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ShiftInput {
    /// YYYY-MM-DD
    pub day: String,
    /// HH:MM local; 08:30 when absent. The shift lasts 24 hours.
    pub starts_at: Option<String>,
    pub leader: PersonInput,
    pub staff: Vec<PersonInput>,
    /// The leading group (领导小组) the shift is filed under: one of the unit's own or of
    /// a unit above it, in force on `day` (see `GET /api/v1/leading-groups?for_unit=`).
    pub group_id: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RosterInput {
    pub unit: Option<String>,
    pub shifts: Vec<ShiftInput>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CopyInput {
    pub unit: Option<String>,
    /// The first day of the week to copy.
    pub from: String,
    /// The first day of the week to fill.
    pub to: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SwapInput {
    /// `leader`, or `staff:N` (0-based).
    pub slot: String,
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct HandoverInput {
    /// What is pending: open incidents, cases that need attention, calls expected.
    pub pending: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AckInput {
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize)]
pub struct Copied {
    pub copied: usize,
}

fn person(p: PersonInput) -> OnDuty {
    OnDuty {
        name: p.name,
        phone: p.phone,
    }
}

/// The shifts of a roster input, with their dates and times read.
pub fn plans(shifts: Vec<ShiftInput>) -> ApiResult<Vec<ShiftPlan>> {
    shifts
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let day = parse_date("day", Some(&s.day))?
                .ok_or_else(|| ApiError::field(&format!("shifts[{i}].day"), "required"))?;
            let starts_at = match s
                .starts_at
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                None => default_start(),
                Some(t) => chrono::NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| {
                    ApiError::field(&format!("shifts[{i}].starts_at"), "invalid_window_time")
                })?,
            };
            Ok(ShiftPlan {
                day,
                starts_at,
                leader: person(s.leader),
                staff: s.staff.into_iter().map(person).collect(),
                group_id: s.group_id,
            })
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/duty/roster", tag = "duty", params(WeekQuery),
    responses((status = 200, description = "Seven days of the unit's roster: each day's 24-hour shift with its leader on duty, staff on duty, phones and swaps")))]
pub async fn week(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<RosterWeek>> {
    let from = parse_date("from", q.from.as_deref())?;
    Ok(Json(
        state
            .roster_week(&who.caller(), q.unit.as_deref(), from)
            .await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/duty/roster", tag = "duty", request_body = RosterInput,
    responses((status = 204, description = "The shifts are planned (a day already planned is replanned)")))]
pub async fn plan(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<RosterInput>,
) -> ApiResult<StatusCode> {
    let shifts = plans(input.shifts)?;
    state
        .plan_shifts(&who.caller(), input.unit.as_deref(), &shifts)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/duty/roster/copy", tag = "duty", request_body = CopyInput,
    responses((status = 200, description = "The week is copied forward")))]
pub async fn copy(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<CopyInput>,
) -> ApiResult<Json<Copied>> {
    let (Some(from), Some(to)) = (
        parse_date("from", Some(&input.from))?,
        parse_date("to", Some(&input.to))?,
    ) else {
        return Err(ApiError::field("from", "required"));
    };
    let copied = state
        .copy_week(&who.caller(), input.unit.as_deref(), from, to)
        .await?;
    Ok(Json(Copied { copied }))
}

#[utoipa::path(post, path = "/api/v1/duty/shifts/{id}/swap", tag = "duty", request_body = SwapInput,
    params(("id" = i64, Path, description = "Shift id")),
    responses((status = 200, description = "The person is swapped; the shift keeps a record of who swapped whom")))]
pub async fn swap(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<SwapInput>,
) -> ApiResult<Json<ShiftRow>> {
    let to = OnDuty {
        name: input.name,
        phone: input.phone,
    };
    Ok(Json(
        state
            .swap_duty(&who.caller(), id, &input.slot, &to, &input.reason)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/duty/current", tag = "duty",
    responses((status = 200, description = "The teams on duty now in your unit and its parent")))]
pub async fn current(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<DutyTeam>>> {
    Ok(Json(state.duty_teams(&who.caller()).await?))
}

#[utoipa::path(get, path = "/api/v1/duty/handovers", tag = "duty", params(WeekQuery),
    responses((status = 200, description = "The unit's handovers, newest first, with who wrote and who acknowledged each, and when")))]
pub async fn handovers(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<Vec<HandoverRow>>> {
    Ok(Json(
        state.handovers(&who.caller(), q.unit.as_deref()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/duty/handovers", tag = "duty", request_body = HandoverInput,
    responses((status = 201, description = "The outgoing team's handover is written, timed, against the current shift")))]
pub async fn write_handover(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<HandoverInput>,
) -> ApiResult<(StatusCode, Json<HandoverRow>)> {
    let caller = who.caller();
    let id = state.write_handover(&caller, &input.pending).await?;
    let all = state.handovers(&caller, None).await?;
    let row = all
        .into_iter()
        .find(|h| h.id == id)
        .ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(row)))
}

#[utoipa::path(post, path = "/api/v1/duty/handovers/{id}/ack", tag = "duty", request_body = AckInput,
    params(("id" = i64, Path, description = "Handover id")),
    responses((status = 200, description = "The incoming team acknowledged it, timed")))]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<AckInput>,
) -> ApiResult<Json<HandoverRow>> {
    Ok(Json(
        state
            .acknowledge_handover(&who.caller(), id, &input.note)
            .await?,
    ))
}
