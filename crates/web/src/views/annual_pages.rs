//! `/staff/annual-report`: a unit's annual report (Art. 41) on screen and as a clean A4
//! print document, worded from the editable template; issuing keeps a frozen version;
//! `/staff/annual-report/template` is the admin's editor of the wording.

use super::{csrf_ok, csrf_refused, error_page, render, tr, unit_options, urlencode, Nav, Opt};
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::queue::grouped;
use app::annual::{AnnualFigures, AnnualReport};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Datelike;
use domain::annual::DocumentLang;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize)]
pub struct ReportForm {
    pub unit: Option<String>,
    pub year: Option<String>,
    /// What was done (the office's own words).
    pub done: Option<String>,
}

/// One line of a figure table: a label, its count, its bar (0–100) and the queue link.
pub struct Line {
    pub label: String,
    pub count: String,
    pub width: String,
    pub link: String,
}

pub struct MonthBar {
    pub month: String,
    pub count: i64,
    pub prev: i64,
    /// Bar heights and positions in the month chart's SVG units.
    pub x: String,
    pub y: String,
    pub h: String,
    pub px: String,
    pub py: String,
    pub ph: String,
    pub link: String,
}

pub struct Section {
    pub title: String,
    pub testid: &'static str,
    pub lines: Vec<Line>,
}

/// Everything the report shows, for the screen and the print document.
pub struct Doc {
    pub total: String,
    pub prev_total: String,
    pub change: String,
    pub total_link: String,
    pub months: Vec<MonthBar>,
    pub title: String,
    /// The figure tables: heading, test id, lines.
    pub tables: Vec<Section>,
    pub activity: Vec<(String, String)>,
    pub rates: Vec<(String, String, String)>,
    pub paragraphs: Vec<String>,
}

fn lines(rows: &[(String, i64, String)]) -> Vec<Line> {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    rows.iter()
        .map(|(label, n, link)| Line {
            label: label.clone(),
            count: grouped(*n),
            width: format!("{:.1}", *n as f64 * 100.0 / max as f64),
            link: link.clone(),
        })
        .collect()
}

/// The report as the pages show it.
pub fn doc(t: &Tr, f: &AnnualFigures, text: &str) -> Doc {
    let en = t.is_en();
    let named = |zh: &str, e: &str| {
        if en && !e.is_empty() {
            e.to_string()
        } else {
            zh.to_string()
        }
    };
    let unit = urlencode(&f.unit);
    let base = format!(
        "/staff/cases?state=&unit={unit}&from={}&to={}",
        f.from, f.to
    );
    let link = |k: &str, v: &str| format!("{base}&{k}={}", urlencode(v));
    let max = f
        .months
        .iter()
        .map(|m| m.count.max(m.prev))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let months = f
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let h = m.count as f64 * 100.0 / max;
            let ph = m.prev as f64 * 100.0 / max;
            MonthBar {
                month: m.month.get(5..).unwrap_or("").to_string(),
                count: m.count,
                prev: m.prev,
                x: format!("{:.1}", i as f64 * 25.0 + 12.0),
                y: format!("{:.1}", 105.0 - h),
                h: format!("{h:.1}"),
                px: format!("{:.1}", i as f64 * 25.0 + 4.0),
                py: format!("{:.1}", 105.0 - ph),
                ph: format!("{ph:.1}"),
                link: format!(
                    "/staff/cases?state=&unit={unit}&month={}",
                    urlencode(&m.month)
                ),
            }
        })
        .collect();
    let vol = |rows: &[app::stats::VolumeRow], k: &str, group: Option<&str>| {
        lines(
            &rows
                .iter()
                .map(|r| {
                    let label = match group {
                        Some(g) => t.code(g, &r.key),
                        None => named(&r.name, &r.name_en),
                    };
                    let label = if label.is_empty() {
                        r.key.clone()
                    } else {
                        label
                    };
                    (label, r.count, link(k, &r.key))
                })
                .collect::<Vec<_>>(),
        )
    };
    let a = &f.activity;
    Doc {
        total: grouped(f.total),
        prev_total: grouped(f.prev_total),
        change: f
            .change_pct
            .map_or("—".to_string(), |p| format!("{p:+.1}%")),
        total_link: base.clone(),
        months,
        title: t.targs(
            "annual-doc-title",
            &[
                ("unit", &named(&f.unit_name, &f.unit_name_en)),
                ("year", &f.year.to_string()),
            ],
        ),
        tables: vec![
            Section {
                title: t.t("annual-by-channel"),
                testid: "annual-channels",
                lines: vol(&f.by_channel, "channel", Some("channel")),
            },
            Section {
                title: t.t("annual-by-type"),
                testid: "annual-types",
                lines: vol(&f.by_type, "type", Some("type")),
            },
            Section {
                title: t.t("annual-by-category"),
                testid: "annual-categories",
                lines: vol(&f.by_category, "category", None),
            },
            Section {
                title: t.t("annual-top-units"),
                testid: "annual-top-units",
                lines: vol(&f.top_units, "unit", None),
            },
            Section {
                title: t.t("annual-top-categories"),
                testid: "annual-top-categories",
                lines: vol(&f.top_categories, "category", None),
            },
            Section {
                title: t.t("annual-top-respondents"),
                testid: "annual-top-respondents",
                lines: lines(
                    &f.top_respondents
                        .iter()
                        .map(|r| (r.name.clone(), r.count, String::new()))
                        .collect::<Vec<_>>(),
                ),
            },
        ],
        activity: vec![
            (t.t("annual-transfers"), grouped(a.transfers)),
            (t.t("annual-assigns"), grouped(a.assigns)),
            (t.t("annual-orders"), grouped(a.orders)),
            (t.t("annual-orders-answered"), grouped(a.orders_answered)),
            (t.t("annual-accountability"), grouped(a.accountability)),
        ],
        rates: f
            .rates
            .iter()
            .map(|(r, fig)| {
                (
                    t.code("stats-rate", r.as_str()),
                    if fig.den == 0 {
                        "—".into()
                    } else {
                        format!("{:.1}%", fig.num as f64 * 100.0 / fig.den as f64)
                    },
                    format!("{}/{}", grouped(fig.num), grouped(fig.den)),
                )
            })
            .collect(),
        paragraphs: text
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    }
}

