//! The supervision board (督办看板): late and due-soon cases under the caller, by unit and
//! by the stage where the delay is. Every figure links to the queue filtered to exactly
//! its cases.

use super::{error_page, render, tr, Nav};
use crate::auth::PageUser;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::disputes::OverdueUnit;
use app::supervision::{BoardCase, StageCount};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use domain::supervision::DelayStage;
use domain::DueStatus;

/// One figure and the queue behind it.
pub struct Figure {
    pub n: i64,
    pub href: String,
}

pub struct Cell {
    /// The delay stage, or empty for the total.
    pub stage: &'static str,
    pub overdue: Figure,
    pub due_soon: Figure,
    pub max_days_late: i64,
}

pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub depth: usize,
    pub cells: Vec<Cell>,
    pub total: Cell,
    pub listed: Figure,
}

#[derive(Template)]
#[template(path = "supervision_board.html")]
struct BoardPage {
    t: Tr,
    nav: Option<Nav>,
    /// What overdue and due soon mean today.
    window: String,
    stages: Vec<&'static str>,
    units: Vec<UnitRow>,
    late: Vec<BoardCase>,
    listed: Vec<BoardCase>,
    all_overdue: String,
    all_listed: String,
    /// Overdue dispute steps by unit, each linking to the filtered dispute list.
    dispute_steps: Vec<(UnitLine, String)>,
    /// Overdue rectification orders by unit, in words.
    inspection_orders: Vec<(UnitLine, String)>,
}

/// Each unit's overdue count in words (`steps` and `entries` fill the message).
fn overdue_lines(t: &Tr, units: &[OverdueUnit], key: &str) -> Vec<(UnitLine, String)> {
    units
        .iter()
        .map(|u| {
            let line = UnitLine {
                code: u.code.clone(),
                name: if t.is_en() && !u.name_en.is_empty() {
                    u.name_en.clone()
                } else {
                    u.name.clone()
                },
                depth: u.depth,
            };
            let words = t.targs(
                key,
                &[
                    ("steps", &u.steps.to_string()),
                    ("entries", &u.entries.to_string()),
                ],
            );
            (line, words)
        })
        .collect()
}

/// A unit and its overdue dispute steps, in words.
pub struct UnitLine {
    pub code: String,
    pub name: String,
    pub depth: usize,
}

/// The queue of a unit's subtree, filtered like a board figure.
pub fn queue_href(unit: &str, stage: Option<&str>, due: &str) -> String {
    let mut s = format!("/staff/cases?state=open&unit={}", super::urlencode(unit));
    if let Some(st) = stage {
        s.push_str(&format!("&stage={st}"));
    }
    if due == "listed" {
        s.push_str("&listed=1");
    } else {
        s.push_str(&format!("&due={due}"));
    }
    s
}

fn cell(code: &str, stage: Option<&'static str>, c: Option<&StageCount>) -> Cell {
    let c = c.cloned().unwrap_or_default();
    Cell {
        stage: stage.unwrap_or(""),
        overdue: Figure {
            n: c.overdue,
            href: queue_href(code, stage, DueStatus::Overdue.as_str()),
        },
        due_soon: Figure {
            n: c.due_soon,
            href: queue_href(code, stage, DueStatus::DueSoon.as_str()),
        },
        max_days_late: c.max_days_late,
    }
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    let board = match state.supervision_board(&who.caller()).await {
        Ok(b) => b,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let stages: Vec<&'static str> = DelayStage::ALL.iter().map(|s| s.as_str()).collect();
    let units = board
        .units
        .iter()
        .map(|u| UnitRow {
            cells: stages
                .iter()
                .map(|s| cell(&u.code, Some(s), u.stages.get(*s)))
                .collect(),
            total: cell(&u.code, None, Some(&u.total)),
            listed: Figure {
                n: u.listed,
                href: queue_href(&u.code, None, "listed"),
            },
            code: u.code.clone(),
            name: if t.is_en() && !u.name_en.is_empty() {
                u.name_en.clone()
            } else {
                u.name.clone()
            },
            depth: u.depth,
        })
        .collect();
    let page = BoardPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        window: t.targs(
            "sv-board-window",
            &[
                ("today", &board.today.to_string()),
                ("until", &board.due_soon_until.to_string()),
            ],
        ),
        stages,
        units,
        late: board.late,
        listed: board.listed,
        dispute_steps: overdue_lines(&t, &board.dispute_steps, "ds-board-steps"),
        inspection_orders: overdue_lines(&t, &board.inspection_orders, "insp-board-orders"),
        all_overdue: "/staff/cases?state=open&due=overdue".into(),
        all_listed: "/staff/cases?state=open&listed=1".into(),
        t,
    };
    render(&page)
}
