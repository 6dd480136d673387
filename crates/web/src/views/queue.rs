//! The queue page: the same filters and keyset paging as `GET /api/v1/cases`.

use super::{category_label, category_options, error_page, render, tr, unit_options, Nav, Opt};
use crate::api::cases::ListQuery;
use crate::auth::PageUser;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::{CaseState, CaseType, Channel};

pub struct Row {
    pub id: i64,
    pub case_no: String,
    pub received_on: String,
    pub due_on: String,
    pub due_status: &'static str,
    pub unit_name: String,
    pub channel: domain::Channel,
    pub case_type: domain::CaseType,
    pub category: String,
    pub excerpt: String,
    pub state: domain::CaseState,
    pub stage: domain::Stage,
    /// The region as names (浙江省 › 杭州市 › 西湖区) and as its code.
    pub region_name: String,
    pub region: String,
    /// Under listed supervision (挂牌督办).
    pub listed: bool,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    t: Tr,
    nav: Option<Nav>,
    q: ListQuery,
    rows: Vec<Row>,
    next_url: Option<String>,
    states: Vec<String>,
    channels: Vec<String>,
    types: Vec<String>,
    /// The supervision board's stage groups, for the stage filter.
    delay_stages: Vec<String>,
    categories: Vec<Opt>,
    units: Vec<Opt>,
    regions: Vec<Opt>,
    /// "共 123 件" or "超过 10,000 件".
    count: String,
    notice: Option<String>,
    error: Option<String>,
    csrf: String,
    /// The current filters, as hidden fields of the export form.
    export_fields: Vec<(&'static str, String)>,
    /// The rate filter, kept as hidden fields of the filter form, and said in words with
    /// a link that drops it.
    rate_fields: Vec<(&'static str, String)>,
    rate_note: Option<(String, String)>,
    may_export_personal: bool,
}

/// A number with thousands separators: 10,000.
pub fn grouped(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The result count as the queue shows it.
pub fn count_label(t: &Tr, c: app::model::CaseCount) -> String {
    let n = grouped(c.total);
    if c.exact {
        t.t1("pq-count", "n", &n)
    } else {
        t.t1("pq-count-more", "n", &n)
    }
}

/// The queue's filters by name, those that are set.
fn filter_pairs(q: &ListQuery) -> Vec<(&'static str, String)> {
    [
        ("state", &q.state),
        ("channel", &q.channel),
        ("type", &q.case_type),
        ("category", &q.category),
        ("unit", &q.unit),
        ("region", &q.region),
        ("from", &q.from),
        ("to", &q.to),
        ("month", &q.month),
        ("case_no", &q.case_no),
        ("stage", &q.stage),
        ("due", &q.due),
        ("listed", &q.listed),
        ("rate", &q.rate),
        ("rate_part", &q.rate_part),
        ("rate_unit", &q.rate_unit),
        ("rate_from", &q.rate_from),
        ("rate_to", &q.rate_to),
        ("sort", &q.sort),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect()
}

/// "Only the cases behind 西湖区's on-time acceptance rate, not met, 2026-01-01 – …", and
/// the queue without that filter.
fn rate_note(t: &Tr, q: &ListQuery, units: &[app::model::Unit]) -> Option<(String, String)> {
    let rate = q.rate.as_deref().filter(|r| !r.is_empty())?;
    let code = q.rate_unit.as_deref().unwrap_or("");
    let bare = code.trim_end_matches(domain::stats::ONLY_MARK);
    let name = units
        .iter()
        .find(|u| u.code.eq_ignore_ascii_case(bare))
        .or(units.first())
        .map(|u| {
            let n = if t.is_en() && !u.name_en.is_empty() {
                u.name_en.clone()
            } else {
                u.name.clone()
            };
            if code.ends_with(domain::stats::ONLY_MARK) {
                t.t1("stats-own", "name", &n)
            } else {
                n
            }
        })
        .unwrap_or_default();
    let part = q
        .rate_part
        .as_deref()
        .filter(|p| !p.is_empty())
        .unwrap_or("counted");
    let day = |d: &Option<String>| {
        d.clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "…".into())
    };
    let key = if q.rate_from.as_deref().unwrap_or("").is_empty()
        && q.rate_to.as_deref().unwrap_or("").is_empty()
    {
        "queue-rate-note-any"
    } else {
        "queue-rate-note"
    };
    let text = t.targs(
        key,
        &[
            ("unit", &name),
            ("rate", &t.code("stats-rate", rate)),
            ("part", &t.code("queue-rate-part", part)),
            ("from", &day(&q.rate_from)),
            ("to", &day(&q.rate_to)),
        ],
    );
    let kept: Vec<String> = filter_pairs(q)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("rate"))
        .map(|(k, v)| format!("{k}={}", super::urlencode(&v)))
        .collect();
    Some((text, format!("/staff/cases?{}", kept.join("&"))))
}

/// The queue's filters as a query string (`state=open&category=03`), without the cursor.
pub fn filter_query(q: &ListQuery) -> String {
    filter_pairs(q)
        .iter()
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn query_string(q: &ListQuery, cursor: &str) -> String {
    let filters = filter_query(q);
    if filters.is_empty() {
        format!("cursor={cursor}")
    } else {
        format!("{filters}&cursor={cursor}")
    }
}

#[derive(serde::Deserialize, Default)]
pub struct QueueFlags {
    password_changed: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(mut q): Query<ListQuery>,
    Query(flags): Query<QueueFlags>,
) -> Response {
    let t = tr(&state, lang);
    // The queue opens on the open cases; "any" is an explicit empty choice.
    let explicit = q.state.is_some();
    if !explicit {
        q.state = Some(domain::CaseState::Open.as_str().into());
    }
    let cats = match state.categories().await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let units = match state.units_under(&who.user.unit_path).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let mut error = None;
    let mut count = None;
    let (rows, next) = match (q.filter(&state).await, q.cursor()) {
        (Ok(filter), Ok(cursor)) => match (
            state.list_cases(&who.scope(), &filter, cursor, 50).await,
            state.count_cases(&who.scope(), &filter).await,
        ) {
            (Ok(page), Ok(n)) => {
                count = Some(n);
                (page.items, page.next)
            }
            (Err(e), _) | (_, Err(e)) => return error_page(&t, Some(&who), &e.into()),
        },
        (Err(e), _) | (_, Err(e)) => {
            error = Some(match &e {
                crate::error::ApiError::Validation(f) => f
                    .values()
                    .map(|c| t.code("err", c))
                    .collect::<Vec<_>>()
                    .join(" "),
                other => t.code("err", other.code()),
            });
            (vec![], None)
        }
    };
    let regions = super::regions::Regions::load(&state).await;
    let rows = rows
        .into_iter()
        .map(|c| Row {
            id: c.id,
            case_no: c.case_no,
            received_on: c.received_on,
            due_status: state
                .due_status_of(
                    c.due_on
                        .as_deref()
                        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                )
                .as_str(),
            due_on: c.due_on.unwrap_or_default(),
            unit_name: c.unit_name,
            channel: c.channel,
            case_type: c.case_type,
            category: category_label(&t, &cats, &c.category),
            excerpt: c.excerpt,
            state: c.state,
            stage: c.stage,
            region_name: regions.chain(&c.region),
            region: c.region,
            listed: c.listed,
        })
        .collect();
    let next_url = next.map(|c| format!("/staff/cases?{}", query_string(&q, &c.encode())));
    let page = QueuePage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        rows,
        next_url,
        states: CaseState::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        types: CaseType::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        delay_stages: domain::supervision::DelayStage::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        categories: category_options(&t, &cats),
        units: unit_options(&units),
        regions: regions.prefix_options(2),
        count: count.map(|c| count_label(&t, c)).unwrap_or_default(),
        notice: flags
            .password_changed
            .map(|_| t.t("pq-account-password-changed")),
        csrf: who.csrf().to_string(),
        export_fields: filter_pairs(&q),
        rate_fields: filter_pairs(&q)
            .into_iter()
            .filter(|(k, _)| k.starts_with("rate"))
            .collect(),
        rate_note: rate_note(&t, &q, &units),
        may_export_personal: who
            .role()
            .is_some_and(|r| r.can(domain::Permission::ExportPersonalData)),
        q,
        error,
        t,
    };
    render(&page)
}
