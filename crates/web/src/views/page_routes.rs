//! Every staff page's route, with its body limits.

use super::*;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// The staff pages: each path and the handler that serves it.
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
        .route("/staff/stats/registers", get(register_stats_page::page))
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
        .route(
            "/staff/groups/{id}",
            get(group_pages::page).post(group_pages::update),
        )
        .route("/staff/groups/{id}/edit", get(group_pages::edit_form))
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
