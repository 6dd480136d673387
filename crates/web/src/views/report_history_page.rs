//! The report history page: every report filed in the caller's scope, searched by days,
//! unit and words, with the matches downloadable as XLSX or CSV.

use super::{error_page, form_error_text, local_time, render, tr, urlencode, Nav};
use crate::api::report_history::{history_file, HistoryParams};
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

/// Rows on one page.
const PAGE_ROWS: i64 = 50;

struct Line {
    id: i64,
    day: String,
    unit_name: String,
    window_no: i64,
    version: i64,
    filed_at: String,
    filed_by: String,
    nothing: bool,
    new_cases: i64,
    closed_cases: i64,
    overdue_cases: i64,
    incidents: String,
}

#[derive(Template)]
#[template(path = "report_history.html")]
struct HistoryPage {
    t: Tr,
    nav: Option<Nav>,
    p: HistoryParams,
    lines: Vec<Line>,
    /// The filters as a query string (without the cursor), for the next page and the
    /// download links.
    filters: String,
    next: Option<String>,
    error: Option<String>,
}

/// The page's filters, as a query string.
fn filters(p: &HistoryParams) -> String {
    let pairs = [
        ("unit", &p.unit),
        ("from", &p.from),
        ("to", &p.to),
        ("q", &p.q),
        ("nothing", &p.nothing),
        ("all_versions", &p.all_versions),
    ];
    pairs
        .iter()
        .filter_map(|(k, v)| {
            let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            Some(format!("{k}={}", urlencode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(p): Query<HistoryParams>,
) -> Response {
    let t = tr(&state, lang);
    let found = async {
        let q = p.query()?;
        let cursor = p.cursor.as_deref().filter(|c| !c.is_empty());
        Ok::<_, ApiError>(
            state
                .report_history(&who.caller(), &q, cursor, PAGE_ROWS)
                .await?,
        )
    };
    let (items, next, error) = match found.await {
        Ok(page) => (page.items, page.next, None),
        Err(e @ ApiError::Validation(_)) => (Vec::new(), None, Some(form_error_text(&t, &e))),
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let lines = items
        .into_iter()
        .map(|r| Line {
            id: r.id,
            filed_at: local_time(&state, r.filed_at),
            day: r.day,
            unit_name: r.unit_name,
            window_no: r.window_no,
            version: r.version,
            filed_by: r.filed_by_name,
            nothing: r.nothing_to_report,
            new_cases: r.figures.new_cases,
            closed_cases: r.figures.closed_cases,
            overdue_cases: r.figures.overdue_cases,
            incidents: r.incidents,
        })
        .collect();
    render(&HistoryPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        filters: filters(&p),
        lines,
        next,
        error,
        p,
        t,
    })
}

pub async fn export(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(p): Query<HistoryParams>,
    Query(f): Query<crate::api::stats_export::TableFormat>,
) -> Response {
    let t = tr(&state, lang);
    match history_file(&state, &who.caller(), &t, &p, f.format.as_deref()).await {
        Ok(r) => r,
        Err(e) => error_page(&t, Some(&who), &e),
    }
}
