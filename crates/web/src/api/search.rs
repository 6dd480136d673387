//! Full-text search over the cases in the caller's scope, and related-case suggestions
//! for a petition being registered. Both read this instance's index (`crates/search`),
//! which the event feed keeps current; while it is being built they answer `503
//! index_building` with its progress, never a partial result.

use super::extract::ApiQuery;
use super::JsonBody;
use crate::auth::{ApiUser, Principal};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::Permission;
use search::{Filters, SearchError, SearchRequest, SimilarRequest, Sort};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Words (all must be found), `"an exact phrase"`, `-excluded`, a case number or a
    /// part of one. One Chinese character is enough.
    pub q: Option<String>,
    pub state: Option<String>,
    /// A category code; its subcategories match too.
    pub category: Option<String>,
    /// A region code; the regions under it match too.
    pub region: Option<String>,
    pub channel: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub case_type: Option<String>,
    /// Received on or after (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Received on or before (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// `relevance` (default) or `date` (newest registration first).
    pub sort: Option<String>,
    /// 1–100, 20 by default.
    pub limit: Option<usize>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub id: i64,
    pub case_no: String,
    /// HTML: the case's text around the first match, escaped, with matches in `<mark>`.
    /// Petitioners' names are never shown here.
    pub snippet: String,
    /// Relevance; 0 when sorted by date.
    pub score: f32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SimilarInput {
    /// The new petition's content.
    pub content: String,
    /// Its region code, if known.
    pub region: Option<String>,
    /// The unit or person complained about, if known.
    pub respondent: Option<String>,
    /// When it was received (`YYYY-MM-DD`; today if not given): earlier petitions
    /// received near it rank a little higher.
    #[serde(default)]
    pub received_on: Option<String>,
    /// The code of the unit it is registered to, if chosen: earlier petitions held by
    /// that unit or below it rank a little higher.
    #[serde(default)]
    pub unit: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarCase {
    pub id: i64,
    pub case_no: String,
    /// 0–1.1: how much of the text the two share, rarer character pairs weighing more,
    /// plus 0.05 each for the same region and the same respondent, 0.03 for the same
    /// unit, and ±0.03 for the time between them.
    pub score: f32,
    /// The earlier case's state (`open`, `closed`, `voided`) and stage now.
    pub state: String,
    pub stage: String,
    /// Its matter is concluded: the re-review ended it, or it was answered and the
    /// window to ask for a review has passed. A new petition on the same facts and
    /// reasons falls under the repeat rule (Art. 36).
    pub concluded: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarPage {
    /// Best first; only cases in your scope.
    pub items: Vec<SimilarCase>,
}

/// `503`: the index is being built.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndexBuildingBody {
    /// `index_building`
    pub error: String,
    pub message: String,
    /// Percent of the event feed read so far.
    pub progress: u8,
}

/// A search that cannot answer: an ordinary API error, or the index still building.
pub enum SearchFailure {
    Api(ApiError),
    Building(u8),
}

impl From<ApiError> for SearchFailure {
    fn from(e: ApiError) -> Self {
        SearchFailure::Api(e)
    }
}

impl From<SearchError> for SearchFailure {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Building { percent } => SearchFailure::Building(percent),
            SearchError::EmptyQuery => ApiError::field("q", "required").into(),
            SearchError::BadCursor => ApiError::field("cursor", "invalid_cursor").into(),
            SearchError::BadDate(_) => ApiError::field("from", "invalid_date").into(),
            other => ApiError::Internal(other.to_string()).into(),
        }
    }
}

impl IntoResponse for SearchFailure {
    fn into_response(self) -> Response {
        match self {
            SearchFailure::Api(e) => e.into_response(),
            SearchFailure::Building(progress) => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "2")],
                Json(IndexBuildingBody {
                    error: "index_building".into(),
                    message: format!(
                        "The search index is being built ({progress}%). Try again shortly."
                    ),
                    progress,
                }),
            )
                .into_response(),
        }
    }
}

/// The caller's request as the index takes it: their scope always, names only for
/// roles that may read petitioners' personal data.
pub fn search_request(who: &Principal, q: SearchQuery) -> Result<SearchRequest, SearchFailure> {
    let sort = match q.sort.as_deref().map(str::trim).unwrap_or("") {
        "" | "relevance" => Sort::Relevance,
        "date" => Sort::Date,
        _ => return Err(ApiError::field("sort", "invalid").into()),
    };
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::field("limit", "out_of_range").into());
    }
    for (name, d) in [("from", &q.from), ("to", &q.to)] {
        if let Some(d) = d.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(ApiError::field(name, "invalid_date").into());
            }
        }
    }
    Ok(SearchRequest {
        q: q.q.unwrap_or_default(),
        filters: Filters {
            scope: Some(who.user.unit_path.clone()),
            state: q.state,
            category: q.category,
            region: q.region,
            channel: q.channel,
            case_type: q.case_type,
            from: q.from,
            to: q.to,
            include_names: who.can(Permission::ReadCases),
        },
        sort,
        limit,
        cursor: q.cursor.filter(|c| !c.trim().is_empty()),
    })
}

