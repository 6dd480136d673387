//! The JSON API, version 1. Every route is registered through utoipa-axum, so
//! `/api/openapi.json` documents each one by construction.

pub mod account;
pub mod actions;
pub mod admin;
pub mod annual;
pub mod case_query;
pub mod cases;
mod contract;
pub mod disputes;
pub mod duty;
pub mod exports;
pub mod extract;
pub mod feed;
pub mod hazard_plans;
pub mod inspections;
pub mod intake;
mod json;
pub mod leading_groups;
pub mod links;
mod meta;
pub mod notices;
pub mod notifications;
pub mod ownership;
pub mod plans;
pub mod public;
pub mod register_stats;
pub mod report_history;
pub mod reports;
pub mod routing;
pub mod schemas;
pub mod screenings;
pub mod search;
pub mod session;
pub mod settings;
pub mod stats;
pub mod stats_export;
pub mod supervision;
pub mod table_exports;
pub mod tokens;

pub use json::{is_json, JsonBody};

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Hearken API", version = "1", description = "Petition (信访) registration and case work."),
    tags(
        (name = "session", description = "Logging in and out"),
        (name = "cases", description = "Registration, the queue and case records"),
        (name = "admin", description = "Units, users and roles; the portal's contact block (root admins) and each unit's notice templates"),
        (name = "duty", description = "Daily reports, reporting schedules and special periods; the duty roster and handovers"),
        (name = "meta", description = "Categories, the current user, tokens and the audit log"),
        (name = "supervision", description = "The supervision board, supervision orders (督办单) with replies and reminders (催办), listed supervision (挂牌督办) and accountability records (问责)"),
        (name = "stats", description = "Statistics: volumes that list exactly their cases through the queue, and per-unit rates"),
        (name = "inspections", description = "Safety inspection campaigns (安全隐患排查): the establishments register and its import, campaigns and their progress, inspections, hazards with rectification (整改通知) and suspension (停业整顿) orders, and the checklists"),
        (name = "plans", description = "Emergency plans (应急预案) with versions, the proposals a group visit raises, incidents with tasks, log and after-action review, and leading groups (领导小组)"),
        (name = "disputes", description = "The dispute register (矛盾纠纷台账): entries about issues, never people, with their plans, mediation, linked petitions and outcomes; and screening campaigns (排查)"),
        (name = "public", description = "The public portal for petitioners: submit, track, rate, ask for review, reception and appointments (no login; rate-limited)"),
    )
)]
struct ApiDoc;

