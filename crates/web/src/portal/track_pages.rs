//! The tracking pages: the lookup form, the case (or appointment) page, and the rating,
//! review and offer forms on it. A successful lookup keeps the number and code in a
//! short-lived cookie, so that the page survives a reload or a language switch.

use super::case_view::{appointment_page, case_page, ViewQuery};
use super::limit::{self, Bucket};
use super::track::{self, Found, PetitionerRequest, Refusal};
use super::{
    clear_track_cookie, csrf_token, csrf_valid, instance, limited_page, track_cookie, tracked,
    with_cookie,
};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::{render, tr};
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "portal_track.html")]
struct LookupPage {
    t: Tr,
    current: &'static str,
    csrf: String,
    number: String,
    error: Option<String>,
}

fn lookup_page(
    state: &AppState,
    t: Tr,
    headers: &HeaderMap,
    number: &str,
    error: Option<String>,
) -> Response {
    let (csrf, set) = csrf_token(state, headers);
    let status = match &error {
        None => StatusCode::OK,
        Some(_) => StatusCode::NOT_FOUND,
    };
    let page = LookupPage {
        t,
        current: "track",
        csrf,
        number: number.to_string(),
        error,
    };
    with_cookie(set, (status, render(&page)).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
) -> Response {
    lookup_page(&state, tr(&state, lang), &headers, "", None)
}

#[derive(Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
}

pub async fn lookup(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LookupForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_valid(&headers, &f.csrf) {
        let msg = t.t("err-csrf-mismatch");
        return lookup_page(&state, t, &headers, &f.number, Some(msg));
    }
    if let Err(l) = limit::hit(&instance(&state), Bucket::Track, addr.ip()) {
        return limited_page(&t, l, "/track");
    }
    let number = f.number.trim().to_ascii_uppercase();
    match track::find(&state, &number, &f.code).await {
        Ok(Some(_)) => {
            let code: String = f
                .code
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            let cookie = track_cookie(&state, &number, &code.to_ascii_uppercase());
            ([(header::SET_COOKIE, cookie)], Redirect::to("/track/view")).into_response()
        }
        Ok(None) => {
            let msg = t.t("portal-track-not-found");
            lookup_page(&state, t, &headers, &number, Some(msg))
        }
        Err(e) => super::message_page(
            &t,
            e.status(),
            t.code("status", e.status().as_str()),
            t.code("err", e.code()),
            "/track",
        ),
    }
}

/// What the browser's cookie finds; a cookie that finds nothing counts as a failed
/// attempt and is cleared.
async fn held(state: &AppState, headers: &HeaderMap, addr: SocketAddr) -> Result<Found, Response> {
    let found = match tracked(headers) {
        Some((n, c)) => track::find(state, &n, &c).await.ok().flatten(),
        None => None,
    };
    found.ok_or_else(|| {
        if tracked(headers).is_some() {
            limit::record(&instance(state), Bucket::Track, addr.ip());
        }
        (
            [(header::SET_COOKIE, clear_track_cookie(state))],
            Redirect::to("/track"),
        )
            .into_response()
    })
}

pub async fn view(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<ViewQuery>,
) -> Response {
    let t = tr(&state, lang);
    let found = match held(&state, &headers, addr).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (csrf, set) = csrf_token(&state, &headers);
    let res = match found {
        Found::Case(id) => match track::public_case(&state, id, t.is_en()).await {
            Ok(c) => case_page(t, csrf, c, q),
            Err(e) => super::message_page(
                &t,
                e.status(),
                t.code("status", e.status().as_str()),
                t.code("err", e.code()),
                "/track",
            ),
        },
        Found::Appointment(a) => appointment_page(t, csrf, &a, q),
    };
    with_cookie(set, res)
}

fn back_with(param: &str, value: &str) -> Response {
    Redirect::to(&format!("/track/view?{param}={value}")).into_response()
}

fn refused(r: Refusal) -> Response {
    match r {
        Refusal::Closed(reason) => back_with("error", reason),
        Refusal::Api(crate::error::ApiError::Validation(f)) => {
            let code = f
                .values()
                .next()
                .cloned()
                .unwrap_or_else(|| "required".into());
            back_with("error", &code)
        }
        Refusal::Api(crate::error::ApiError::IllegalTransition { .. }) => {
            back_with("error", "closed")
        }
        Refusal::Api(e) => {
            tracing::error!(error = %e, "petitioner action");
            back_with("error", "closed")
        }
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    reason: String,
}

async fn held_case(
    state: &AppState,
    headers: &HeaderMap,
    addr: SocketAddr,
    csrf: &str,
) -> Result<i64, Response> {
    if !csrf_valid(headers, csrf) {
        return Err(Redirect::to("/track/view").into_response());
    }
    match held(state, headers, addr).await? {
        Found::Case(id) => Ok(id),
        Found::Appointment(_) => Err(Redirect::to("/track/view").into_response()),
    }
}

/// A petitioner's request from the case page: back to the page with what was done, or
/// why not. `notice` names what was done.
async fn act(
    state: &AppState,
    headers: &HeaderMap,
    addr: SocketAddr,
    csrf: &str,
    request: PetitionerRequest,
    notice: fn(track::Action) -> &'static str,
) -> Response {
    let id = match held_case(state, headers, addr, csrf).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    match track::act(state, id, &request).await {
        Ok(action) => back_with("notice", notice(action)),
        Err(r) => refused(r),
    }
}

pub async fn rate(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    let request = PetitionerRequest::Rate { rating: f.rating };
    act(&state, &headers, addr, &f.csrf, request, |_| "rated").await
}

pub async fn review(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    let request = PetitionerRequest::Review { reason: f.reason };
    act(
        &state,
        &headers,
        addr,
        &f.csrf,
        request,
        track::Action::as_str,
    )
    .await
}

pub async fn accept_offer(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    if !csrf_valid(&headers, &f.csrf) {
        return Redirect::to("/track/view").into_response();
    }
    let a = match held(&state, &headers, addr).await {
        Ok(Found::Appointment(a)) => a,
        Ok(Found::Case(_)) => return Redirect::to("/track/view").into_response(),
        Err(r) => return r,
    };
    match state.accept_offer(a.id).await {
        Ok(_) => back_with("notice", "offer_accepted"),
        Err(_) => back_with("error", "offer_gone"),
    }
}

pub async fn end(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<ActionForm>,
) -> Response {
    if !csrf_valid(&headers, &f.csrf) {
        return Redirect::to("/track/view").into_response();
    }
    (
        [(header::SET_COOKIE, clear_track_cookie(&state))],
        Redirect::to("/track"),
    )
        .into_response()
}
