//! `/staff/hotspots`: rising clusters of petitions on one matter (矛盾隐患预警), each with
//! its trend as a small SVG sparkline, its cases, its respondent or place; a cluster can
//! be given to an owner leader or turned into a dispute-register entry.

use super::{csrf_ok, csrf_refused, error_page, render, tr, unit_options, urlencode, Nav, Opt};
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::regions::Regions;
use app::hotspots::{ClusterKind, Hotspot};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct HotspotForm {
    pub unit: Option<String>,
    pub window: Option<String>,
    pub assigned: Option<String>,
}

pub struct Card {
    pub key: String,
    pub kind: String,
    pub title: String,
    pub place: String,
    pub respondent: String,
    pub trend: String,
    /// The sparkline's polyline points (100×24 box).
    pub points: String,
    pub cases: Vec<(i64, String, String)>,
    pub case_ids: String,
    pub owner: Option<String>,
    pub dispute_link: String,
}

#[derive(Template)]
#[template(path = "hotspots.html")]
struct HotspotsPage {
    t: Tr,
    nav: Option<Nav>,
    units: Vec<Opt>,
    unit: String,
    window: String,
    covers: String,
    cards: Vec<Card>,
    leaders: Vec<(i64, String)>,
    may_assign: bool,
    assigned: bool,
    text_skipped: bool,
    error: Option<String>,
}

/// The points of a sparkline of `series` in a 100×24 box.
pub fn spark(series: &[usize]) -> String {
    let max = series.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = 100.0 / (series.len().max(2) - 1) as f64;
    series
        .iter()
        .enumerate()
        .map(|(i, n)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                22.0 - *n as f64 * 20.0 / max
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn card(t: &Tr, regions: &Regions, unit: &str, h: &Hotspot) -> Card {
    let category = if t.is_en() && !h.category_name_en.is_empty() {
        h.category_name_en.clone()
    } else {
        h.category_name.clone()
    };
    let place_name = h
        .region
        .as_deref()
        .map(|r| {
            let n = regions.prefix_name(r);
            if n.is_empty() {
                r.to_string()
            } else {
                n
            }
        })
        .unwrap_or_default();
    let respondent = h.respondent.clone().unwrap_or_default();
    let title = match h.kind {
        ClusterKind::Respondent => respondent.clone(),
        ClusterKind::Place => format!("{place_name} · {category}"),
        ClusterKind::Text => t.t1(
            "hotspot-text-title",
            "case",
            &h.cases
                .first()
                .map(|c| c.case_no.clone())
                .unwrap_or_default(),
        ),
    };
    let ids: Vec<String> = h.cases.iter().map(|c| c.id.to_string()).collect();
    let case_ids = ids.join(",");
    let dispute_link = format!(
        "/staff/disputes/new?title={}&kind={}&region={}&address={}&parties={}&cases={}&hotspot={}&unit={}",
        urlencode(&t.t1("hotspot-dispute-title", "title", &title)),
        urlencode(h.category.as_deref().unwrap_or("")),
        urlencode(h.region.as_deref().unwrap_or("")),
        urlencode(&place_name),
        urlencode(&respondent),
        urlencode(&case_ids),
        urlencode(&h.key),
        urlencode(unit),
    );
    Card {
        key: h.key.clone(),
        kind: t.code(
            "hotspot-kind",
            match h.kind {
                ClusterKind::Respondent => "respondent",
                ClusterKind::Place => "place",
                ClusterKind::Text => "text",
            },
        ),
        title,
        place: if category.is_empty() {
            place_name
        } else {
            format!("{place_name} · {category}")
        },
        respondent,
        trend: t.targs(
            "hotspot-now-before",
            &[
                ("now", &h.now.to_string()),
                ("before", &h.before.to_string()),
            ],
        ),
        points: spark(&h.series),
        cases: h
            .cases
            .iter()
            .map(|c| (c.id, c.case_no.clone(), c.received_on.clone()))
            .collect(),
        case_ids,
        owner: h.owner.as_ref().map(|o| o.name.clone()),
        dispute_link,
    }
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(f): Query<HotspotForm>,
) -> Response {
    let t = tr(&state, lang);
    let caller = who.caller();
    let units = match state.units_under(&who.user.unit_path).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let window = match f.window.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => Ok(None),
        Some(w) => w.parse::<u32>().map(Some).map_err(|_| ()),
    };
    let unit = f.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let regions = Regions::load(&state).await;
    let mut error = None;
    let mut cards = vec![];
    let mut covers = String::new();
    let mut text_skipped = false;
    let found = match window {
        Ok(w) => {
            state
                .hotspots(&caller, unit, w, None, Some(state.search.clone()))
                .await
        }
        Err(()) => Err(app::AppError::field("window", "invalid")),
    };
    match found {
        Ok(h) => {
            covers = t.targs(
                "hotspot-covers",
                &[
                    ("from", &h.now_from),
                    ("to", &h.now_to),
                    ("bfrom", &h.before_from),
                    ("bto", &h.before_to),
                ],
            );
            text_skipped = h.text_skipped;
            cards = h
                .items
                .iter()
                .map(|x| card(&t, &regions, &h.unit, x))
                .collect();
        }
        Err(app::AppError::Validation(fields)) => {
            error = Some(
                fields
                    .iter()
                    .map(|(k, c)| format!("{}: {}", k, t.code("err", c)))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    }
    let may_assign = domain::annual::may_assign_hotspot(who.user.role);
    let leaders = if may_assign {
        state
            .hotspot_leaders(&caller)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.id, format!("{} ({})", u.display_name, u.unit_name)))
            .collect()
    } else {
        vec![]
    };
    render(&HotspotsPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        units: unit_options(&units),
        unit: f.unit.clone().unwrap_or_default(),
        window: f.window.clone().unwrap_or_else(|| "30".into()),
        covers,
        cards,
        leaders,
        may_assign,
        assigned: f.assigned.is_some(),
        text_skipped,
        error,
        t,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub key: String,
    pub unit: Option<String>,
    pub window: Option<String>,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub cases: String,
}

pub async fn assign(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<AssignForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    // An empty choice on a hotspot that has an owner removes them.
    let owner = match f.owner.trim() {
        "" => None,
        o => match o.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return error_page(&t, Some(&who), &ApiError::field("owner", "required")),
        },
    };
    let cases: Vec<i64> = f
        .cases
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let unit = f.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    match state
        .assign_hotspot(&who.caller(), unit, &f.key, &f.label, owner, &cases)
        .await
    {
        Ok(()) => Redirect::to(&format!(
            "/staff/hotspots?unit={}&window={}&assigned=1",
            urlencode(unit.unwrap_or("")),
            urlencode(f.window.as_deref().unwrap_or(""))
        ))
        .into_response(),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}
