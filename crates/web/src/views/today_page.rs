//! The day at a glance: cases due, reports due, the team on duty, the special period.

use super::{error_page, render, tr, Nav};
use crate::auth::PageUser;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::today::Today;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    t: Tr,
    nav: Option<Nav>,
    d: Today,
    duty: Vec<String>,
    /// Per window, how many subordinates have filed.
    filed: Vec<(app::reports::WindowStatus, usize)>,
    /// The leading groups the user is in, in force today (rendered box, or empty).
    groups_html: String,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    let d = match state.today(&who.caller()).await {
        Ok(d) => d,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let nav = Nav::with_warnings(&state, &t, &who).await;
    let duty = nav.as_ref().map(|n| n.duty.clone()).unwrap_or_default();
    let filed = d
        .reports
        .windows
        .iter()
        .map(|w| {
            let n = w.children.iter().filter(|c| c.report_id.is_some()).count();
            (w.clone(), n)
        })
        .collect();
    let groups_html = super::group_pages::today_box(&state, &t, &who).await;
    render(&TodayPage {
        groups_html,
        t,
        nav,
        d,
        duty,
        filed,
    })
}
