//! The rates table and search results as files (XLSX or CSV). Neither carries
//! petitioners' personal data: the rates are counts, and search results are the case's
//! number and the text around the match, in which names are never shown.

use super::exports::{file_download, parse_format};
use super::extract::ApiQuery;
use super::search::{audit_name_search, run_search, search_request, SearchFailure, SearchQuery};
use super::stats::RatesQuery;
use super::stats_export::TableFormat;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::table_file::{table_bytes, Table};
use axum::extract::State;
use axum::response::Response;
use domain::stats::Rate;
use domain::Permission;

/// The most search results a file holds.
pub const SEARCH_EXPORT_CAP: usize = 2_000;

/// The rates that `q` asks for, as a file: one row per unit, each rate as its percent,
/// numerator and denominator; the subtree's total last.
pub async fn rates_file(
    state: &AppState,
    who: &Principal,
    t: &Tr,
    q: &RatesQuery,
    format: Option<&str>,
) -> ApiResult<Response> {
    let format = parse_format(format)?;
    let (from, to) = q.days()?;
    let unit = q.unit()?;
    let r = state
        .rates(&who.caller(), unit.as_deref(), from, to)
        .await?;
    let mut headings = vec![t.t("field-unit"), t.t("export-col-key")];
    let mut numeric = vec![];
    for rate in Rate::ALL {
        let name = t.code("stats-rate", rate.as_str());
        numeric.push(headings.len() + 1);
        numeric.push(headings.len() + 2);
        headings.push(format!("{name} %"));
        headings.push(format!("{name} {}", t.t("annual-num")));
        headings.push(format!("{name} {}", t.t("annual-den")));
    }
    let cells = |figs: &[(Rate, app::stats::Figure)]| -> Vec<String> {
        figs.iter()
            .flat_map(|(_, f)| {
                let pct = if f.den == 0 {
                    String::new()
                } else {
                    format!("{:.1}", f.num as f64 * 100.0 / f.den as f64)
                };
                [pct, f.num.to_string(), f.den.to_string()]
            })
            .collect()
    };
    let mut rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|u| {
            let name = if t.is_en() && !u.name_en.is_empty() {
                u.name_en.clone()
            } else {
                u.name.clone()
            };
            let name = if u.own {
                t.t1("stats-own", "name", &name)
            } else {
                name
            };
            let mut row = vec![name, u.code.clone()];
            row.extend(cells(&u.rates));
            row
        })
        .collect();
    let mut total = vec![t.t("stats-rates-total"), r.unit.clone()];
    total.extend(cells(&r.total));
    rows.push(total);
    let table = Table {
        headings: &headings,
        numeric: &numeric,
    };
    let bytes = table_bytes(format, &table, rows.into_iter())?;
    file_download(format, &format!("hearken-rates-{}", r.unit), bytes)
}

#[utoipa::path(get, path = "/api/v1/stats/rates/export", tag = "stats", params(RatesQuery, TableFormat),
    responses((status = 200, description = "The rates table as an XLSX or CSV file: per unit, each rate's percent, numerator and denominator; the total last"),
              (status = 404, description = "No such unit in your scope", body = crate::error::ErrorBody),
              (status = 422, description = "A parameter is wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn rates_export(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<RatesQuery>,
    ApiQuery(f): ApiQuery<TableFormat>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    rates_file(&state, &who, &t, &q, f.format.as_deref()).await
}

/// The text of a snippet: tags dropped, entities read back.
fn snippet_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The search `q` (every page, up to [`SEARCH_EXPORT_CAP`] results) as a file.
pub async fn search_file(
    state: &AppState,
    who: &Principal,
    t: &Tr,
    mut q: SearchQuery,
    format: Option<&str>,
) -> Result<Response, SearchFailure> {
    who.require(Permission::ReadCases)?;
    let format = parse_format(format)?;
    q.limit = Some(100);
    q.cursor = None;
    let mut rows: Vec<Vec<String>> = vec![];
    let mut audited = false;
    loop {
        let req = search_request(who, q.clone())?;
        let page = run_search(state, req.clone()).await?;
        if !audited {
            audit_name_search(state, who, &req, "export").await?;
            audited = true;
        }
        for h in page.items {
            rows.push(vec![
                h.case_no,
                format!("{:.3}", h.score),
                snippet_text(&h.snippet),
            ]);
        }
        match page.next {
            Some(next) if rows.len() < SEARCH_EXPORT_CAP => q.cursor = Some(next),
            _ => break,
        }
    }
    rows.truncate(SEARCH_EXPORT_CAP);
    let headings = [
        t.t("export-col-case-no"),
        t.t("annual-score"),
        t.t("annual-snippet"),
    ];
    let table = Table {
        headings: &headings,
        numeric: &[1],
    };
    let bytes = table_bytes(format, &table, rows.into_iter()).map_err(ApiError::from)?;
    Ok(file_download(format, "hearken-search", bytes)?)
}

#[utoipa::path(get, path = "/api/v1/search/export", tag = "cases", params(SearchQuery, TableFormat),
    description = "The search's results (every page, at most 2,000) as an XLSX or CSV file: case number, \
                   relevance and the text around the match. Petitioners' personal data are never in it.",
    responses((status = 200, description = "The file"),
              (status = 422, description = "No query, or a bad filter or format", body = crate::error::ErrorBody),
              (status = 503, description = "The index is being built", body = super::search::IndexBuildingBody)))]
pub async fn search_export(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<SearchQuery>,
    ApiQuery(f): ApiQuery<TableFormat>,
) -> Result<Response, SearchFailure> {
    let t = crate::views::tr(&state, lang);
    search_file(&state, &who, &t, q, f.format.as_deref()).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn snippets_lose_their_tags() {
        assert_eq!(
            super::snippet_text("拖欠<mark>工资</mark> &amp; &lt;b&gt;"),
            "拖欠工资 & <b>"
        );
    }
}
