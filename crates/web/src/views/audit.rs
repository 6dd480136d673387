//! The audit log, for admins and auditors.

use super::{error_page, local_time, render, tr, Nav};
use crate::app::AppState;
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::Permission;
use serde::Deserialize;

pub struct EntryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    nav: Option<Nav>,
    entries: Vec<EntryRow>,
    actions: Vec<String>,
    action: String,
    next_url: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    before: Option<i64>,
}

const PAGE: i64 = 100;

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<AuditQuery>,
) -> Response {
    let t = tr(&state, lang);
    if !who.can(Permission::ReadAudit) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let action = q.action.unwrap_or_default();
    let entries = match state
        .store
        .audit_entries(
            &who.scope(),
            Some(action.as_str()).filter(|a| !a.is_empty()),
            q.before,
            PAGE,
        )
        .await
    {
        Ok(e) => e,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let next_url = (entries.len() as i64 == PAGE)
        .then(|| {
            entries.last().map(|e| {
                format!(
                    "/staff/audit?action={}&before={}",
                    super::urlencode(&action),
                    e.id
                )
            })
        })
        .flatten();
    let page = AuditPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        entries: entries
            .into_iter()
            .map(|e| EntryRow {
                at: local_time(&state, e.at),
                actor: e.actor_name,
                action: e.action,
                target: e.target,
                ip: e.ip,
                detail: e.detail,
            })
            .collect(),
        actions: [
            "login",
            "login_failed",
            "read_personal_data",
            "password_reset",
            "portal_settings_set",
            "notice_template_set",
            "notice_template_reset",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        action,
        next_url,
        t,
    };
    render(&page)
}
