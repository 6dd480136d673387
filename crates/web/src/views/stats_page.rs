//! `/staff/stats`: volumes as tables of SVG bars, each bar a link to the queue filtered to
//! exactly its cases, and the per-unit rates of the units right below the chosen one.

use super::{category_options, error_page, render, tr, unit_options, urlencode, Nav, Opt};
use crate::api::stats::{label_rows, VolumeQuery};
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::queue::grouped;
use crate::views::regions::Regions;
use app::stats::VolumeBy;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use domain::stats::{Rate, ONLY_MARK};

/// The longest bar, in SVG units (the bar's box is 100 wide).
const BAR_MAX: f64 = 100.0;

pub struct Bar {
    pub label: String,
    pub count: String,
    /// The bar's length, 0–100.
    pub width: String,
    /// The queue, filtered to exactly these cases.
    pub cases: String,
    /// The same statistics one level further down, where there is a level below.
    pub drill: Option<String>,
    pub key: String,
}

pub struct RateCell {
    pub percent: String,
    pub num: String,
    pub den: String,
    /// The queue of the cases behind the numerator, the denominator, and (where the rate
    /// has them) the misses with their count.
    pub met_url: String,
    pub counted_url: String,
    pub missed: Option<(String, String)>,
}

pub struct RateLine {
    pub name: String,
    pub code: String,
    pub own: bool,
    pub drill: Option<String>,
    pub cases: String,
    pub cells: Vec<RateCell>,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    t: Tr,
    nav: Option<Nav>,
    q: VolumeQuery,
    by: &'static str,
    bys: Vec<&'static str>,
    bars: Vec<Bar>,
    total: String,
    total_cases: String,
    units: Vec<Opt>,
    categories: Vec<Opt>,
    regions: Vec<Opt>,
    rates: Vec<&'static str>,
    rate_lines: Vec<RateLine>,
    rate_total: Vec<RateCell>,
    /// What the figures cover, for print (the filters are not printed).
    covers: String,
    /// The page's filters and `by`, for the export links.
    export_query: String,
    error: Option<String>,
}

/// The page's filters as query pairs, without `skip`.
fn pairs(q: &VolumeQuery, skip: &str) -> Vec<(&'static str, String)> {
    [
        ("unit", &q.unit),
        ("state", &q.state),
        ("channel", &q.channel),
        ("type", &q.case_type),
        ("category", &q.category),
        ("region", &q.region),
        ("from", &q.from),
        ("to", &q.to),
        ("month", &q.month),
    ]
    .into_iter()
    .filter(|(k, _)| *k != skip)
    .filter_map(|(k, v)| {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .map(|s| (k, s))
    })
    .collect()
}

