//! The entry page's forms: add a step, mark one done, record a mediation, link and
//! unlink petitions, record the outcome. A refusal re-renders the entry page with the
//! values typed and the fields named.

use super::dispute_pages::{case_ids, form_error, show_entry};
use super::{csrf_ok, csrf_refused, error_page, tr};
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::ReqLang;
use crate::state::AppState;
use app::model::Dispute;
use app::AppResult;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;

type Fields = HashMap<String, String>;

/// Runs one change and answers with the entry page.
async fn finish(
    state: &AppState,
    lang: crate::i18n::Lang,
    who: &crate::auth::Principal,
    id: i64,
    f: Fields,
    result: Result<Dispute, ApiError>,
) -> Response {
    let t = tr(state, lang);
    match result {
        Ok(_) => Redirect::to(&format!("/staff/disputes/{id}?saved=1")).into_response(),
        Err(e) if matches!(e, ApiError::Validation(_)) => {
            let msg = form_error(&t, &e);
            show_entry(state, t, who, id, f, None, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(who), &e),
    }
}

fn g(f: &Fields, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

fn api<T>(r: AppResult<T>) -> Result<T, ApiError> {
    r.map_err(ApiError::from)
}

macro_rules! guard {
    ($state:expr, $lang:expr, $who:expr, $f:expr) => {
        if !csrf_ok(&$who, $f.get("csrf").map(String::as_str).unwrap_or("")) {
            return csrf_refused(&tr(&$state, $lang), &$who);
        }
    };
}

pub async fn add_step(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    guard!(state, lang, who, f);
    let r = api(state
        .add_dispute_step(
            &who.caller(),
            id,
            &g(&f, "what"),
            &g(&f, "due_on"),
            &g(&f, "assignee"),
        )
        .await);
    finish(&state, lang, &who, id, f, r).await
}

pub async fn step_done(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, step)): Path<(i64, i64)>,
    Form(f): Form<Fields>,
) -> Response {
    guard!(state, lang, who, f);
    let r = api(state
        .complete_dispute_step(&who.caller(), id, step, &g(&f, "done_on"))
        .await);
    finish(&state, lang, &who, id, f, r).await
}

pub async fn add_mediation(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    guard!(state, lang, who, f);
    let r = api(state
        .add_mediation(
            &who.caller(),
            id,
            &g(&f, "held_on"),
            &g(&f, "mediator"),
            &g(&f, "agreed"),
        )
        .await);
    finish(&state, lang, &who, id, f, r).await
}

pub async fn link(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    guard!(state, lang, who, f);
    let r = match case_ids(&state, &who, &g(&f, "cases")).await {
        Ok(ids) => api(state.link_dispute_cases(&who.caller(), id, &ids).await),
        Err(e) => Err(e),
    };
    finish(&state, lang, &who, id, f, r).await
}

pub async fn unlink(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, case)): Path<(i64, i64)>,
    Form(f): Form<Fields>,
) -> Response {
    guard!(state, lang, who, f);
    let r = api(state.unlink_dispute_case(&who.caller(), id, case).await);
    finish(&state, lang, &who, id, HashMap::new(), r).await
}

pub async fn close(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    guard!(state, lang, who, f);
    let r = api(state
        .close_dispute(
            &who.caller(),
            id,
            &g(&f, "outcome"),
            &g(&f, "channel"),
            &g(&f, "note"),
        )
        .await);
    finish(&state, lang, &who, id, f, r).await
}
