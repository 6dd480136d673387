//! The event feed for auditors and integrations: every committed event of the cases in
//! the caller's subtree, each exactly once, in a stable order (see `app::model::feed`).

use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::FeedPosition;
use axum::extract::{Query, State};
use axum::Json;
use domain::Permission;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct FeedQuery {
    /// The `next` value of the previous page; leave it out to start from the first event.
    pub after: Option<String>,
    /// Events per page, 1–1000 (100 by default).
    pub limit: Option<i64>,
}

/// One event of the feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedEvent {
    /// The event's place in the feed (opaque; pass the page's `next` as `after`).
    pub position: String,
    /// The event's global sequence number, as in the case's timeline.
    pub seq: i64,
    pub case_id: i64,
    /// `registered`, `routed`, `accepted`, `corrected`, `attachment_added`, …
    pub kind: String,
    /// When it happened, in milliseconds since the Unix epoch.
    pub at: i64,
    /// Who did it: a user's username, or the job or portal that did it.
    pub actor: String,
    pub actor_id: Option<i64>,
    /// The event's details, as in the case's timeline.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// A page of the feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedPage {
    pub items: Vec<FeedEvent>,
    /// The cursor to pass as `after` for the next page; the same cursor again when
    /// nothing new has committed yet.
    pub next: String,
}

#[utoipa::path(get, path = "/api/v1/events", tag = "cases", params(FeedQuery),
    description = "Every committed event of the cases in your subtree, each exactly once, in a stable order, \
                   however many people write at once. Follow it by passing `next` as `after`; an empty page \
                   means nothing newer has committed yet. For admins and auditors (and their API tokens).",
    responses((status = 200, description = "A page of events", body = FeedPage),
              (status = 403, description = "Not an admin or auditor", body = crate::error::ErrorBody),
              (status = 422, description = "`after` is not a cursor this feed gave out", body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Query(q): Query<FeedQuery>,
) -> ApiResult<Json<FeedPage>> {
    who.require(Permission::ReadFeed)?;
    let after = match q.after.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => FeedPosition::START,
        Some(s) => {
            FeedPosition::parse(s).ok_or_else(|| ApiError::field("after", "invalid_cursor"))?
        }
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field("limit", "out_of_range"));
    }
    let page = state.events_since(Some(&who.scope()), after, limit).await?;
    Ok(Json(FeedPage {
        items: page
            .items
            .into_iter()
            .map(|i| FeedEvent {
                position: i.position.to_string(),
                seq: i.event.seq,
                case_id: i.event.case_id,
                kind: i.event.kind,
                at: i.event.at,
                actor: i.event.actor_name,
                actor_id: i.event.actor_id,
                payload: i.event.payload,
            })
            .collect(),
        next: page.next.to_string(),
    }))
}