/// The API routes and their OpenAPI document.
pub fn api_router(state: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let json_limit = DefaultBodyLimit::max(state.config.max_json_bytes);
    let upload_limit =
        DefaultBodyLimit::max(state.config.max_upload_bytes * 5 + state.config.max_json_bytes);
    let json_routes = OpenApiRouter::new()
        .routes(routes!(session::login, session::logout))
        .routes(routes!(meta::me))
        .routes(routes!(meta::categories))
        .routes(routes!(meta::audit))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read_all))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(admin::list_units, admin::create_unit))
        .routes(routes!(admin::update_unit))
        .routes(routes!(admin::list_users, admin::create_user))
        .routes(routes!(admin::update_user))
        .routes(routes!(admin::reset_password))
        .routes(routes!(cases::list))
        .routes(routes!(cases::get, cases::correct))
        .routes(routes!(cases::events))
        .routes(routes!(feed::list))
        .routes(routes!(actions::take_action))
        .routes(routes!(notices::list))
        .routes(routes!(routing::list, routing::save))
        .routes(routes!(settings::get_portal, settings::put_portal))
        .routes(routes!(settings::list_templates))
        .routes(routes!(settings::put_template, settings::delete_template))
        .routes(routes!(routing::retire))
        .routes(routes!(account::change_password))
        .routes(routes!(intake::list, intake::save))
        .routes(routes!(ownership::set_owner))
        .routes(routes!(
            ownership::get_attendance,
            ownership::record_attendance
        ))
        .routes(routes!(ownership::notify_attendance))
        .routes(routes!(cases::download_attachment))
        .routes(routes!(search::search))
        .routes(routes!(search::similar))
        .routes(routes!(exports::create, exports::list))
        .routes(routes!(exports::get))
        .routes(routes!(exports::download))
        .routes(routes!(links::link))
        .routes(routes!(links::unlink))
        .routes(routes!(supervision::board))
        .routes(routes!(supervision::list_orders, supervision::issue_order))
        .routes(routes!(supervision::get_order))
        .routes(routes!(supervision::reply))
        .routes(routes!(supervision::remind))
        .routes(routes!(supervision::withdraw))
        .routes(routes!(supervision::listing))
        .routes(routes!(
            supervision::list_accountability,
            supervision::create_accountability
        ))
        .routes(routes!(supervision::get_accountability))
        .routes(routes!(stats::volume))
        .routes(routes!(stats::rates))
        .routes(routes!(stats_export::volume_export))
        .routes(routes!(reports::day, reports::create))
        .routes(routes!(reports::get))
        .routes(routes!(report_history::search))
        .routes(routes!(report_history::export))
        .routes(routes!(reports::put_schedule))
        .routes(routes!(reports::list_periods, reports::create_period))
        .routes(routes!(duty::week, duty::plan))
        .routes(routes!(duty::copy))
        .routes(routes!(duty::swap))
        .routes(routes!(duty::current))
        .routes(routes!(duty::handovers, duty::write_handover))
        .routes(routes!(duty::acknowledge))
        .routes(routes!(inspections::list_establishments))
        .routes(routes!(inspections::get_establishment))
        .routes(routes!(inspections::establishment_events))
        .routes(routes!(
            inspections::list_campaigns,
            inspections::create_campaign
        ))
        .routes(routes!(inspections::get_campaign))
        .routes(routes!(inspections::campaign_events))
        .routes(routes!(inspections::export_campaign))
        .routes(routes!(inspections::record_inspection))
        .routes(routes!(inspections::get_inspection))
        .routes(routes!(inspections::get_hazard))
        .routes(routes!(inspections::rectification))
        .routes(routes!(inspections::reinspection))
        .routes(routes!(inspections::suspension))
        .routes(routes!(
            inspections::get_checklist,
            inspections::put_checklist
        ))
        .routes(routes!(plans::list, plans::create))
        .routes(routes!(plans::get, plans::revise))
        .routes(routes!(plans::plan_events))
        .routes(routes!(plans::activate))
        .routes(routes!(plans::case_proposals))
        .routes(routes!(hazard_plans::hazard_proposals))
        .routes(routes!(plans::incidents))
        .routes(routes!(plans::incident))
        .routes(routes!(plans::incident_events))
        .routes(routes!(plans::add_task))
        .routes(routes!(plans::finish_task))
        .routes(routes!(plans::log))
        .routes(routes!(plans::close))
        .routes(routes!(leading_groups::list, leading_groups::create))
        .routes(routes!(leading_groups::get, leading_groups::update))
        .routes(routes!(leading_groups::filings))
        .routes(routes!(leading_groups::group_events))
        .routes(routes!(leading_groups::export_plans))
        .routes(routes!(leading_groups::export_incidents))
        .routes(routes!(leading_groups::export_groups))
        .routes(routes!(annual::annual))
        .routes(routes!(annual::hotspots))
        .routes(routes!(annual::assign_owner))
        .routes(routes!(table_exports::rates_export))
        .routes(routes!(table_exports::search_export))
        .routes(routes!(disputes::list, disputes::create))
        .routes(routes!(disputes::export))
        .routes(routes!(disputes::get, disputes::update))
        .routes(routes!(disputes::events))
        .routes(routes!(disputes::add_step))
        .routes(routes!(disputes::step_done))
        .routes(routes!(disputes::add_mediation))
        .routes(routes!(disputes::link))
        .routes(routes!(disputes::unlink))
        .routes(routes!(disputes::close))
        .routes(routes!(disputes::stats))
        .routes(routes!(register_stats::inspection_stats))
        .routes(routes!(screenings::list, screenings::create))
        .routes(routes!(screenings::get))
        .routes(routes!(screenings::events))
        .routes(routes!(screenings::answer))
        .layer(json_limit);
    let upload_routes = OpenApiRouter::new()
        .routes(routes!(cases::create))
        .routes(routes!(cases::add_attachments))
        .routes(routes!(inspections::import))
        .layer(upload_limit);
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(json_routes)
        .merge(upload_routes)
        .merge(public::routes(state))
        .split_for_parts();
    contract::complete_document(&mut doc);
    (router.method_not_allowed_fallback(method_not_allowed), doc)
}

/// A known route with a method it does not have: `405` in JSON.
async fn method_not_allowed() -> crate::error::ApiError {
    crate::error::ApiError::MethodNotAllowed
}

pub fn routes(state: &AppState) -> Router<AppState> {
    let (router, doc) = api_router(state);
    let doc = std::sync::Arc::new(doc);
    router.route(
        "/api/openapi.json",
        get(move || async move { Json(doc.as_ref().clone()) }),
    )
}
