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
mod plans_pages;
pub mod queue;
pub mod regions;
mod register;
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
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use domain::Permission;

pub fn routes(state: &AppState) -> Router<AppState> {
    let uploads = Router::new()
        .route(
            "/staff/cases/new",
            get(register::form).post(register::submit),
        )
        .route("/staff/cases/{id}/attachments", post(case::upload))
        .route(
            "/staff/inspections/establishments/import",
            post(inspection_pages::import),
        )
        .route(
            "/staff/inspections/campaigns/{id}/inspect/{est}",
            get(inspection_visits::form).post(inspection_visits::record),
        )
        .layer(DefaultBodyLimit::max(
            state.config.max_upload_bytes * 5 + 1024 * 1024,
        ));
    Router::new()
        .route("/staff", get(|| async { Redirect::to("/staff/today") }))
        .route("/staff/login", get(login::form).post(login::submit))
        .route("/staff/logout", post(login::logout))
        .route("/lang/{code}", get(login::switch_language))
        .route("/staff/cases", get(queue::page))
        .route("/staff/search", get(search_page::page))
        .route(
            "/staff/exports",
            get(exports_page::list).post(exports_page::create),
        )
        .route("/staff/exports/{id}", get(exports_page::show))
        .route("/staff/exports/{id}/file", get(exports_page::download))
        .route("/staff/stats", get(stats_page::page))
        .route("/staff/stats/export", get(stats_page::export))
        .route("/staff/annual-report", get(annual_pages::page))
        .route("/staff/annual-report/print", get(annual_pages::print))
        .route("/staff/annual-report/issue", post(annual_pages::issue))
        .route(
            "/staff/annual-report/issued/{id}",
            get(annual_pages::issued),
        )
        .route(
            "/staff/annual-report/template",
            get(annual_pages::template_form).post(annual_pages::template_save),
        )
        .route("/staff/hotspots", get(hotspot_pages::page))
        .route("/staff/search/export", get(table_export_pages::search))
        .route("/staff/stats/rates/export", get(table_export_pages::rates))
        .route("/staff/hotspots/owner", post(hotspot_pages::assign))
        .route("/staff/cases/{id}", get(case::page))
        .route("/staff/cases/{id}/receipt", get(case::receipt))
        .route("/staff/cases/{id}/correct", post(case::correct))
        .route("/staff/cases/{id}/links", post(links::link))
        .route(
            "/staff/cases/{id}/links/{other}/remove",
            post(links::unlink),
        )
        .route("/staff/cases/{id}/actions/{action}", post(actions::submit))
        .route("/staff/cases/{id}/attachments/{aid}", get(case::download))
        .route(
            "/staff/admin/units",
            get(admin::units).post(admin::add_unit),
        )
        .route(
            "/staff/admin/users",
            get(admin_users::list).post(admin::add_user),
        )
        .route(
            "/staff/admin/users/{id}",
            get(admin_users::user_page).post(admin::update_user),
        )
        .route(
            "/staff/admin/units/{code}",
            get(admin_users::unit_page).post(admin_users::update_unit),
        )
        .route(
            "/staff/admin/routing/retire",
            post(admin_users::retire_rule),
        )
        .route(
            "/staff/account/password",
            get(account::form).post(account::submit),
        )
        .route(
            "/staff/admin/users/{id}/password",
            post(admin::reset_password),
        )
        .route("/staff/tokens", get(tokens::page).post(tokens::create))
        .route("/staff/tokens/{id}/revoke", post(tokens::revoke))
        .route("/staff/audit", get(audit::page))
        .merge(crate::portal::staff_routes())
        .route("/staff/notifications", get(notifications::page))
        .route("/staff/cases/{id}/notices/{seq}", get(notice_pages::print))
        .route("/staff/admin/notices", get(notice_pages::templates))
        .route("/staff/cases/{id}/owner", post(ownership_pages::set_owner))
        .route(
            "/staff/admin/intake",
            get(intake_pages::page).post(intake_pages::save),
        )
        .route(
            "/staff/admin/routing",
            get(routing_pages::page).post(routing_pages::save),
        )
        .route(
            "/staff/cases/{id}/attendance/notify",
            post(ownership_pages::notify_attendance),
        )
        .route(
            "/staff/cases/{id}/attendance",
            post(ownership_pages::record_attendance),
        )
        .route(
            "/staff/admin/notices/{kind}/{lang}",
            post(notice_pages::save_template),
        )
        .route("/staff/notifications/read", post(notifications::read_all))
        .route("/staff/supervision", get(supervision_board::page))
        .route(
            "/staff/supervision/orders",
            get(supervision_orders::list).post(supervision_orders::issue),
        )
        .route(
            "/staff/supervision/orders/{id}",
            get(supervision_orders::page),
        )
        .route(
            "/staff/supervision/orders/{id}/print",
            get(supervision_orders::print),
        )
        .route(
            "/staff/supervision/orders/{id}/reply",
            post(supervision_orders::reply),
        )
        .route(
            "/staff/supervision/orders/{id}/remind",
            post(supervision_orders::remind),
        )
        .route(
            "/staff/supervision/orders/{id}/withdraw",
            post(supervision_orders::withdraw),
        )
        .route(
            "/staff/cases/{id}/listing",
            post(supervision_orders::listing),
        )
        .route(
            "/staff/supervision/accountability",
            get(accountability_pages::list).post(accountability_pages::create),
        )
        .route(
            "/staff/supervision/accountability/{id}",
            get(accountability_pages::record),
        )
        .route(
            "/staff/reports",
            get(report_pages::page).post(report_pages::submit),
        )
        .route("/staff/reports/{id}", get(report_pages::view))
        .route("/staff/reports/history", get(report_history_page::page))
        .route(
            "/staff/reports/history/export",
            get(report_history_page::export),
        )
        .route("/staff/today", get(today_page::page))
        .route("/staff/duty", get(duty_pages::page).post(duty_pages::save))
        .route("/staff/duty/copy", post(duty_pages::copy))
        .route("/staff/duty/shifts/{id}/swap", post(duty_pages::swap))
        .route("/staff/duty/handovers", post(duty_pages::handover))
        .route(
            "/staff/duty/handovers/{id}/ack",
            post(duty_pages::acknowledge),
        )
        .route("/staff/reports/schedule", post(report_pages::save_schedule))
        .route(
            "/staff/reports/special-periods",
            post(report_pages::add_period),
        )
        .route("/staff/inspections", get(inspection_pages::home))
        .route(
            "/staff/inspections/campaigns",
            post(inspection_pages::create_campaign),
        )
        .route(
            "/staff/inspections/campaigns/{id}",
            get(inspection_pages::campaign),
        )
        .route(
            "/staff/inspections/campaigns/{id}/export",
            get(inspection_pages::export),
        )
        .route(
            "/staff/inspections/establishments",
            get(inspection_pages::establishments),
        )
        .route(
            "/staff/inspections/checklists",
            get(inspection_pages::checklists),
        )
        .route(
            "/staff/inspections/checklists/{kind}",
            post(inspection_pages::save_checklist),
        )
        .route(
            "/staff/inspections/visits/{id}",
            get(inspection_visits::visit),
        )
        .route(
            "/staff/inspections/visits/{id}/photos/{n}",
            get(inspection_visits::photo),
        )
        .route(
            "/staff/inspections/hazards/{id}",
            get(inspection_visits::hazard),
        )
        .route(
            "/staff/inspections/hazards/{id}/{step}",
            post(inspection_visits::step),
        )
        .route(
            "/staff/inspections/orders/{id}/print",
            get(inspection_visits::print),
        )
        .route(
            "/staff/plans",
            get(plans_pages::list).post(plans_pages::create),
        )
        .route("/staff/plans/new", get(plans_pages::new_form))
        .route("/staff/plans/{id}", get(plans_pages::page))
        .route(
            "/staff/plans/{id}/edit",
            get(plans_pages::edit_form).post(plans_pages::revise),
        )
        .route("/staff/plans/{id}/activate", post(plans_pages::activate))
        .route("/staff/incidents", get(incident_pages::list))
        .route("/staff/incidents/{id}", get(incident_pages::page))
        .route(
            "/staff/incidents/{id}/tasks",
            post(incident_pages::add_task),
        )
        .route(
            "/staff/incidents/{id}/tasks/{task}/done",
            post(incident_pages::finish_task),
        )
        .route("/staff/incidents/{id}/log", post(incident_pages::log))
        .route("/staff/incidents/{id}/close", post(incident_pages::close))
        .route(
            "/staff/groups",
            get(group_pages::list).post(group_pages::create),
        )
        .route("/staff/groups/new", get(group_pages::new_form))
        .route("/staff/groups/{id}", get(group_pages::page))
        .route("/staff/disputes", get(dispute_pages::list))
        .route("/staff/disputes/export", get(dispute_pages::export))
        .route(
            "/staff/disputes/new",
            get(dispute_pages::new_form).post(dispute_pages::create),
        )
        .route("/staff/disputes/{id}", get(dispute_pages::page))
        .route(
            "/staff/disputes/{id}/edit",
            get(dispute_pages::edit_form).post(dispute_pages::update),
        )
        .route(
            "/staff/disputes/{id}/steps",
            post(dispute_actions::add_step),
        )
        .route(
            "/staff/disputes/{id}/steps/{step}/done",
            post(dispute_actions::step_done),
        )
        .route(
            "/staff/disputes/{id}/mediations",
            post(dispute_actions::add_mediation),
        )
        .route("/staff/disputes/{id}/cases", post(dispute_actions::link))
        .route(
            "/staff/disputes/{id}/cases/{case}/remove",
            post(dispute_actions::unlink),
        )
        .route("/staff/disputes/{id}/outcome", post(dispute_actions::close))
        .route(
            "/staff/screenings",
            get(screening_pages::list).post(screening_pages::create),
        )
        .route("/staff/screenings/{id}", get(screening_pages::page))
        .route(
            "/staff/screenings/{id}/answer",
            post(screening_pages::answer),
        )
        .layer(DefaultBodyLimit::max(state.config.max_json_bytes))
        .merge(uploads)
}

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
