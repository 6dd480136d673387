//! Leading groups (领导小组) in JSON, and the XLSX/CSV exports of the plans, incidents and
//! groups lists.

use super::exports::{file_download, parse_format};
use super::extract::{ApiPath, ApiQuery};
use super::stats_export::TableFormat;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::i18n::ReqLang;
use crate::state::AppState;
use app::leading_groups::{GroupFilings, GroupInput, LeadingGroup, WorkingGroup};
use app::plans::{GroupEvent, RegisterEvent};
use app::table_file::{table_bytes, Table};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::plans::Member;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WorkingGroupBody {
    pub name: String,
    #[serde(default)]
    pub duties: String,
    /// `{"name","phone"}` for a named person, `{"username","phone"}` for a user of the
    /// group's unit subtree (the group then shows on their dashboard for its period).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub members: Vec<Member>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct GroupBody {
    /// The unit's code; your own unit by default.
    pub unit: Option<String>,
    pub name: String,
    /// `YYYY-MM-DD`
    pub starts_on: String,
    /// `YYYY-MM-DD`, not before `starts_on`.
    pub ends_on: String,
    /// The head (组长): a name, or `@username`.
    pub head: String,
    #[serde(default)]
    pub head_phone: String,
    /// Deputies (副组长), as written.
    #[serde(default)]
    pub deputies: String,
    /// The group's office (办公室): where and who.
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub working_groups: Vec<WorkingGroupBody>,
    /// When changing a group: the version you changed (a later one answers 409).
    pub version: Option<i64>,
}