fn lang_of(t: &Tr) -> DocumentLang {
    if t.is_en() {
        DocumentLang::En
    } else {
        DocumentLang::Zh
    }
}

#[derive(Template)]
#[template(path = "annual_report.html")]
struct ReportPage {
    t: Tr,
    nav: Option<Nav>,
    units: Vec<Opt>,
    unit: String,
    year: String,
    done: String,
    d: Option<Doc>,
    print_link: String,
    may_issue: bool,
    issued: Vec<(i64, String, String)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "annual_print.html")]
struct PrintPage {
    t: Tr,
    d: Doc,
    back: String,
    issued: Option<String>,
}

fn parse_year(state: &AppState, y: Option<&str>) -> Result<i32, ApiError> {
    match y.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(state.config.today().year()),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2200).contains(y))
            .ok_or_else(|| ApiError::field("year", "invalid_year")),
    }
}

async fn build(
    state: &AppState,
    who: &crate::auth::Principal,
    t: &Tr,
    f: &ReportForm,
) -> Result<AnnualReport, ApiError> {
    let year = parse_year(state, f.year.as_deref())?;
    let unit = f.unit.as_deref().map(str::trim).filter(|s| !s.is_empty());
    Ok(state
        .annual_report(
            &who.caller(),
            unit,
            year,
            lang_of(t),
            f.done.as_deref().unwrap_or(""),
        )
        .await?)
}

