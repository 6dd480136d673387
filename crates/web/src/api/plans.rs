//! Emergency plans (应急预案) and incidents in JSON: keeping versioned plans, the proposals
//! a registered group visit raises, activation, the incident's tasks, log and closure
//! with its after-action review, and each entry's timeline.

use super::extract::{ApiPath, ApiQuery};
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::plans::PlanInput;
use app::plans::{Incident, IncidentEvent, Plan, PlanEvent, PlanRow, Proposal, RegisterEvent};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::plans::{Contact, PlanBody, Resource, Team, Trigger};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PlanRequest {
    /// The unit's code; your own unit by default. It must be in your subtree.
    pub unit: Option<String>,
    /// The leading group the plan is filed under, if any.
    pub group_id: Option<i64>,
    pub name: String,
    /// At least one of `{"kind":"group_visit","min_people":50}`, `{"kind":"critical_hazard"}`,
    /// `{"kind":"manual"}`.
    #[schema(value_type = Vec<Object>)]
    pub triggers: Vec<Trigger>,
    /// Teams: `{"name","role","members":[{"name","phone"} or {"username","phone"}]}`. A
    /// member given by `username` must be a user of the plan's unit subtree and is told
    /// in the app when the plan is activated.
    #[schema(value_type = Vec<Object>)]
    pub teams: Vec<Team>,
    /// `{"kind": vehicle|fund|communication|other, "description", "quantity"}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub steps: Vec<String>,
    /// The contact tree: `{"name","phone","reports_to"}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub contacts: Vec<Contact>,
}