fn query_string(p: &[(&str, String)]) -> String {
    p.iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The queue listing exactly the cases of the row `key` of a volume by `by`. The queue
/// opens on open cases unless `state` is given, so an empty `state` asks for all.
pub fn queue_link(q: &VolumeQuery, by: VolumeBy, key: &str) -> String {
    let mut p = pairs(q, by.as_str());
    p.push((by.as_str(), key.to_string()));
    if !p.iter().any(|(k, _)| *k == "state") {
        p.insert(0, ("state", String::new()));
    }
    format!("/staff/cases?{}", query_string(&p))
}

/// The same statistics one level below the row `key` (units, categories, regions).
fn stats_link(q: &VolumeQuery, by: VolumeBy, key: &str) -> String {
    let mut p = pairs(q, by.as_str());
    p.push((by.as_str(), key.to_string()));
    p.push(("by", by.as_str().to_string()));
    format!("/staff/stats?{}", query_string(&p))
}

/// A rate's cell, each number linking to the queue of exactly the cases behind it.
fn cell(
    t: &Tr,
    rate: Rate,
    f: &app::stats::Figure,
    unit: &str,
    days: (Option<NaiveDate>, Option<NaiveDate>),
) -> RateCell {
    let base = format!(
        "/staff/cases?state=&{}",
        crate::api::stats::rate_cases_query(rate, unit, days.0, days.1)
    );
    let missed = f.den - f.num;
    RateCell {
        percent: if f.den == 0 {
            "—".into()
        } else {
            format!("{:.1}%", f.num as f64 * 100.0 / f.den as f64)
        },
        num: grouped(f.num),
        den: grouped(f.den),
        met_url: format!("{base}&rate_part=met"),
        counted_url: base.clone(),
        missed: (rate.lists_misses() && missed > 0).then(|| {
            (
                format!("{base}&rate_part=missed"),
                t.t1("stats-missed", "n", &grouped(missed)),
            )
        }),
    }
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(mut q): Query<VolumeQuery>,
) -> Response {
    let t = tr(&state, lang);
    let caller = who.caller();
    if !domain::stats::may_read_statistics(caller.role) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    if q.by.as_deref().is_none_or(|b| b.trim().is_empty()) {
        q.by = Some("category".into());
    }
    let by = q.by().unwrap_or(VolumeBy::Category);
    q.by = Some(by.as_str().into());
    let (cats, units) = match (
        state.categories().await,
        state.units_under(&who.user.unit_path).await,
    ) {
        (Ok(c), Ok(u)) => (c, u),
        (Err(e), _) | (_, Err(e)) => return error_page(&t, Some(&who), &e.into()),
    };
    let regions = Regions::load(&state).await;
    let mut error = None;
    let mut bars = vec![];
    let mut total = 0;
    match q.list_query().filter(&state).await {
        Ok(filter) => match state.volume(&caller, &filter, by).await {
            Ok(v) => {
                total = v.total;
                let max = v.rows.iter().map(|r| r.count).max().unwrap_or(1).max(1);
                bars = label_rows(&t, &regions, by, &v)
                    .into_iter()
                    .map(|r| Bar {
                        width: format!("{:.1}", r.count as f64 * BAR_MAX / max as f64),
                        count: grouped(r.count),
                        cases: queue_link(&q, by, &r.key),
                        drill: r.drillable.then(|| stats_link(&q, by, &r.key)),
                        label: r.label,
                        key: r.key,
                    })
                    .collect();
            }
            Err(e) => return error_page(&t, Some(&who), &e.into()),
        },
        Err(ApiError::Validation(fields)) => {
            error = Some(
                fields
                    .iter()
                    .map(|(f, c)| format!("{}: {}", t.field_label(f), t.code("err", c)))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        Err(e) => return error_page(&t, Some(&who), &e),
    }

    // Rates: for the unit chosen (its own steps and each unit right below it).
    let rate_unit = q
        .unit
        .as_deref()
        .map(|u| u.trim().trim_end_matches(ONLY_MARK).to_string())
        .filter(|u| !u.is_empty());
    let days = crate::api::stats::RatesQuery {
        unit: rate_unit.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
    }
    .days();
    let mut rate_lines = vec![];
    let mut rate_total = vec![];
    if let Ok((from, to)) = days {
        match state.rates(&caller, rate_unit.as_deref(), from, to).await {
            Ok(r) => {
                let base_code = r.unit.clone();
                rate_total = r
                    .total
                    .iter()
                    .map(|(rate, f)| cell(&t, *rate, f, &base_code, (from, to)))
                    .collect();
                rate_lines = r
                    .rows
                    .iter()
                    .map(|u| {
                        let name = if t.is_en() && !u.name_en.is_empty() {
                            u.name_en.clone()
                        } else {
                            u.name.clone()
                        };
                        let mut p = pairs(&q, "unit");
                        p.retain(|(k, _)| matches!(*k, "from" | "to"));
                        let code = if u.own {
                            format!("{}{ONLY_MARK}", u.code)
                        } else {
                            u.code.clone()
                        };
                        p.insert(0, ("state", String::new()));
                        p.push(("unit", code));
                        RateLine {
                            name: if u.own {
                                t.t1("stats-own", "name", &name)
                            } else {
                                name
                            },
                            drill: (!u.own).then(|| {
                                format!(
                                    "/staff/stats?by={}&unit={}{}",
                                    by.as_str(),
                                    urlencode(&u.code),
                                    pairs(&q, "unit")
                                        .iter()
                                        .filter(|(k, _)| matches!(*k, "from" | "to"))
                                        .map(|(k, v)| format!("&{k}={}", urlencode(v)))
                                        .collect::<String>()
                                )
                            }),
                            cases: format!("/staff/cases?{}", query_string(&p)),
                            code: u.code.clone(),
                            own: u.own,
                            cells: u
                                .rates
                                .iter()
                                .map(|(rate, f)| {
                                    let key = if u.own {
                                        format!("{}{ONLY_MARK}", u.code)
                                    } else {
                                        u.code.clone()
                                    };
                                    cell(&t, *rate, f, &key, (from, to))
                                })
                                .collect(),
                        }
                    })
                    .collect();
            }
            Err(app::AppError::NotFound) => {}
            Err(e) => return error_page(&t, Some(&who), &e.into()),
        }
    }

    let unit_code = rate_unit.clone().unwrap_or_default();
    let unit_name = units
        .iter()
        .find(|u| u.code.eq_ignore_ascii_case(&unit_code))
        .or(units.first())
        .map(|u| {
            if t.is_en() && !u.name_en.is_empty() {
                u.name_en.clone()
            } else {
                u.name.clone()
            }
        })
        .unwrap_or_default();
    let day = |d: &Option<String>| {
        d.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map_or_else(|| "…".to_string(), str::to_string)
    };
    let covers = t.targs(
        "stats-covers",
        &[
            ("unit", &unit_name),
            ("from", &day(&q.from)),
            ("to", &day(&q.to)),
        ],
    );
    let mut export = pairs(&q, "");
    export.push(("by", by.as_str().to_string()));
    let page = StatsPage {
        covers,
        export_query: query_string(&export),
        nav: Nav::with_warnings(&state, &t, &who).await,
        by: by.as_str(),
        bys: VolumeBy::ALL.iter().map(|b| b.as_str()).collect(),
        bars,
        total: grouped(total),
        total_cases: queue_link_all(&q),
        units: unit_options(&units),
        categories: category_options(&t, &cats),
        regions: regions.prefix_options(3),
        rates: Rate::ALL.iter().map(|r| r.as_str()).collect(),
        rate_lines,
        rate_total,
        error,
        q,
        t,
    };
    render(&page)
}

/// The queue listing every case the volume counts.
fn queue_link_all(q: &VolumeQuery) -> String {
    let mut p = pairs(q, "");
    if !p.iter().any(|(k, _)| *k == "state") {
        p.insert(0, ("state", String::new()));
    }
    format!("/staff/cases?{}", query_string(&p))
}

/// The volume table the page shows, as a file (`format=xlsx|csv`).
pub async fn export(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<VolumeQuery>,
    Query(f): Query<crate::api::stats_export::TableFormat>,
) -> Response {
    let t = tr(&state, lang);
    if !domain::stats::may_read_statistics(who.caller().role) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    match crate::api::stats_export::volume_file(&state, &who, &t, &q, f.format.as_deref()).await {
        Ok(file) => file,
        Err(e) => error_page(&t, Some(&who), &e),
    }
}
