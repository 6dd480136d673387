//! Screening campaigns (排查) as pages: the list with the form to open one, and the
//! campaign's page with its progress by unit and the answer form for a covered unit.

use super::dispute_pages::{form_error, screening_event_rows, EventRow};
use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::disputes::DisputeQuery;
use app::model::{DisputeRow, Screening, ScreeningRow, Unit};
use app::screenings::ScreeningInput;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::dispute::ScreeningAnswer;
use domain::Permission;
use std::collections::HashMap;

type Pairs = Vec<(String, String)>;

fn first(f: &[(String, String)], k: &str) -> String {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn all(f: &[(String, String)], k: &str) -> Vec<String> {
    f.iter()
        .filter(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .collect()
}

#[derive(Template)]
#[template(path = "screenings.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    /// Each campaign and its progress in words.
    rows: Vec<(ScreeningRow, String)>,
    may_open: bool,
    /// The units a campaign may cover, and whether each is ticked.
    units: Vec<(Unit, bool)>,
    v: HashMap<String, String>,
    error: Option<String>,
}

async fn show_list(
    state: &AppState,
    t: Tr,
    who: &Principal,
    f: Pairs,
    error: Option<String>,
) -> Response {
    let rows = match state.screenings(&who.caller()).await {
        Ok(r) => r,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let may_open = who.can(Permission::RunScreenings);
    let units = if may_open {
        state.units_below(&who.caller()).await.unwrap_or_default()
    } else {
        vec![]
    };
    let failed = error.is_some();
    let chosen = all(&f, "units");
    let units = units
        .into_iter()
        .map(|u| {
            let on = chosen.contains(&u.code);
            (u, on)
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            let p = t.targs(
                "sc-progress",
                &[
                    ("answered", &r.answered.to_string()),
                    ("units", &r.units.to_string()),
                ],
            );
            (r, p)
        })
        .collect();
    let page = ListPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        rows,
        may_open,
        units,
        v: f.into_iter().filter(|(k, _)| k != "units").collect(),
        error,
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    show_list(&state, t, &who, vec![], None).await
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<Pairs>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &first(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let input = ScreeningInput {
        title: first(&f, "title"),
        sectors: first(&f, "sectors"),
        starts_on: first(&f, "starts_on"),
        ends_on: first(&f, "ends_on"),
        units: all(&f, "units"),
    };
    match state.create_screening(&who.caller(), &input).await {
        Ok(s) => Redirect::to(&format!("/staff/screenings/{}", s.row.id)).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                show_list(&state, t, &who, f, Some(msg)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

/// A covered unit's row on the campaign page.
pub struct UnitRow {
    pub name: String,
    pub code: String,
    pub state: String,
    pub state_class: &'static str,
    pub note: String,
    pub answered: String,
    pub findings: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "screening.html")]
struct CampaignPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    s: Screening,
    rows: Vec<UnitRow>,
    summary: String,
    detail: String,
    /// The caller's unit is covered and they keep the register.
    may_answer: bool,
    entries: Vec<DisputeRow>,
    events: Vec<EventRow>,
    error: Option<String>,
}

async fn show_campaign(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    error: Option<String>,
) -> Response {
    let caller = who.caller();
    let s = match state.screening(&caller, id).await {
        Ok(s) => s,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let events = match state.screening_timeline(&caller, id).await {
        Ok(e) => screening_event_rows(state, &t, &e),
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let may_answer = who.can(Permission::KeepDisputes)
        && s.covered.iter().any(|u| u.unit_id == who.user.unit_id);
    let entries = if may_answer {
        state
            .disputes(&caller, &DisputeQuery::default())
            .await
            .unwrap_or_default()
    } else {
        vec![]
    };
    let nothing = s
        .covered
        .iter()
        .filter(|u| u.answer == Some(ScreeningAnswer::NothingFound))
        .count();
    let answered = s.covered.iter().filter(|u| u.answer.is_some()).count();
    let found: i64 = s.covered.iter().map(|u| u.found).sum();
    let n = |x: usize| x.to_string();
    let summary = t.targs(
        "sc-progress",
        &[("answered", &n(answered)), ("units", &n(s.covered.len()))],
    );
    let detail = t.targs(
        "sc-progress-detail",
        &[
            ("answered", &n(answered)),
            ("pending", &n(s.covered.len() - answered)),
            ("nothing", &n(nothing)),
            ("found", &found.to_string()),
        ],
    );
    let rows = s
        .covered
        .iter()
        .map(|u| {
            let (state, state_class) = match u.answer {
                Some(ScreeningAnswer::NothingFound) => (t.t("sc-state-nothing-found"), "nothing"),
                Some(ScreeningAnswer::Found) => {
                    (t.t1("sc-state-found", "n", &u.found.to_string()), "found")
                }
                None => (t.t("sc-state-pending"), "pending"),
            };
            UnitRow {
                name: if t.is_en() && !u.name_en.is_empty() {
                    u.name_en.clone()
                } else {
                    u.name.clone()
                },
                code: u.code.clone(),
                state,
                state_class,
                note: u.note.clone(),
                answered: match &u.answered_on {
                    Some(d) => format!("{d} · {}", u.answered_by_name),
                    None => String::new(),
                },
                findings: u
                    .findings
                    .iter()
                    .map(|f| (f.dispute_id, f.title.clone()))
                    .collect(),
            }
        })
        .collect();
    let failed = error.is_some();
    let page = CampaignPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        s,
        rows,
        summary,
        detail,
        may_answer,
        entries,
        events,
        error,
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    show_campaign(&state, t, &who, id, None).await
}

pub async fn answer(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Pairs>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &first(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let answer = first(&f, "answer");
    let ids: Vec<i64> = if ScreeningAnswer::parse(answer.trim()) == Some(ScreeningAnswer::Found) {
        all(&f, "disputes")
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect()
    } else {
        vec![]
    };
    match state
        .answer_screening(&who.caller(), id, &answer, &first(&f, "note"), &ids)
        .await
    {
        Ok(_) => Redirect::to(&format!("/staff/screenings/{id}")).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                show_campaign(&state, t, &who, id, Some(msg)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}