impl PlanRequest {
    fn input(self) -> PlanInput {
        PlanInput {
            unit: self.unit,
            group_id: self.group_id,
            name: self.name,
            body: PlanBody {
                triggers: self.triggers,
                teams: self.teams,
                resources: self.resources,
                steps: self.steps,
                contacts: self.contacts,
            },
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlansQuery {
    /// Part of the plan's name.
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", params(PlansQuery),
    responses((status = 200, description = "Plans of your subtree, by name, each with its version in force and its group-visit trigger")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<PlansQuery>,
) -> ApiResult<Json<Vec<PlanRow>>> {
    Ok(Json(state.plans(&who.caller(), q.q.as_deref()).await?))
}

#[utoipa::path(post, path = "/api/v1/plans", tag = "plans", request_body = PlanRequest,
    responses((status = 201, description = "Created at version 1"),
        (status = 403, description = "Only supervisors, leaders, the duty desk and admins keep plans", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<PlanRequest>,
) -> ApiResult<(StatusCode, Json<Plan>)> {
    let p = state.create_plan(&who.caller(), &b.input()).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, description = "The plan: its version in force (`current_version`, `body`) and the list of its versions")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Plan>> {
    Ok(Json(state.plan(&who.caller(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/plans/{id}", tag = "plans", request_body = PlanRequest,
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, description = "Revised: a new version, now in force. Incidents already running keep the version they started with")))]
pub async fn revise(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<PlanRequest>,
) -> ApiResult<Json<Plan>> {
    Ok(Json(
        state.revise_plan(&who.caller(), id, &b.input()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/events", tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, description = "The plan's timeline: created, revised, proposed (a trigger met), activated")))]
pub async fn plan_events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RegisterEvent<PlanEvent>>>> {
    Ok(Json(state.plan_timeline(&who.caller(), id).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ActivateBody {
    /// The case (a group visit) the activation answers, if any.
    pub case_id: Option<i64>,
    /// The critical hazard whose proposal the activation answers, if any (instead of a
    /// case).
    pub hazard_id: Option<i64>,
    /// The teams' first tasks are due then (`YYYY-MM-DDTHH:MM`, office time); two hours
    /// from now by default.
    pub due_at: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/activate", tag = "plans", request_body = ActivateBody,
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 201, description = "Activated by a person: an incident on the version in force, a task for each team, and an in-app notification to every team member with an account"),
        (status = 403, description = "Only supervisors, leaders, the duty desk and admins activate", body = crate::error::ErrorBody)))]
pub async fn activate(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<ActivateBody>,
) -> ApiResult<(StatusCode, Json<Incident>)> {
    let i = match b.hazard_id {
        Some(h) => {
            state
                .activate_plan_for_hazard(&who.caller(), id, h, b.due_at.as_deref())
                .await?
        }
        None => {
            state
                .activate_plan(&who.caller(), id, b.case_id, b.due_at.as_deref())
                .await?
        }
    };
    Ok((StatusCode::CREATED, Json(i)))
}

#[derive(Serialize)]
pub struct ProposalOut {
    #[serde(flatten)]
    pub p: Proposal,
    pub may_activate: bool,
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/plan-proposals", tag = "plans",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Plans whose trigger the case's registration met (a proposal: nothing is activated until a person decides), with the incident once activated")))]
pub async fn case_proposals(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<ProposalOut>>> {
    let caller = who.caller();
    state.case_summary(&caller.scope(), id).await?;
    let list = state.case_proposals(&caller, id).await?;
    Ok(Json(
        list.into_iter()
            .map(|c| ProposalOut {
                p: c.p,
                may_activate: c.may_activate,
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentsQuery {
    /// open | closed
    #[param(pattern = "^(open|closed)?$")]
    pub state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/incidents", tag = "plans", params(IncidentsQuery),
    responses((status = 200, description = "Incidents of your subtree, newest first")))]
pub async fn incidents(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<IncidentsQuery>,
) -> ApiResult<Json<Vec<Incident>>> {
    Ok(Json(
        state.incidents(&who.caller(), q.state.as_deref()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "plans",
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 200, description = "The incident with the plan version it runs, its tasks and, once closed, its after-action review")))]
pub async fn incident(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Incident>> {
    Ok(Json(state.incident(&who.caller(), id).await?))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}/events", tag = "plans",
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 200, description = "The incident's timeline: opened, task_assigned, task_done, log, closed")))]
pub async fn incident_events(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RegisterEvent<IncidentEvent>>>> {
    Ok(Json(state.incident_timeline(&who.caller(), id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TaskBody {
    pub team: String,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` (office time) or a date.
    pub due_at: String,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/tasks", tag = "plans", request_body = TaskBody,
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 201, description = "Assigned; the timeline shows it")))]
pub async fn add_task(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<TaskBody>,
) -> ApiResult<(StatusCode, Json<Incident>)> {
    let i = state
        .add_incident_task(&who.caller(), id, &b.team, &b.title, &b.due_at)
        .await?;
    Ok((StatusCode::CREATED, Json(i)))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct DoneBody {
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/tasks/{task}/done", tag = "plans", request_body = DoneBody,
    params(("id" = i64, Path, description = "Incident id"), ("task" = i64, Path, description = "Task id")),
    responses((status = 200, description = "Done; the timeline shows who and when")))]
pub async fn finish_task(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath((id, task)): ApiPath<(i64, i64)>,
    JsonBody(b): JsonBody<DoneBody>,
) -> ApiResult<Json<Incident>> {
    Ok(Json(
        state
            .finish_incident_task(&who.caller(), id, task, &b.note)
            .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LogBody {
    pub text: String,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/log", tag = "plans", request_body = LogBody,
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 204, description = "Written to the incident's log")))]
pub async fn log(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<LogBody>,
) -> ApiResult<StatusCode> {
    state.log_incident(&who.caller(), id, &b.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CloseBody {
    /// What happened.
    pub happened: String,
    /// What worked.
    pub worked: String,
    /// What to improve.
    pub improve: String,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/close", tag = "plans", request_body = CloseBody,
    params(("id" = i64, Path, description = "Incident id")),
    responses((status = 200, description = "Closed with its after-action review"),
        (status = 403, description = "Only supervisors, leaders, the duty desk and admins close", body = crate::error::ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(b): JsonBody<CloseBody>,
) -> ApiResult<Json<Incident>> {
    let review = (b.happened.as_str(), b.worked.as_str(), b.improve.as_str());
    Ok(Json(state.close_incident(&who.caller(), id, review).await?))
}