fn query_of(f: &ReportForm) -> String {
    format!(
        "unit={}&year={}&done={}",
        urlencode(f.unit.as_deref().unwrap_or("")),
        urlencode(f.year.as_deref().unwrap_or("")),
        urlencode(f.done.as_deref().unwrap_or(""))
    )
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(f): Query<ReportForm>,
) -> Response {
    let t = tr(&state, lang);
    let units = match state.units_under(&who.user.unit_path).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let (d, error) = match build(&state, &who, &t, &f).await {
        Ok(r) => (Some(doc(&t, &r.figures, &r.text)), None),
        Err(ApiError::Validation(fields)) => (
            None,
            Some(
                fields
                    .iter()
                    .map(|(k, c)| format!("{}: {}", t.field_label(k), t.code("err", c)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ),
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let issued = state
        .issued_annual_reports(&who.caller(), None)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let unit = units
                .iter()
                .find(|u| u.id == r.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (
                r.id,
                format!("{unit} {} · v{}", r.year, r.version),
                r.issued_by_name,
            )
        })
        .collect();
    let page = ReportPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        units: unit_options(&units),
        unit: f.unit.clone().unwrap_or_default(),
        year: f
            .year
            .clone()
            .filter(|y| !y.trim().is_empty())
            .unwrap_or_else(|| state.config.today().year().to_string()),
        done: f.done.clone().unwrap_or_default(),
        print_link: format!("/staff/annual-report/print?{}", query_of(&f)),
        may_issue: domain::annual::may_issue_report(who.user.role),
        issued,
        error,
        d,
        t,
    };
    render(&page)
}

/// The report alone, as an A4 document.
pub async fn print(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(f): Query<ReportForm>,
) -> Response {
    let t = tr(&state, lang);
    match build(&state, &who, &t, &f).await {
        Ok(r) => render(&PrintPage {
            d: doc(&t, &r.figures, &r.text),
            back: format!("/staff/annual-report?{}", query_of(&f)),
            issued: None,
            t,
        }),
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    pub csrf: String,
    pub unit: Option<String>,
    pub year: Option<String>,
    pub done: Option<String>,
}

/// Issues the report as shown: a new frozen version, then its document.
pub async fn issue(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<IssueForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    let year = match parse_year(&state, f.year.as_deref()) {
        Ok(y) => y,
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let unit = f.unit.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match state
        .issue_annual_report(
            &who.caller(),
            unit,
            year,
            lang_of(&t),
            f.done.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(r) => Redirect::to(&format!("/staff/annual-report/issued/{}", r.id)).into_response(),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}

/// An issued report: its figures and text as they were when issued.
pub async fn issued(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    let r = match state.issued_annual_report(&who.caller(), id).await {
        Ok(r) => r,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let figures: AnnualFigures = match serde_json::from_str(&r.figures) {
        Ok(f) => f,
        Err(e) => return error_page(&t, Some(&who), &ApiError::Internal(e.to_string())),
    };
    let stamp = chrono::DateTime::from_timestamp_millis(r.issued_at)
        .map(|d| {
            d.with_timezone(&state.config.time_zone)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    render(&PrintPage {
        d: doc(&t, &figures, &r.body),
        back: format!(
            "/staff/annual-report?unit={}&year={}",
            urlencode(&figures.unit),
            figures.year
        ),
        issued: Some(t.targs(
            "annual-issued-stamp",
            &[
                ("version", &r.version.to_string()),
                ("by", &r.issued_by_name),
                ("at", &stamp),
            ],
        )),
        t,
    })
}

#[derive(Template)]
#[template(path = "annual_template.html")]
struct TemplatePage {
    t: Tr,
    nav: Option<Nav>,
    zh: String,
    en: String,
    zh_from: String,
    en_from: String,
    placeholders: Vec<&'static str>,
    saved: bool,
    error: Option<String>,
}

async fn template_page(
    state: &AppState,
    t: Tr,
    who: &crate::auth::Principal,
    typed: Option<(String, String)>,
    saved: bool,
    error: Option<String>,
) -> Response {
    let unit = match state.report_unit(&who.caller(), None).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let mut bodies = HashMap::new();
    let mut froms = HashMap::new();
    for lang in DocumentLang::ALL.iter().copied() {
        match state.annual_template(&unit, lang).await {
            Ok((body, from)) => {
                bodies.insert(lang, body);
                froms.insert(
                    lang,
                    match from {
                        Some((code, name)) => t.targs(
                            "annual-template-from",
                            &[("unit", &format!("{name} ({code})"))],
                        ),
                        None => t.t("annual-template-default"),
                    },
                );
            }
            Err(e) => return error_page(&t, Some(who), &e.into()),
        }
    }
    let (zh, en) = typed.unwrap_or_else(|| {
        (
            bodies.remove(&DocumentLang::Zh).unwrap_or_default(),
            bodies.remove(&DocumentLang::En).unwrap_or_default(),
        )
    });
    render(&TemplatePage {
        nav: Nav::with_warnings(state, &t, who).await,
        zh,
        en,
        zh_from: froms.remove(&DocumentLang::Zh).unwrap_or_default(),
        en_from: froms.remove(&DocumentLang::En).unwrap_or_default(),
        placeholders: domain::annual::PLACEHOLDERS.to_vec(),
        saved,
        error,
        t,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

pub async fn template_form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<SavedQuery>,
) -> Response {
    let t = tr(&state, lang);
    if !domain::annual::may_edit_template(who.user.role) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    template_page(&state, t, &who, None, q.saved.is_some(), None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub zh: String,
    #[serde(default)]
    pub en: String,
}

pub async fn template_save(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<TemplateForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    let caller = who.caller();
    let unit = match state.report_unit(&caller, None).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    for (lang, body) in [(DocumentLang::Zh, &f.zh), (DocumentLang::En, &f.en)] {
        // A language left as it was is not saved as an edit of this unit.
        let now = state.annual_template(&unit, lang).await.map(|(b, _)| b);
        if now.is_ok_and(|b| b.replace("\r\n", "\n") == body.replace("\r\n", "\n")) {
            continue;
        }
        if let Err(e) = state.set_annual_template(&caller, lang, body).await {
            let e: ApiError = e.into();
            if let ApiError::Validation(fields) = &e {
                let msg = fields
                    .iter()
                    .map(|(k, c)| format!("{}: {}", k, t.code("err", c)))
                    .collect::<Vec<_>>()
                    .join(" ");
                return template_page(
                    &state,
                    t,
                    &who,
                    Some((f.zh.clone(), f.en.clone())),
                    false,
                    Some(msg),
                )
                .await;
            }
            return error_page(&t, Some(&who), &e);
        }
    }
    Redirect::to("/staff/annual-report/template?saved=1").into_response()
}
