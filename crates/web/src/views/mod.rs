//! Staff pages under `/staff`, rendered on the server with askama. Every page works
//! without JavaScript; every form carries the session's CSRF token.

mod account;
mod accountability_pages;
mod actions;
mod admin;
mod admin_users;
mod annual_pages;
mod audit;
mod case;
mod case_holder;
mod dispute_actions;
mod dispute_pages;
mod duty_pages;
mod exports_page;
mod forms;
mod group_pages;
mod hotspot_pages;
mod incident_pages;
mod inspection_pages;
mod inspection_visits;
mod intake_pages;
mod links;
mod login;
mod notice_pages;
mod notifications;
mod ownership_pages;
mod page_routes;
mod plans_pages;
pub mod queue;
pub mod regions;
mod register;
mod register_stats_page;
mod report_history_page;
mod report_pages;
mod routing_pages;
mod screening_pages;
mod search_page;
mod stats_page;
mod supervision_board;
mod supervision_orders;
mod table_export_pages;
mod timeline;
mod today_page;
mod tokens;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use app::model::{Category, Unit};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Permission;

pub use page_routes::routes;

/// What the header shows about the logged-in user.
pub struct Nav {
    pub display_name: String,
    pub role: String,
    pub unit_name: String,
    pub csrf: String,
    pub is_admin: bool,
    /// May keep the routing table (admins and supervisors).
    pub can_route: bool,
    pub can_audit: bool,
    pub can_register: bool,
    /// Reads the supervision board (supervisors, leaders, auditors).
    pub can_supervise: bool,
    /// May read the statistics of their subtree.
    pub can_stats: bool,
    /// For admins: the holiday schedule is missing for a year deadlines reach.
    pub calendar_warning: Option<String>,
    /// Unread notifications.
    pub unread: i64,
    /// Whether the role works with API tokens (the menu shows them).
    pub uses_tokens: bool,
    /// Only the account and logout: the user must change their password first.
    pub minimal: bool,
    /// The teams on duty now in the user's unit and its parent, one line each.
    pub duty: Vec<String>,
    /// Records safety inspections (安全隐患排查).
    pub can_inspect: bool,
    /// Whether the menu shows the dispute register.
    pub can_disputes: bool,
}

impl Nav {
    /// The header, with the warnings an admin must see on every page.
    pub async fn with_warnings(state: &AppState, t: &Tr, p: &Principal) -> Option<Nav> {
        let missing = state.config.missing_calendar_years();
        let mut nav = Nav::of(p)?;
        nav.unread = state.unread_notifications(p.user.id).await.unwrap_or(0);
        nav.duty = duty_pages::team_lines(state, t, p).await;
        if p.can(Permission::Administer) && !missing.is_empty() {
            let years: Vec<String> = missing.iter().map(|y| y.to_string()).collect();
            nav.calendar_warning = Some(t.t1("calendar-missing", "years", &years.join(", ")));
        }
        // Online petitions land in the root unit until an intake office is set.
        if p.can(Permission::Administer) && state.intake_offices().await.is_ok_and(|o| o.is_empty())
        {
            let w = t.t("intake-unset");
            nav.calendar_warning = Some(match nav.calendar_warning.take() {
                Some(c) => format!("{c} {w}"),
                None => w,
            });
        }
        Some(nav)
    }

    pub fn of(p: &Principal) -> Option<Nav> {
        Some(Nav {
            calendar_warning: None,
            unread: 0,
            display_name: p.user.display_name.clone(),
            role: p.user.role.as_str().to_string(),
            unit_name: p.user.unit_name.clone(),
            csrf: p.csrf().to_string(),
            is_admin: p.can(Permission::Administer),
            can_route: p.can(Permission::ManageRouting),
            can_audit: p.can(Permission::ReadAudit),
            can_register: p.can(Permission::Register),
            can_supervise: p.role().is_some_and(domain::supervision::may_read_board),
            can_stats: p.role().is_some_and(domain::stats::may_read_statistics),
            uses_tokens: p.role().is_some_and(|r| r.uses_api_tokens()),
            minimal: p.user.must_change_password,
            duty: vec![],
            can_inspect: p.role().is_some_and(domain::inspection::may_inspect),
            can_disputes: p.role().is_some_and(domain::dispute::in_menu),
        })
    }
}

pub fn tr(state: &AppState, lang: Lang) -> Tr {
    Tr::new(lang, state.i18n.clone())
}

/// Renders a template into a response; a rendering failure is a logged 500.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "500").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    nav: Option<Nav>,
    title: String,
    message: String,
}

