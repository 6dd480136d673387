//! The registers' figures as a page: dispute entries by kind, outcome and holding unit
//! with their overdue steps (what `GET /api/v1/stats/disputes` gives), and overdue
//! rectification orders by unit (`GET /api/v1/stats/inspections`). Each figure links to
//! the list it counts.

use super::{error_page, render, tr, urlencode, Nav};
use crate::auth::PageUser;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::disputes::OverdueUnit;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use std::collections::HashMap;

/// One counted line: its label, its number and the list it counts.
pub struct Line {
    pub label: String,
    pub n: i64,
    pub href: String,
}

/// A table of lines under a heading.
pub struct Section {
    pub key: &'static str,
    pub heading: String,
    pub lines: Vec<Line>,
}

/// A unit's overdue figure, indented by depth.
pub struct UnitFigure {
    pub name: String,
    pub code: String,
    pub depth: usize,
    pub words: String,
}

#[derive(Template)]
#[template(path = "register_stats.html")]
struct Page {
    t: Tr,
    nav: Option<Nav>,
    total: i64,
    sections: Vec<Section>,
    dispute_overdue: String,
    dispute_units: Vec<UnitFigure>,
    order_overdue: String,
    order_units: Vec<UnitFigure>,
}

fn figures(t: &Tr, units: &[OverdueUnit], key: &str) -> Vec<UnitFigure> {
    units
        .iter()
        .map(|u| UnitFigure {
            name: if t.is_en() && !u.name_en.is_empty() {
                u.name_en.clone()
            } else {
                u.name.clone()
            },
            code: u.code.clone(),
            depth: u.depth,
            words: t.targs(
                key,
                &[
                    ("steps", &u.steps.to_string()),
                    ("entries", &u.entries.to_string()),
                ],
            ),
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    let caller = who.caller();
    let mut names: HashMap<String, String> = HashMap::new();
    if let Ok(units) = state.units_under(&caller.unit_path).await {
        for u in units {
            let name = if t.is_en() && !u.name_en.is_empty() {
                u.name_en
            } else {
                u.name
            };
            names.insert(u.code, name);
        }
    }
    let mut sections = vec![];
    let mut total = 0;
    for (by, prefix) in [("kind", "dkind"), ("outcome", "doutcome"), ("unit", "")] {
        let rows = match state.dispute_volume(&caller, by).await {
            Ok(r) => r,
            Err(e) => return error_page(&t, Some(&who), &e.into()),
        };
        total = rows.iter().map(|r| r.1).sum();
        let lines = rows
            .into_iter()
            .map(|(key, n)| Line {
                label: if prefix.is_empty() {
                    names.get(&key).cloned().unwrap_or_else(|| key.clone())
                } else {
                    t.code(prefix, &key)
                },
                n,
                href: format!("/staff/disputes?{by}={}", urlencode(&key)),
            })
            .collect();
        sections.push(Section {
            key: by,
            heading: t.code("reg-stats-by", by),
            lines,
        });
    }
    let (disputes, orders) = match (
        state.overdue_dispute_units(&caller).await,
        state.overdue_order_units(&caller).await,
    ) {
        (Ok(d), Ok(o)) => (d, o),
        (Err(e), _) | (_, Err(e)) => return error_page(&t, Some(&who), &e.into()),
    };
    let top = |u: &[OverdueUnit]| {
        u.iter()
            .find(|u| u.depth == 0)
            .map(|u| (u.steps, u.entries))
            .unwrap_or((0, 0))
    };
    let (steps, entries) = top(&disputes);
    let (n_orders, n_est) = top(&orders);
    let page = Page {
        nav: Nav::with_warnings(&state, &t, &who).await,
        total,
        sections,
        dispute_overdue: t.targs(
            "ds-board-steps",
            &[
                ("steps", &steps.to_string()),
                ("entries", &entries.to_string()),
            ],
        ),
        dispute_units: figures(&t, &disputes, "ds-board-steps"),
        order_overdue: t.targs(
            "insp-board-orders",
            &[
                ("steps", &n_orders.to_string()),
                ("entries", &n_est.to_string()),
            ],
        ),
        order_units: figures(&t, &orders, "insp-board-orders"),
        t,
    };
    render(&page)
}
