//! `/staff/search`: the results of the header's search box, with the queue's filters
//! and highlighted snippets.

use super::{category_options, error_page, render, tr, Nav, Opt};
use crate::api::search::{
    audit_name_search, run_search, search_request, SearchFailure, SearchQuery,
};
use crate::auth::PageUser;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::{CaseState, CaseType, Channel, Permission};

pub struct Hit {
    pub id: i64,
    pub case_no: String,
    /// Escaped HTML with `<mark>` around the matches (see `search::snippet`).
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    t: Tr,
    nav: Option<Nav>,
    q: SearchQuery,
    hits: Vec<Hit>,
    searched: bool,
    next_url: Option<String>,
    states: Vec<String>,
    channels: Vec<String>,
    types: Vec<String>,
    categories: Vec<Opt>,
    regions: Vec<Opt>,
    message: Option<String>,
    /// This search as an XLSX or CSV file (add `&format=`).
    export_link: String,
}

fn next_link(q: &SearchQuery, cursor: &str) -> String {
    let pairs = [
        ("q", &q.q),
        ("state", &q.state),
        ("channel", &q.channel),
        ("type", &q.case_type),
        ("category", &q.category),
        ("region", &q.region),
        ("from", &q.from),
        ("to", &q.to),
        ("sort", &q.sort),
    ];
    let mut s: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", super::urlencode(v)))
        })
        .collect();
    s.push(format!("cursor={}", super::urlencode(cursor)));
    format!("/staff/search?{}", s.join("&"))
}

fn failure_message(t: &Tr, f: &SearchFailure) -> String {
    match f {
        SearchFailure::Building(p) => t.t1("search-building", "percent", &p.to_string()),
        SearchFailure::Api(crate::error::ApiError::Validation(fields)) => fields
            .values()
            .map(|c| t.code("err", c))
            .collect::<Vec<_>>()
            .join(" "),
        SearchFailure::Api(e) => t.code("err", e.code()),
    }
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<SearchQuery>,
) -> Response {
    let t = tr(&state, lang);
    if !who.can(Permission::ReadCases) {
        return error_page(&t, Some(&who), &crate::error::ApiError::Forbidden);
    }
    let cats = match state.categories().await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let searched = q.q.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut message = None;
    let mut status = StatusCode::OK;
    let mut hits = vec![];
    let mut next_url = None;
    if searched {
        let result = match search_request(&who, q.clone()) {
            Ok(req) => match run_search(&state, req.clone()).await {
                Ok(page) => audit_name_search(&state, &who, &req, "page")
                    .await
                    .map(|()| page),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        match result {
            Ok(page) => {
                next_url = page.next.as_deref().map(|c| next_link(&q, c));
                hits = page
                    .items
                    .into_iter()
                    .map(|h| Hit {
                        id: h.id,
                        case_no: h.case_no,
                        snippet: h.snippet,
                    })
                    .collect();
            }
            Err(f) => {
                if matches!(f, SearchFailure::Building(_)) {
                    status = StatusCode::SERVICE_UNAVAILABLE;
                }
                message = Some(failure_message(&t, &f));
            }
        }
    }
    let regions = super::regions::Regions::load(&state).await;
    let page = SearchPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        hits,
        searched,
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
        categories: category_options(&t, &cats),
        regions: regions.prefix_options(2),
        export_link: next_link(&q, "").replacen("/staff/search?", "/staff/search/export?", 1),
        message,
        q,
        t,
    };
    (status, render(&page)).into_response()
}
