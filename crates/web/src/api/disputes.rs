//! The dispute register (矛盾纠纷台账) in JSON: the list with its filters and its XLSX
//! export, entries with their plan, mediation record, linked petitions, outcome and
//! timeline, and the register's figures.

use super::exports::{file_download, parse_format};
use super::extract::{ApiPath, ApiQuery};
use super::stats_export::TableFormat;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::disputes::{DisputeInput, DisputeQuery};
use app::model::{Dispute, RegisterEvent};
use app::table_file::{table_bytes, Table};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::dispute::DisputeDraft;
use domain::register_event::DisputeEvent;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A unit's code: entries of its subtree (inside yours).
    pub unit: Option<String>,
    /// wage_arrears | land_compensation | restructuring | housing_demolition | environment | other
    #[param(
        pattern = "^(wage_arrears|land_compensation|restructuring|housing_demolition|environment|other)?$"
    )]
    pub kind: Option<String>,
    /// open | resolved | referred | unresolved
    #[param(pattern = "^(open|resolved|referred|unresolved)?$")]
    pub outcome: Option<String>,
    /// A region-code prefix.
    #[param(pattern = "^[0-9]{0,12}$")]
    pub region: Option<String>,
    /// `1`: only open entries with a step past its deadline and not done.
    #[param(pattern = "^(1|0|true|false)?$")]
    pub overdue: Option<String>,
    /// Words in the title, parties, address or hotspot.
    pub q: Option<String>,
    /// Entries a page (1–500); without it (and without `cursor`) the whole list, at
    /// most 5000.
    pub limit: Option<i64>,
    /// The `X-Next-Cursor` of the page before.
    #[param(pattern = "^[0-9]*$")]
    pub cursor: Option<String>,
}

impl ListQuery {
    pub fn query(&self) -> ApiResult<DisputeQuery> {
        let g = |o: &Option<String>| o.clone().unwrap_or_default();
        let overdue = match g(&self.overdue).trim() {
            "" | "0" | "false" => false,
            "1" | "true" => true,
            _ => return Err(ApiError::field("overdue", "invalid")),
        };
        Ok(DisputeQuery {
            unit: g(&self.unit),
            kind: g(&self.kind),
            outcome: g(&self.outcome),
            region: g(&self.region),
            overdue,
            text: g(&self.q),
            before: match g(&self.cursor).trim() {
                "" => None,
                c => Some(
                    c.parse::<i64>()
                        .map_err(|_| ApiError::field("cursor", "invalid"))?,
                ),
            },
        })
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DisputeBody {
    /// wage_arrears | land_compensation | restructuring | housing_demolition | environment | other
    pub kind: String,
    pub title: String,
    /// The region code (6, 9 or 12 digits).
    pub region: String,
    pub address: String,
    /// The parties as described: an employer, a village committee, "18 workers".
    pub parties: String,
    /// How many people are involved (1 or more).
    pub people: i64,
    /// ordinary | large | major
    pub scale: String,
    /// normal | urgent | critical
    pub urgency: String,
    /// The responsible unit's code (yours by default, or one below).
    pub unit: String,
    /// The owner leader's username (a user of the responsible unit) …
    pub owner_user: String,
    /// … or their name.
    pub owner_name: String,
    /// A hotspot's key, when the entry comes from one.
    pub hotspot: String,
    /// Petitions (case ids in your scope) to link; on creation only.
    pub cases: Vec<i64>,
}

impl From<DisputeBody> for DisputeInput {
    fn from(b: DisputeBody) -> Self {
        DisputeInput {
            draft: DisputeDraft {
                kind: b.kind,
                title: b.title,
                region: b.region,
                address: b.address,
                parties: b.parties,
                people: b.people.to_string(),
                scale: b.scale,
                urgency: b.urgency,
                hotspot: b.hotspot,
            },
            unit: b.unit,
            owner_user: b.owner_user,
            owner_name: b.owner_name,
            cases: b.cases,
        }
    }
}

#[utoipa::path(operation_id = "dispute_list", get, path = "/api/v1/disputes", tag = "disputes", params(ListQuery),
    responses((status = 200, description = "Entries of your subtree matching the filters, newest first; each with `overdue_steps`. With `limit` or `cursor`, one page of `limit` (50 by default), and the header `X-Next-Cursor` names the next page unless this is the last; otherwise the whole list (at most 5000)",
        headers(("X-Next-Cursor" = String, description = "The `cursor` of the next page (paged requests only)")))))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let dq = q.query()?;
    if q.limit.is_none() && dq.before.is_none() {
        return Ok(Json(state.disputes(&who.caller(), &dq).await?).into_response());
    }
    let limit = q.limit.unwrap_or(app::disputes::PAGE_SIZE);
    let page = state.dispute_page(&who.caller(), &dq, limit).await?;
    let mut res = Json(page.items).into_response();
    if let Some(n) = page.next {
        if let Ok(v) = axum::http::HeaderValue::from_str(&n.to_string()) {
            res.headers_mut().insert("x-next-cursor", v);
        }
    }
    Ok(res)
}

