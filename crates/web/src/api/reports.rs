//! Daily reports (日报告), reporting schedules and special periods (特护期).

use super::extract::{ApiPath, ApiQuery};
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::reports::{DeclarePeriod, FileReport, ReportDay, ReportView};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// A unit code in your scope; your own unit when absent.
    pub unit: Option<String>,
    /// The day (YYYY-MM-DD), today in the office's time zone when absent.
    #[param(format = Date)]
    pub date: Option<String>,
}

/// A date parameter or body field, by name.
pub fn parse_date(field: &'static str, s: Option<&str>) -> ApiResult<Option<NaiveDate>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::field(field, "invalid_date")),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReportInput {
    /// A unit code in your scope; your own unit when absent.
    pub unit: Option<String>,
    /// YYYY-MM-DD; today when absent.
    pub date: Option<String>,
    /// The window's number (1 for the first of the day); the next open one when absent.
    pub window: Option<u32>,
    /// "Nothing to report" (无事报平安), said explicitly.
    #[serde(default)]
    pub nothing_to_report: bool,
    /// Incidents, one a line: about issues and places, never about a petitioner.
    #[serde(default)]
    pub incidents: String,
    #[serde(default)]
    pub notes: String,
    /// The leading group (领导小组) the report is filed under: one of the unit's own or
    /// of a unit above it, in force on the report's day.
    pub group_id: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ScheduleInput {
    pub unit: Option<String>,
    /// The subordinate units' deadlines, `HH:MM` separated by commas.
    pub windows: String,
    /// Minutes after each deadline by which the unit compiles its own report (30).
    pub compile_minutes: Option<u32>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PeriodInput {
    pub unit: Option<String>,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    /// The subordinate units' deadlines each day, `HH:MM` separated by commas.
    pub windows: String,
    /// Whether it applies to every unit below.
    #[serde(default)]
    pub subtree: bool,
    /// Whether weekends and holidays in the range have windows too.
    #[serde(default)]
    pub rest_days: bool,
}

#[derive(Serialize)]
pub struct Created {
    pub id: i64,
}

#[utoipa::path(get, path = "/api/v1/reports", tag = "duty", params(DayQuery),
    responses((status = 200, description = "The unit's reporting windows of the day, each with its status (submitted, late, missing or pending) and its direct subordinates'; the special period in force")))]
pub async fn day(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<ReportDay>> {
    let date = parse_date("date", q.date.as_deref())?;
    Ok(Json(
        state
            .report_day(&who.caller(), q.unit.as_deref(), date)
            .await?,
    ))
}

/// Files a report from the API's or a form's input.
pub async fn file(state: &AppState, who: &app::Caller, input: ReportInput) -> ApiResult<i64> {
    let file = FileReport {
        unit: input.unit,
        date: parse_date("date", input.date.as_deref())?,
        window: input.window,
        nothing_to_report: input.nothing_to_report,
        incidents: input.incidents,
        notes: input.notes,
        group_id: input.group_id,
    };
    Ok(state.file_report(who, &file).await?.id)
}

#[utoipa::path(post, path = "/api/v1/reports", tag = "duty", request_body = ReportInput,
    responses((status = 201, description = "Filed, with the figures filled in from the record; filing again for the same window files the next version")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<ReportInput>,
) -> ApiResult<(StatusCode, Json<ReportView>)> {
    let caller = who.caller();
    let id = file(&state, &caller, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(state.report_view(&caller, id).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "duty", params(("id" = i64, Path, description = "Report version id")),
    responses((status = 200, description = "One report version with its status and versions; for a parent, the roll-up: figures summed, subordinates' incidents, missing and late units flagged")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ReportView>> {
    Ok(Json(state.report_view(&who.caller(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/reports/schedule", tag = "duty", request_body = ScheduleInput,
    responses((status = 204, description = "The unit's standing schedule is set; units below without their own follow it")))]
pub async fn put_schedule(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<ScheduleInput>,
) -> ApiResult<StatusCode> {
    state
        .set_report_schedule(
            &who.caller(),
            input.unit.as_deref(),
            &input.windows,
            input.compile_minutes.unwrap_or(30),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declares a special period from the API's or a form's input.
pub async fn declare(state: &AppState, who: &app::Caller, p: PeriodInput) -> ApiResult<i64> {
    let (Some(starts_on), Some(ends_on)) = (
        parse_date("starts_on", Some(&p.starts_on))?,
        parse_date("ends_on", Some(&p.ends_on))?,
    ) else {
        return Err(ApiError::field("starts_on", "required"));
    };
    let input = DeclarePeriod {
        unit: p.unit,
        name: p.name,
        starts_on,
        ends_on,
        windows: p.windows,
        subtree: p.subtree,
        rest_days: p.rest_days,
    };
    Ok(state.declare_special_period(who, &input).await?)
}

#[utoipa::path(post, path = "/api/v1/reports/special-periods", tag = "duty", request_body = PeriodInput,
    responses((status = 201, description = "The special period is declared")))]
pub async fn create_period(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<PeriodInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = declare(&state, &who.caller(), input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(get, path = "/api/v1/reports/special-periods", tag = "duty",
    responses((status = 200, description = "Special periods in force or to come that govern your unit or lie in your scope")))]
pub async fn list_periods(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<app::model::SpecialPeriodRow>>> {
    Ok(Json(state.special_periods(&who.caller()).await?))
}
