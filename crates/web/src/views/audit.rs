//! The audit log, for admins and auditors.

use super::{error_page, local_time, render, tr, Nav};
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::Permission;
use serde::Deserialize;
use std::collections::HashMap;

pub struct EntryRow {
    pub at: String,
    pub actor: String,
    pub unit: String,
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
    let names = actor_names(&state, &entries).await;
    let page = AuditPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        entries: entries
            .into_iter()
            .map(|e| {
                let (actor, unit) = e
                    .actor_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_else(|| (e.actor_name.clone(), String::new()));
                EntryRow {
                    at: local_time(&state, e.at),
                    actor,
                    unit,
                    detail: readable_detail(&t, &e.detail),
                    action: e.action,
                    target: e.target,
                    ip: e.ip,
                }
            })
            .collect(),
        actions: [
            "login",
            "login_failed",
            "read_personal_data",
            "searched_personal_data",
            "password_reset",
            "portal_settings_set",
            "notice_template_set",
            "notice_template_reset",
            "password_changed",
            "user_created",
            "user_updated",
            "role_changed",
            "unit_created",
            "unit_updated",
            "unit_retired",
            "unit_restored",
            "routing_rule_saved",
            "accountability_recorded",
            "routing_rule_retired",
            "routing_rule_restored",
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

/// Who each actor is, by display name and unit: one read per distinct actor on the page.
async fn actor_names(
    state: &AppState,
    entries: &[app::model::AuditEntry],
) -> HashMap<i64, (String, String)> {
    let mut names = HashMap::new();
    for id in entries.iter().filter_map(|e| e.actor_id) {
        if names.contains_key(&id) {
            continue;
        }
        if let Ok(u) = state.user(id).await {
            names.insert(
                id,
                (format!("{}（{}）", u.display_name, u.username), u.unit_name),
            );
        }
    }
    names
}

/// An admin change's detail (`{"role":["clerk","handler"]}`) as words: "角色：登记员 → 承办人".
/// Other details are shown as written.
pub fn readable_detail(t: &Tr, detail: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(detail)
    else {
        let key = detail.replace([' ', ';'], "-");
        let known = t.code("pq-audit-detail", &key);
        return if known == key {
            detail.to_string()
        } else {
            known
        };
    };
    let show = |field: &str, v: &serde_json::Value| -> String {
        match (field, v) {
            ("role", serde_json::Value::String(r)) if !r.is_empty() => t.code("role", r),
            ("active", serde_json::Value::Bool(b)) => {
                if *b {
                    t.t("pq-active")
                } else {
                    t.t("pq-inactive")
                }
            }
            (_, serde_json::Value::String(s)) if s.is_empty() => "—".into(),
            (_, serde_json::Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        }
    };
    map.iter()
        .map(|(field, change)| {
            let label = t.code("pq-audit-field", field);
            match change.as_array().map(Vec::as_slice) {
                Some([from, to]) if show(field, from) == "—" => {
                    format!("{label}：{}", show(field, to))
                }
                Some([from, to]) => format!("{label}：{} → {}", show(field, from), show(field, to)),
                _ => format!("{label}：{change}"),
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{I18n, Lang};

    /// Every way a case is read (the purposes `read_case_audited` records) is shown in
    /// words on the audit log, never as its code.
    #[test]
    fn every_read_purpose_is_shown_in_words() {
        let i18n = I18n::load().expect("bundles parse");
        for lang in [Lang::Zh, Lang::En] {
            let t = Tr::new(lang, i18n.clone());
            for purpose in ["page", "api", "notice", "notices", "receipt"] {
                let shown = readable_detail(&t, purpose);
                assert_ne!(shown, purpose, "{purpose} in {}", lang.code());
            }
        }
        let t = Tr::new(Lang::Zh, i18n);
        assert_eq!(readable_detail(&t, "notice"), "经告知文书页面查阅");
    }
}
