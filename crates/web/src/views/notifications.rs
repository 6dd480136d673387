//! The user's notifications page.

use super::{csrf_ok, csrf_refused, error_page, local_time, render, tr, Nav};
use crate::auth::PageUser;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;

pub struct Row {
    pub case_id: i64,
    pub case_no: String,
    pub kind: String,
    pub detail: String,
    pub at: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    rows: Vec<Row>,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    let items = match state.notifications(who.user.id, 200).await {
        Ok(n) => n,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = NotificationsPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        csrf: who.csrf().to_string(),
        rows: items
            .into_iter()
            .map(|n| Row {
                case_id: n.case_id.unwrap_or_default(),
                case_no: n.case_no.unwrap_or_default(),
                detail: detail(&t, &n.kind, n.detail),
                kind: n.kind,
                at: local_time(&state, n.created_at),
                unread: n.read_at.is_none(),
            })
            .collect(),
        t,
    };
    render(&page)
}

/// A notification's detail as a person reads it.
fn detail(t: &Tr, kind: &str, detail: String) -> String {
    match kind {
        "routed_in" => t.t1("notice-routed-in-from", "unit", &detail),
        "sign_off_requested" => t.code("action", &detail),
        "draft_returned" => t.t1("notice-draft-returned-comments", "comments", &detail),
        _ => detail,
    }
}

pub async fn read_all(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    match state.read_notifications(who.user.id).await {
        Ok(()) => Redirect::to("/staff/notifications").into_response(),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}