impl GroupBody {
    fn input(self) -> GroupInput {
        GroupInput {
            unit: self.unit,
            name: self.name,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            head: self.head,
            head_phone: self.head_phone,
            deputies: self.deputies,
            office: self.office,
            working_groups: self
                .working_groups
                .into_iter()
                .map(|w| WorkingGroup {
                    name: w.name,
                    duties: w.duties,
                    members: w.members,
                })
                .collect(),
            version: self.version,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupsQuery {
    /// Only groups in force that day (`YYYY-MM-DD`).
    pub on: Option<String>,
    /// Instead of your subtree's groups: those a shift or report of this unit (a code
    /// in your scope) may be filed under on `on` (today when absent), the unit's own
    /// and those of the units above it.
    pub for_unit: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/leading-groups", tag = "plans", params(GroupsQuery),
    responses((status = 200, description = "Leading groups of your subtree, latest period first")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<GroupsQuery>,
) -> ApiResult<Json<Vec<LeadingGroup>>> {
    let caller = who.caller();
    if let Some(unit) = q.for_unit.as_deref() {
        let on = super::reports::parse_date("on", q.on.as_deref())?
            .unwrap_or_else(|| state.config.today());
        let groups = state.groups_for_filing(&caller, Some(unit), on, on).await?;
        return Ok(Json(groups));
    }
    Ok(Json(state.leading_groups(&caller, q.on.as_deref()).await?))
}

#[utoipa::path(post, path = "/api/v1/leading-groups", tag = "plans", request_body = GroupBody,
    responses((status = 201, description = "Created; its members with accounts see it on their dashboard while its period runs"),
        (status = 403, description = "Only supervisors, leaders, the duty desk and admins keep groups", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<GroupBody>,
) -> ApiResult<(StatusCode, Json<LeadingGroup>)> {
    let g = state
        .create_leading_group(&who.caller(), &b.input())
        .await?;
    Ok((StatusCode::CREATED, Json(g)))
}

#[utoipa::path(put, path = "/api/v1/leading-groups/{id}", tag = "plans", request_body = GroupBody,
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, description = "Changed: the group's next version; its timeline names each field that changed, from what to what (a body that changes nothing writes nothing)"),
        (status = 403, description = "Only supervisors, leaders, the duty desk and admins keep groups", body = crate::error::ErrorBody),
        (status = 409, description = "`version` is not the group's current version", body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<GroupBody>,
) -> ApiResult<Json<LeadingGroup>> {
    Ok(Json(
        state
            .update_leading_group(&who.caller(), id, &b.input())
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/leading-groups/{id}/filings", tag = "plans",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, description = "The duty shifts and daily reports filed under the group, of the units in your scope")))]
pub async fn filings(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<GroupFilings>> {
    Ok(Json(state.group_filings(&who.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/leading-groups/{id}", tag = "plans",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, description = "The group with its working groups")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<LeadingGroup>> {
    Ok(Json(state.leading_group(&who.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/leading-groups/{id}/events", tag = "plans",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, description = "The group's timeline")))]
pub async fn group_events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RegisterEvent<GroupEvent>>>> {
    Ok(Json(state.leading_group_timeline(&who.caller(), id).await?))
}

/// One of the three lists as a file, headed in the reader's language.
pub async fn list_file(
    state: &AppState,
    who: &crate::auth::Principal,
    t: &crate::i18n::Tr,
    which: &str,
    format: Option<&str>,
    filter: Option<&str>,
) -> ApiResult<Response> {
    let format = parse_format(format)?;
    let caller = who.caller();
    let (keys, rows): (&[&str], Vec<Vec<String>>) = match which {
        "plans" => (
            &[
                "plan-name",
                "plan-unit",
                "plan-version",
                "plan-trigger",
                "plan-group",
            ],
            state
                .plans(&caller, filter)
                .await?
                .into_iter()
                .map(|p| {
                    vec![
                        p.name,
                        p.unit_name,
                        p.current_version.to_string(),
                        p.group_visit_min.map(|n| n.to_string()).unwrap_or_default(),
                        p.group_name.unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        "incidents" => (
            &[
                "incident-no",
                "incident-title",
                "plan-version",
                "incident-state",
                "incident-opened",
                "incident-tasks",
            ],
            state
                .incidents(&caller, filter)
                .await?
                .into_iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.title,
                        i.plan_version.to_string(),
                        t.code("incident-state", &i.state),
                        crate::views::local_time(state, i.opened_at),
                        i.tasks.len().to_string(),
                    ]
                })
                .collect(),
        ),
        _ => (
            &[
                "group-name",
                "plan-unit",
                "group-starts",
                "group-ends",
                "group-head",
                "group-office",
            ],
            state
                .leading_groups(&caller, filter)
                .await?
                .into_iter()
                .map(|g| {
                    vec![
                        g.name,
                        g.unit_name,
                        g.starts_on,
                        g.ends_on,
                        g.head,
                        g.office,
                    ]
                })
                .collect(),
        ),
    };
    let headings: Vec<String> = keys.iter().map(|k| t.t(k)).collect();
    let table = Table {
        headings: &headings,
        numeric: &[],
    };
    let bytes = table_bytes(format, &table, rows.into_iter())?;
    file_download(format, &format!("hearken-{which}"), bytes)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `q` for plans (part of the name), `state` for incidents (open|closed), `on` for
    /// groups (a day).
    pub filter: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/plans/export", tag = "plans", params(TableFormat, ExportQuery),
    responses((status = 200, description = "The plans list as an XLSX (default) or CSV file")))]
pub async fn export_plans(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(f): ApiQuery<TableFormat>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    list_file(
        &state,
        &who,
        &t,
        "plans",
        f.format.as_deref(),
        q.filter.as_deref(),
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/incidents/export", tag = "plans", params(TableFormat, ExportQuery),
    responses((status = 200, description = "The incidents list as an XLSX (default) or CSV file")))]
pub async fn export_incidents(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(f): ApiQuery<TableFormat>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    let filter = q.filter.as_deref();
    list_file(&state, &who, &t, "incidents", f.format.as_deref(), filter).await
}

#[utoipa::path(get, path = "/api/v1/leading-groups/export", tag = "plans", params(TableFormat, ExportQuery),
    responses((status = 200, description = "The leading groups list as an XLSX (default) or CSV file")))]
pub async fn export_groups(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(f): ApiQuery<TableFormat>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    list_file(
        &state,
        &who,
        &t,
        "groups",
        f.format.as_deref(),
        q.filter.as_deref(),
    )
    .await
}
