//! Incidents as pages: the list, and one incident with its tasks by team, the forms to
//! assign and finish tasks and to write the log, the closure with its after-action
//! review, and the timeline of every step.

use super::plans_pages::{form_error, get, incident_event_rows, EventRow, Fields};
use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::plans::Incident;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::plans::IncidentState;

#[derive(Template)]
#[template(path = "incidents.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<(Incident, String)>,
    state_filter: String,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = tr(&state, lang);
    let filter = q.state.unwrap_or_default();
    let rows = match state.incidents(&who.caller(), Some(filter.as_str())).await {
        Ok(r) => r,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = ListPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        rows: rows
            .into_iter()
            .map(|i| {
                let at = super::local_time(&state, i.opened_at);
                (i, at)
            })
            .collect(),
        state_filter: filter,
        t,
    };
    render(&page)
}

/// The values a refused form had, so the page shows them again.
#[derive(Default)]
pub struct Typed {
    pub form: String,
    pub error: String,
    pub team: String,
    pub title: String,
    pub due_at: String,
    pub text: String,
    pub happened: String,
    pub worked: String,
    pub improve: String,
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    i: Incident,
    opened_at: String,
    closed_at: String,
    teams: Vec<String>,
    may_work: bool,
    may_close: bool,
    notice: Option<String>,
    typed: Typed,
    events: Vec<EventRow>,
}

async fn show(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    notice: Option<String>,
    typed: Typed,
) -> Response {
    let caller = who.caller();
    let i = match state.incident(&caller, id).await {
        Ok(i) => i,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let mut teams: Vec<String> = i.tasks.iter().map(|t| t.team.clone()).collect();
    teams.dedup();
    let events = state
        .incident_timeline(&caller, id)
        .await
        .unwrap_or_default();
    let open = i.state == IncidentState::Open;
    let role = who.role();
    let failed = !typed.error.is_empty();
    let page = IncidentPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        opened_at: super::local_time(state, i.opened_at),
        closed_at: i
            .closed_at
            .map(|c| super::local_time(state, c))
            .unwrap_or_default(),
        teams,
        may_work: open && role.is_some_and(domain::plans::may_work_incident),
        may_close: open && role.is_some_and(domain::plans::may_keep_plans),
        notice,
        typed,
        events: incident_event_rows(state, &t, &events),
        i,
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct Flags {
    opened: Option<String>,
    saved: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Query(f): Query<Flags>,
) -> Response {
    let t = tr(&state, lang);
    let notice = if f.opened.is_some() {
        Some(t.t("inc-opened"))
    } else if f.saved.is_some() {
        Some(t.t("inc-saved"))
    } else {
        None
    };
    show(&state, t, &who, id, notice, Typed::default()).await
}

/// What one of the incident's forms does.
enum Step {
    Task,
    Done(i64),
    Log,
    Close,
}

async fn step(state: &AppState, t: Tr, who: &Principal, id: i64, s: Step, f: Fields) -> Response {
    if !csrf_ok(who, get(&f, "csrf")) {
        return csrf_refused(&t, who);
    }
    let caller = who.caller();
    let (form, result) = match s {
        Step::Task => (
            "task",
            state
                .add_incident_task(
                    &caller,
                    id,
                    get(&f, "team"),
                    get(&f, "title"),
                    get(&f, "due_at"),
                )
                .await
                .map(|_| ()),
        ),
        Step::Done(task) => (
            "done",
            state
                .finish_incident_task(&caller, id, task, get(&f, "note"))
                .await
                .map(|_| ()),
        ),
        Step::Log => (
            "log",
            state
                .log_incident(&caller, id, get(&f, "text"))
                .await
                .map(|_| ()),
        ),
        Step::Close => {
            let review = (get(&f, "happened"), get(&f, "worked"), get(&f, "improve"));
            (
                "close",
                state.close_incident(&caller, id, review).await.map(|_| ()),
            )
        }
    };
    match result.map_err(ApiError::from) {
        Ok(()) => Redirect::to(&format!("/staff/incidents/{id}?saved=1")).into_response(),
        Err(e @ ApiError::Validation(_)) => {
            let typed = Typed {
                form: form.into(),
                error: form_error(&t, &e),
                team: get(&f, "team").into(),
                title: get(&f, "title").into(),
                due_at: get(&f, "due_at").into(),
                text: get(&f, "text").into(),
                happened: get(&f, "happened").into(),
                worked: get(&f, "worked").into(),
                improve: get(&f, "improve").into(),
            };
            show(state, t, who, id, None, typed).await
        }
        Err(e) => error_page(&t, Some(who), &e),
    }
}

pub async fn add_task(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    step(&state, tr(&state, lang), &who, id, Step::Task, f).await
}

pub async fn finish_task(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, task)): Path<(i64, i64)>,
    Form(f): Form<Fields>,
) -> Response {
    step(&state, tr(&state, lang), &who, id, Step::Done(task), f).await
}

pub async fn log(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    step(&state, tr(&state, lang), &who, id, Step::Log, f).await
}

pub async fn close(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    step(&state, tr(&state, lang), &who, id, Step::Close, f).await
}