/// An error as a page in the user's language.
pub fn error_page(t: &Tr, who: Option<&Principal>, e: &ApiError) -> Response {
    if let ApiError::Internal(detail) = e {
        tracing::error!(error = %detail, "internal error");
    }
    let page = ErrorPage {
        t: t.clone(),
        nav: who.and_then(Nav::of),
        title: t.code("status", e.status().as_str()),
        message: t.code("err", e.code()),
    };
    (e.status(), render(&page)).into_response()
}

/// A page that says why something was refused or went wrong, in the user's language.
pub fn status_page(t: &Tr, who: &Principal, status: StatusCode, message: String) -> Response {
    let page = ErrorPage {
        t: t.clone(),
        nav: Nav::of(who),
        title: t.code("status", status.as_str()),
        message,
    };
    (status, render(&page)).into_response()
}

/// What a refused form says above it, in the user's language: each field named with what
/// is wrong with it, or the one error.
pub fn form_error_text(t: &Tr, e: &ApiError) -> String {
    match e {
        ApiError::Validation(fields) => fields
            .iter()
            .map(|(f, c)| format!("{} {}", t.field_label(f), t.code("err", c)))
            .collect::<Vec<_>>()
            .join(" "),
        other => t.code("err", other.code()),
    }
}

/// A `403` page that explains the refusal with the message `key`.
pub fn refusal_page(t: &Tr, who: &Principal, key: &str) -> Response {
    status_page(t, who, StatusCode::FORBIDDEN, t.t(key))
}

/// Whether a form carries the session's CSRF token.
pub fn csrf_ok(who: &Principal, token: &str) -> bool {
    !token.is_empty() && crate::auth::same_secret(who.csrf(), token)
}

/// The page for a form whose CSRF token is not the session's.
pub fn csrf_refused(t: &Tr, who: &Principal) -> Response {
    error_page(t, Some(who), &ApiError::BadRequest("csrf_mismatch"))
}

/// The text fields and the `attachments` files of a multipart form.
pub async fn read_form(
    mut mp: axum::extract::Multipart,
) -> Result<
    (
        std::collections::HashMap<String, String>,
        Vec<crate::api::cases::Upload>,
    ),
    ApiError,
> {
    let mut fields = std::collections::HashMap::new();
    let mut files = vec![];
    while let Some(field) = mp.next_field().await.map_err(|_| ApiError::TooLarge)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "attachments" {
            let filename = field.file_name().unwrap_or("attachment").to_string();
            let bytes = field.bytes().await.map_err(|_| ApiError::TooLarge)?;
            if !bytes.is_empty() {
                files.push(crate::api::cases::Upload {
                    filename,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let value = field
                .text()
                .await
                .map_err(|_| ApiError::BadRequest("malformed_multipart"))?;
            fields.insert(name, value);
        }
    }
    Ok((fields, files))
}

/// A labelled option for a select.
pub struct Opt {
    pub code: String,
    pub label: String,
}

/// Categories as indented options, in the user's language.
pub fn category_options(t: &Tr, cats: &[Category]) -> Vec<Opt> {
    cats.iter()
        .map(|c| {
            let name = if t.is_en() && !c.name_en.is_empty() {
                &c.name_en
            } else {
                &c.name
            };
            let label = if c.parent.is_some() {
                format!("— {name}")
            } else {
                name.clone()
            };
            Opt {
                code: c.code.clone(),
                label,
            }
        })
        .collect()
}

pub fn category_label(t: &Tr, cats: &[Category], code: &str) -> String {
    cats.iter()
        .find(|c| c.code == code)
        .map(|c| {
            if t.is_en() && !c.name_en.is_empty() {
                c.name_en.clone()
            } else {
                c.name.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

pub fn unit_options(units: &[Unit]) -> Vec<Opt> {
    let base = units
        .first()
        .map(|u| u.path.matches('/').count())
        .unwrap_or(0);
    units
        .iter()
        .map(|u| {
            let depth = u.path.matches('/').count().saturating_sub(base);
            Opt {
                code: u.code.clone(),
                label: format!("{}{} ({})", "· ".repeat(depth), u.name, u.code),
            }
        })
        .collect()
}

/// A UTC millisecond time as local `YYYY-MM-DD HH:MM`.
pub fn local_time(state: &AppState, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| {
            d.with_timezone(&state.config.time_zone)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Percent-encodes a string for a URL query or a header parameter.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local redirect target, or today's work (the landing page): never another site.
pub fn safe_next(next: &str) -> String {
    if next.starts_with("/staff") && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/staff/today".into()
    }
}
