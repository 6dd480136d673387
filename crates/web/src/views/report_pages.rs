//! Staff pages for daily reports: the day's windows with their status and the form to
//! file, the printable report with a parent's roll-up, and the schedule and special
//! periods.

use super::{csrf_ok, csrf_refused, error_page, local_time, render, tr, Nav};
use crate::api::reports::{declare, file, parse_date, PeriodInput, ReportInput};
use crate::auth::{PageUser, Principal};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::model::SpecialPeriodRow;
use app::reports::{ReportDay, ReportView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::duty::ReportStatus;
use domain::Permission;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    day: ReportDay,
    date: String,
    can_file: bool,
    can_manage: bool,
    periods: Vec<SpecialPeriodRow>,
    recent: Vec<Recent>,
    /// The leading groups the unit's report of the day may be filed under.
    groups: Vec<super::Opt>,
    /// The window the form offers first: the first still pending, else the last.
    default_window: u32,
    error: Option<String>,
}

struct Recent {
    id: i64,
    unit_name: String,
    day: String,
    window_no: i64,
    version: i64,
    filed_at: String,
    nothing: bool,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    t: Tr,
    nav: Option<Nav>,
    v: ReportView,
    filed_at: String,
    due: String,
    versions: Vec<(i64, i64, String, String)>,
}

async fn day_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    q: &HashMap<String, String>,
    error: Option<String>,
) -> Response {
    let caller = who.caller();
    let date = match parse_date("date", q.get("date").map(String::as_str)) {
        Ok(d) => d,
        Err(e) => return error_page(&t, Some(who), &e),
    };
    let unit = q.get("unit").map(String::as_str);
    let loaded = async {
        let day = state.report_day(&caller, unit, date).await?;
        let periods = state.special_periods(&caller).await?;
        let recent = state.recent_reports(&caller, None).await?;
        let unit = Some(day.unit_code.as_str());
        let groups = state
            .groups_for_filing(&caller, unit, day.date, day.date)
            .await?;
        Ok::<_, app::AppError>((day, periods, recent, groups))
    };
    let (day, periods, recent, groups) = match loaded.await {
        Ok(x) => x,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let default_window = day
        .windows
        .iter()
        .find(|w| w.own.status == ReportStatus::Pending)
        .or(day.windows.last())
        .map_or(1, |w| w.window);
    let page = ReportsPage {
        nav: Nav::with_warnings(state, &t, who).await,
        default_window,
        csrf: who.csrf().to_string(),
        date: day.date.to_string(),
        can_file: who.can(Permission::FileReports),
        can_manage: who.can(Permission::ManageDuty),
        periods,
        groups: groups
            .into_iter()
            .map(|g| super::Opt {
                code: g.id.to_string(),
                label: format!("{} ({} – {})", g.name, g.starts_on, g.ends_on),
            })
            .collect(),
        recent: recent
            .into_iter()
            .take(30)
            .map(|r| Recent {
                id: r.id,
                unit_name: r.unit_name,
                day: r.day,
                window_no: r.window_no,
                version: r.version,
                filed_at: local_time(state, r.filed_at),
                nothing: r.nothing_to_report,
            })
            .collect(),
        day,
        error,
        t,
    };
    render(&page)
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    day_page(&state, tr(&state, lang), &who, &q, None).await
}

pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let text = |k: &str| f.get(k).cloned().unwrap_or_default();
    let input = ReportInput {
        unit: f.get("unit").cloned().filter(|s| !s.is_empty()),
        date: f.get("date").cloned().filter(|s| !s.is_empty()),
        window: f.get("window").and_then(|w| w.parse().ok()),
        nothing_to_report: f.contains_key("nothing_to_report"),
        incidents: text("incidents"),
        notes: text("notes"),
        group_id: f.get("group_id").and_then(|g| g.trim().parse().ok()),
    };
    match file(&state, &who.caller(), input).await {
        Ok(id) => Redirect::to(&format!("/staff/reports/{id}")).into_response(),
        Err(e) => {
            let msg = super::form_error_text(&t, &e);
            day_page(&state, t, &who, &f, Some(msg)).await
        }
    }
}

pub async fn view(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    let v = match state.report_view(&who.caller(), id).await {
        Ok(v) => v,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = ReportPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        filed_at: local_time(&state, v.report.filed_at),
        due: local_time(&state, v.report.due_at),
        versions: v
            .versions
            .iter()
            .map(|x| {
                (
                    x.id,
                    x.version,
                    local_time(&state, x.filed_at),
                    x.filed_by_name.clone(),
                )
            })
            .collect(),
        v,
        t,
    };
    render(&page)
}

pub async fn save_schedule(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let minutes = f
        .get("compile_minutes")
        .and_then(|m| m.trim().parse().ok())
        .unwrap_or(30);
    let windows = f.get("windows").cloned().unwrap_or_default();
    match state
        .set_report_schedule(&who.caller(), None, &windows, minutes)
        .await
    {
        Ok(()) => Redirect::to("/staff/reports").into_response(),
        Err(e) => {
            let msg = super::form_error_text(&t, &e.into());
            day_page(&state, t, &who, &HashMap::new(), Some(msg)).await
        }
    }
}

pub async fn add_period(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let text = |k: &str| f.get(k).cloned().unwrap_or_default();
    let input = PeriodInput {
        unit: None,
        name: text("name"),
        starts_on: text("starts_on"),
        ends_on: text("ends_on"),
        windows: text("windows"),
        subtree: f.contains_key("subtree"),
        rest_days: f.contains_key("rest_days"),
    };
    match declare(&state, &who.caller(), input).await {
        Ok(_) => Redirect::to("/staff/reports").into_response(),
        Err(e) => {
            let msg = super::form_error_text(&t, &e);
            day_page(&state, t, &who, &HashMap::new(), Some(msg)).await
        }
    }
}
