//! The case page's owner-leader and group-visit forms.

use super::{csrf_ok, csrf_refused, error_page, tr};
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::ReqLang;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;

use super::forms::{get, Fields};

async fn done(
    state: &AppState,
    lang: crate::i18n::Lang,
    who: &crate::auth::Principal,
    id: i64,
    r: Result<(), app::AppError>,
) -> Response {
    let t = tr(state, lang);
    match r.map_err(ApiError::from) {
        Ok(()) => Redirect::to(&format!("/staff/cases/{id}?saved=1")).into_response(),
        Err(ApiError::Validation(errors)) => {
            let msg = super::forms::errors_line(&t, &errors);
            let page = super::case::show(state, t, who, id, None, Some(msg)).await;
            (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
        Err(e) => error_page(&t, Some(who), &e),
    }
}

pub async fn set_owner(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&tr(&state, lang), &who);
    }
    let user = f.get("user").cloned().unwrap_or_default();
    let r = state.assign_owner(&who.caller(), id, &user).await;
    done(&state, lang, &who, id, r).await
}

pub async fn notify_attendance(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&tr(&state, lang), &who);
    }
    let r = state.notify_attendance(&who.caller(), id).await.map(|_| ());
    done(&state, lang, &who, id, r).await
}

pub async fn record_attendance(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&tr(&state, lang), &who);
    }
    let attended: Vec<String> = f
        .iter()
        .filter(|(k, _)| k == "attended")
        .map(|(_, v)| v.clone())
        .collect();
    let r = state
        .record_attendance(&who.caller(), id, &attended)
        .await
        .map(|_| ());
    done(&state, lang, &who, id, r).await
}
