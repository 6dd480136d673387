//! The public portal: the home page with the channels, the procedure and the reception
//! schedule (`/`), online submission (`/submit`), tracking with the case number and the
//! query code (`/track`), rating and review requests, and leaders' reception with
//! appointments (`/reception`). No account, no JavaScript needed.
//!
//! Nothing here records who a petitioner is beyond what they type into a petition; the
//! rate limits count addresses in memory only (see [`limit`]).

mod case_view;
mod home;
pub mod how_to_track;
pub mod limit;
mod receipt;
pub mod reception;
mod reception_pages;
mod staff;
pub mod submit;
pub mod track;
mod track_pages;

use crate::auth::{cookie, random_token, same_secret, set_cookie};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::render;
use askama::Template;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use domain::calendar::Period;
use limit::Limited;

/// At most this many attachments to one online petition …
pub const MAX_FILES: usize = 5;
/// … together at most this large (the form's text fits in the rest).
pub const MAX_SUBMISSION_BYTES: usize = 21 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    let uploads = Router::new()
        .route("/submit", get(submit::form).post(submit::submit))
        .layer(DefaultBodyLimit::max(MAX_SUBMISSION_BYTES));
    Router::new()
        .route("/", get(home::page))
        .route("/submit/receipt", get(receipt::receipt))
        .route("/submit/receipt.txt", get(receipt::receipt_text))
        .route("/track", get(track_pages::form).post(track_pages::lookup))
        .route("/track/view", get(track_pages::view))
        .route("/track/rate", post(track_pages::rate))
        .route("/track/review", post(track_pages::review))
        .route("/track/accept-offer", post(track_pages::accept_offer))
        .route("/track/end", post(track_pages::end))
        .route(
            "/reception",
            get(reception_pages::page).post(reception_pages::request),
        )
        .route("/reception/receipt", get(reception_pages::receipt))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .merge(uploads)
}

/// The staff pages for reception: slots, appointment requests, field visits.
pub fn staff_routes() -> Router<AppState> {
    staff::routes()
}

/// The name the rate limiter knows this application instance by.
pub fn instance(state: &AppState) -> String {
    state.config.attachments_dir.display().to_string()
}

const CSRF_COOKIE: &str = "hearken_portal_csrf";
const TRACK_COOKIE: &str = "hearken_track";
/// How long a receipt or a tracking page stays open without typing the code again.
const TRACK_SECONDS: i64 = 1800;

/// The form token: the one the browser already holds, or a new one with its cookie
/// (double-submit: a cross-site form cannot read or set it).
pub fn csrf_token(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    match cookie(headers, CSRF_COOKIE)
        .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        Some(token) => (token, None),
        None => {
            let token = random_token();
            let set = set_cookie(
                CSRF_COOKIE,
                &token,
                Some(86_400),
                state.config.secure_cookies,
            );
            (token, Some(set))
        }
    }
}

/// Whether a form's token matches its cookie.
pub fn csrf_valid(headers: &HeaderMap, token: &str) -> bool {
    let expected = cookie(headers, CSRF_COOKIE).unwrap_or_default();
    !expected.is_empty() && same_secret(&expected, token)
}

/// The cookie that keeps a receipt or a tracking page open: `NUMBER.CODE`.
pub fn track_cookie(state: &AppState, number: &str, code: &str) -> String {
    set_cookie(
        TRACK_COOKIE,
        &format!("{number}.{code}"),
        Some(TRACK_SECONDS),
        state.config.secure_cookies,
    )
}

pub fn clear_track_cookie(state: &AppState) -> String {
    set_cookie(TRACK_COOKIE, "", Some(0), state.config.secure_cookies)
}

/// The number and code the browser holds, if any.
pub fn tracked(headers: &HeaderMap) -> Option<(String, String)> {
    let v = cookie(headers, TRACK_COOKIE)?;
    let (n, c) = v.split_once('.')?;
    (!n.is_empty() && !c.is_empty()).then(|| (n.to_string(), c.to_string()))
}

/// A page that holds a query code: never cached.
pub fn private(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A rendered page with an optional `Set-Cookie`.
pub fn with_cookie(set: Option<String>, res: Response) -> Response {
    match set.and_then(|c| HeaderValue::from_str(&c).ok()) {
        Some(v) => {
            let mut res = res;
            res.headers_mut().append(header::SET_COOKIE, v);
            res
        }
        None => res,
    }
}

/// A form's problems as (anchor, message), in the form's order; the form-wide ones
/// (an expired page) without an anchor.
pub fn error_items(t: &Tr, errors: &domain::FieldErrors, order: &[&str]) -> Vec<(String, String)> {
    let rank = |f: &str| order.iter().position(|o| *o == f).unwrap_or(order.len());
    let mut items: Vec<(&String, &String)> = errors.iter().collect();
    items.sort_by_key(|(f, _)| rank(f));
    items
        .into_iter()
        .map(|(field, code)| {
            let msg = t.code("err", code);
            if field == "form" {
                (String::new(), msg)
            } else {
                let label = t.code("portal-field", field);
                let text = t.targs("portal-error-item", &[("field", &label), ("error", &msg)]);
                (field.clone(), text)
            }
        })
        .collect()
}

/// "15 days" or "5 working days", in the reader's language.
pub fn period(t: &Tr, p: Period) -> String {
    let days = p.days.to_string();
    if p.working {
        t.t1("portal-period-working", "days", &days)
    } else {
        t.t1("portal-period-days", "days", &days)
    }
}

#[derive(Template)]
#[template(path = "portal_message.html")]
struct MessagePage {
    t: Tr,
    current: &'static str,
    title: String,
    message: String,
    back: &'static str,
}

/// A page that explains a refusal or a failure, with the status it stands for.
pub fn message_page(
    t: &Tr,
    status: StatusCode,
    title: String,
    message: String,
    back: &'static str,
) -> Response {
    let page = MessagePage {
        t: t.clone(),
        current: "",
        title,
        message,
        back,
    };
    (status, render(&page)).into_response()
}

/// `429` with `Retry-After`, as a page.
pub fn limited_page(t: &Tr, l: Limited, back: &'static str) -> Response {
    let secs = l.retry_after.to_string();
    let mut res = message_page(
        t,
        StatusCode::TOO_MANY_REQUESTS,
        t.t("portal-limited-title"),
        t.t1("portal-limited-text", "seconds", &secs),
        back,
    );
    if let Ok(v) = HeaderValue::from_str(&secs) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// `429` with `Retry-After`, as JSON.
pub fn limited_json(l: Limited) -> Response {
    let body = serde_json::json!({
        "error": "too_many_requests",
        "message": format!("Too many attempts from your address; try again in {} seconds.", l.retry_after),
        "retry_after": l.retry_after,
    });
    let mut res = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&l.retry_after.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}
