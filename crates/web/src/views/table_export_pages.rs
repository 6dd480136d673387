//! The search results and the rates table as files, from the pages' export links.

use super::{error_page, tr};
use crate::api::search::{SearchFailure, SearchQuery};
use crate::api::stats::RatesQuery;
use crate::api::stats_export::TableFormat;
use crate::api::table_exports::{rates_file, search_file};
use crate::auth::PageUser;
use crate::i18n::ReqLang;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

/// `/staff/search/export`: the search the page shows (`unit` is ignored: the scope is
/// the user's).
pub async fn search(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<SearchQuery>,
    Query(f): Query<TableFormat>,
) -> Response {
    let t = tr(&state, lang);
    match search_file(&state, &who, &t, q, f.format.as_deref()).await {
        Ok(file) => file,
        Err(SearchFailure::Api(e)) => error_page(&t, Some(&who), &e),
        Err(building) => building.into_response(),
    }
}

/// `/staff/stats/rates/export`: the rates table of the statistics page (its `unit`,
/// `from` and `to`; the other filters do not apply to rates).
pub async fn rates(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<RatesQuery>,
    Query(f): Query<TableFormat>,
) -> Response {
    let t = tr(&state, lang);
    let q = RatesQuery {
        unit: q.unit.map(|u| {
            u.trim()
                .trim_end_matches(domain::stats::ONLY_MARK)
                .to_string()
        }),
        ..q
    };
    match rates_file(&state, &who, &t, &q, f.format.as_deref()).await {
        Ok(file) => file,
        Err(e) => error_page(&t, Some(&who), &e),
    }
}