#[utoipa::path(operation_id = "dispute_create", post, path = "/api/v1/disputes", tag = "disputes", request_body = DisputeBody,
    responses((status = 201, description = "Entered, with its linked petitions; the timeline shows it"),
        (status = 403, description = "Only clerks, handlers, leaders and supervisors keep the register", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<DisputeBody>,
) -> ApiResult<(StatusCode, Json<Dispute>)> {
    let d = state.create_dispute(&who.caller(), &b.into()).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

#[utoipa::path(operation_id = "dispute_get", get, path = "/api/v1/disputes/{id}", tag = "disputes",
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "The entry with its steps, mediation record, linked petitions (in your scope) and outcome")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Dispute>> {
    Ok(Json(state.dispute(&who.caller(), id).await?))
}

#[utoipa::path(operation_id = "dispute_update", put, path = "/api/v1/disputes/{id}", tag = "disputes", request_body = DisputeBody,
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "Corrected (links are kept; use /cases to change them)"),
        (status = 403, description = "Your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<DisputeBody>,
) -> ApiResult<Json<Dispute>> {
    Ok(Json(
        state.update_dispute(&who.caller(), id, &b.into()).await?,
    ))
}

#[utoipa::path(operation_id = "dispute_events", get, path = "/api/v1/disputes/{id}/events", tag = "disputes",
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "The entry's timeline, oldest first: created, edited, step_added, step_done, mediation, case_linked, case_unlinked, closed")))]
pub async fn events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RegisterEvent<DisputeEvent>>>> {
    Ok(Json(state.dispute_timeline(&who.caller(), id).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StepBody {
    /// What is to be done.
    pub what: String,
    /// The deadline, YYYY-MM-DD.
    pub due_on: String,
    /// Who does it (a unit, an office or a person's name).
    pub assignee: String,
}

#[utoipa::path(operation_id = "dispute_add_step", post, path = "/api/v1/disputes/{id}/steps", tag = "disputes", request_body = StepBody,
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "The step is in the plan"),
        (status = 403, description = "Your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn add_step(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<StepBody>,
) -> ApiResult<Json<Dispute>> {
    let d = state
        .add_dispute_step(&who.caller(), id, &b.what, &b.due_on, &b.assignee)
        .await?;
    Ok(Json(d))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DoneBody {
    /// When it was done, YYYY-MM-DD (today by default).
    pub done_on: String,
}

#[utoipa::path(operation_id = "dispute_step_done", post, path = "/api/v1/disputes/{id}/steps/{step}/done", tag = "disputes", request_body = DoneBody,
    params(("id" = i64, Path, description = "Entry id"), ("step" = i64, Path, description = "Step id")),
    responses((status = 200, description = "The step is done"),
        (status = 403, description = "Your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn step_done(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath((id, step)): ApiPath<(i64, i64)>,
    JsonBody(b): JsonBody<DoneBody>,
) -> ApiResult<Json<Dispute>> {
    let d = state
        .complete_dispute_step(&who.caller(), id, step, &b.done_on)
        .await?;
    Ok(Json(d))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MediationBody {
    /// YYYY-MM-DD
    pub held_on: String,
    /// Who mediated.
    pub mediator: String,
    /// What was agreed.
    pub agreed: String,
}

#[utoipa::path(operation_id = "dispute_add_mediation", post, path = "/api/v1/disputes/{id}/mediations", tag = "disputes", request_body = MediationBody,
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "Recorded in the mediation record"),
        (status = 403, description = "Your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn add_mediation(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<MediationBody>,
) -> ApiResult<Json<Dispute>> {
    let d = state
        .add_mediation(&who.caller(), id, &b.held_on, &b.mediator, &b.agreed)
        .await?;
    Ok(Json(d))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LinkBody {
    /// Case ids in your scope.
    pub cases: Vec<i64>,
}

#[utoipa::path(operation_id = "dispute_link", post, path = "/api/v1/disputes/{id}/cases", tag = "disputes", request_body = LinkBody,
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "Linked (cases already linked are left as they are)"),
        (status = 403, description = "Your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<LinkBody>,
) -> ApiResult<Json<Dispute>> {
    Ok(Json(
        state
            .link_dispute_cases(&who.caller(), id, &b.cases)
            .await?,
    ))
}

#[utoipa::path(operation_id = "dispute_unlink", delete, path = "/api/v1/disputes/{id}/cases/{case}", tag = "disputes",
    params(("id" = i64, Path, description = "Entry id"), ("case" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Unlinked"),
        (status = 403, description = "Your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn unlink(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath((id, case)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<Dispute>> {
    Ok(Json(
        state.unlink_dispute_case(&who.caller(), id, case).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OutcomeBody {
    /// resolved | referred | unresolved
    pub outcome: String,
    /// For a referral: people_mediation | labour_arbitration | administrative_review | litigation | other
    pub channel: String,
    /// Why it stays unresolved (required then), or a note.
    pub note: String,
}

#[utoipa::path(operation_id = "dispute_close", post, path = "/api/v1/disputes/{id}/outcome", tag = "disputes", request_body = OutcomeBody,
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "Closed with its outcome; its steps no longer count as overdue"),
        (status = 403, description = "Your role does not keep the register", body = crate::error::ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<OutcomeBody>,
) -> ApiResult<Json<Dispute>> {
    let d = state
        .close_dispute(&who.caller(), id, &b.outcome, &b.channel, &b.note)
        .await?;
    Ok(Json(d))
}

/// The list as a file, in the reader's language.
pub async fn list_file(
    state: &AppState,
    who: &crate::auth::Principal,
    t: &Tr,
    q: &ListQuery,
    format: Option<&str>,
) -> ApiResult<Response> {
    let format = parse_format(format)?;
    let rows = state.disputes(&who.caller(), &q.query()?).await?;
    let headings: Vec<String> = [
        "id", "title", "kind", "unit", "region", "address", "parties", "people", "scale",
        "urgency", "owner", "outcome", "overdue", "hotspot",
    ]
    .iter()
    .map(|h| t.code("dsfield", h))
    .collect();
    let rows = rows.into_iter().map(|r| {
        vec![
            r.id.to_string(),
            r.title,
            t.code("dkind", &r.kind),
            r.unit_name,
            r.region,
            r.address,
            r.parties,
            r.people.to_string(),
            t.code("dscale", &r.scale),
            t.code("durgency", &r.urgency),
            r.owner_name,
            t.code("doutcome", &r.outcome),
            r.overdue_steps.to_string(),
            r.hotspot,
        ]
    });
    let table = Table {
        headings: &headings,
        numeric: &[0, 7, 12],
    };
    let bytes = table_bytes(format, &table, rows)?;
    file_download(format, "hearken-disputes", bytes)
}

#[utoipa::path(operation_id = "dispute_export", get, path = "/api/v1/disputes/export", tag = "disputes", params(ListQuery, TableFormat),
    responses((status = 200, description = "The filtered list as an XLSX (default) or CSV file, in your language")))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<ListQuery>,
    ApiQuery(f): ApiQuery<TableFormat>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    list_file(&state, &who, &t, &q, f.format.as_deref()).await
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// kind (default) | outcome | unit (the holding unit's code)
    #[param(pattern = "^(kind|outcome|unit)?$")]
    pub by: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisputeVolumeRow {
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisputeStats {
    pub by: String,
    pub rows: Vec<DisputeVolumeRow>,
    pub total: i64,
    /// Overdue steps of open entries in your subtree.
    pub overdue_steps: i64,
    /// Open entries with at least one overdue step.
    pub overdue_entries: i64,
}

#[utoipa::path(operation_id = "dispute_stats", get, path = "/api/v1/stats/disputes", tag = "stats", params(StatsQuery),
    responses((status = 200, description = "The number of dispute entries in your subtree by kind, outcome or holding unit, with the overdue steps. Each key lists its entries through `GET /api/v1/disputes?kind=…|outcome=…|unit=…`", body = DisputeStats)))]
pub async fn stats(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<DisputeStats>> {
    let by =
        q.by.clone()
            .filter(|b| !b.is_empty())
            .unwrap_or("kind".into());
    let who = who.caller();
    let rows = state.dispute_volume(&who, &by).await?;
    let overdue = state.overdue_dispute_units(&who).await?;
    let top = overdue.iter().find(|u| u.depth == 0);
    Ok(Json(DisputeStats {
        total: rows.iter().map(|r| r.1).sum(),
        rows: rows
            .into_iter()
            .map(|(key, count)| DisputeVolumeRow { key, count })
            .collect(),
        by,
        overdue_steps: top.map(|u| u.steps).unwrap_or(0),
        overdue_entries: top.map(|u| u.entries).unwrap_or(0),
    }))
}