/// A search that could match petitioners' names (the caller's role may read personal
/// data) leaves an audit row: who, when (the row's time), the query, and where it was
/// run (`api`, `page`, `export`). Written once the search has answered.
pub async fn audit_name_search(
    state: &AppState,
    who: &Principal,
    req: &SearchRequest,
    how: &str,
) -> Result<(), SearchFailure> {
    if req.filters.include_names {
        state
            .audit(&who.actor(), "searched_personal_data", req.q.trim(), how)
            .await
            .map_err(ApiError::from)?;
    }
    Ok(())
}

/// Runs a search on the blocking pool.
pub async fn run_search(
    state: &AppState,
    req: SearchRequest,
) -> Result<search::Page, SearchFailure> {
    let index = state.search.clone();
    tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(SearchFailure::from)
}

#[utoipa::path(get, path = "/api/v1/search", tag = "cases", params(SearchQuery),
    description = "Full-text search of the cases in your scope: content, demands, respondent, case number, \
                   replies and notes, and petitioners' names for roles that may read personal data. \
                   Chinese is matched character by character, so one or two characters, a name or a part of \
                   a case number are found. Filters work as on the queue.",
    responses((status = 200, description = "A page of matching cases", body = SearchPage),
              (status = 422, description = "No query, or a bad filter, sort, limit or cursor", body = crate::error::ErrorBody),
              (status = 503, description = "The index is being built", body = IndexBuildingBody)))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchPage>, SearchFailure> {
    who.require(Permission::ReadCases)?;
    let req = search_request(&who, q)?;
    let page = run_search(&state, req.clone()).await?;
    audit_name_search(&state, &who, &req, "api").await?;
    Ok(Json(SearchPage {
        items: page
            .items
            .into_iter()
            .map(|h| SearchHit {
                id: h.id,
                case_no: h.case_no,
                snippet: h.snippet,
                score: h.score,
            })
            .collect(),
        next: page.next,
    }))
}

/// Related cases for a petition's text, in the caller's scope, but for case `exclude`
/// (the one being looked at).
pub async fn find_similar(
    state: &AppState,
    who: &Principal,
    input: SimilarInput,
    exclude: Option<i64>,
) -> Result<Vec<search::Similar>, SearchFailure> {
    let unit = match input
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(code) => match state.unit_by_code(code).await {
            Ok(u) => Some(u.path),
            Err(app::AppError::NotFound) => {
                return Err(ApiError::field("unit", "invalid_unit").into())
            }
            Err(e) => return Err(ApiError::from(e).into()),
        },
        None => None,
    };
    let index = state.search.clone();
    let req = SimilarRequest {
        content: input.content,
        region: input.region,
        respondent: input.respondent,
        scope: Some(who.user.unit_path.clone()),
        exclude_id: exclude,
        received_on: input
            .received_on
            .filter(|d| !d.trim().is_empty())
            .or_else(|| Some(state.config.today().to_string())),
        unit,
        limit: 5,
    };
    tokio::task::spawn_blocking(move || index.similar(&req))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(SearchFailure::from)
}

/// The candidates with where each stands now, and whether its matter is concluded.
pub async fn with_states(
    state: &AppState,
    who: &Principal,
    items: Vec<search::Similar>,
) -> Result<Vec<SimilarCase>, SearchFailure> {
    let ids: Vec<i64> = items.iter().map(|s| s.id).collect();
    let mut states = state
        .related_states(&who.scope(), &ids)
        .await
        .map_err(ApiError::from)?;
    Ok(items
        .into_iter()
        .filter_map(|s| {
            // A case the index still has but the database no longer shows in scope
            // (moved out since) is left out.
            let st = states.remove(&s.id)?;
            Some(SimilarCase {
                id: s.id,
                case_no: s.case_no,
                score: s.score,
                state: st.state.as_str().into(),
                stage: st.stage.as_str().into(),
                concluded: st.concluded,
            })
        })
        .collect())
}

#[utoipa::path(post, path = "/api/v1/cases/similar", tag = "cases", request_body = SimilarInput,
    description = "Earlier petitions in your scope that are likely on the same matter as a petition being \
                   registered, best first: ranked by how much text they share, with the same region, \
                   respondent and unit and a near date counting too. Matters are matched, never people.",
    responses((status = 200, description = "Ranked candidates (at most 5)", body = SimilarPage),
              (status = 422, description = "No content, or an unknown unit code", body = crate::error::ErrorBody),
              (status = 503, description = "The index is being built", body = IndexBuildingBody)))]
pub async fn similar(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<SimilarInput>,
) -> Result<Json<SimilarPage>, SearchFailure> {
    who.require(Permission::ReadCases)?;
    if input.content.trim().is_empty() {
        return Err(ApiError::field("content", "required").into());
    }
    let items = find_similar(&state, &who, input, None).await?;
    Ok(Json(SimilarPage {
        items: with_states(&state, &who, items).await?,
    }))
}
