//! `POST /api/v1/cases/{id}/links` and `DELETE /api/v1/cases/{id}/links/{other}`: linking two cases on one matter. The
//! use case is [`app::links`]; the links are listed in the case's JSON as `links`.

use super::extract::ApiPath;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use domain::LinkKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LinkInput {
    /// The other case's id.
    pub other: i64,
    /// `duplicate_of` (this case is a duplicate of the other), `same_matter`, or
    /// `earlier_stage` (the other case is an earlier stage of this one).
    pub kind: String,
}

/// A link as one of its cases shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Link {
    /// The other case.
    pub id: i64,
    pub case_no: String,
    /// As made: `duplicate_of`, `same_matter` or `earlier_stage`.
    pub kind: String,
    /// How it reads from this case: `duplicate_of`, `duplicated_by`, `same_matter`,
    /// `earlier_stage` or `later_stage`.
    pub reading: String,
    /// The other case's state and stage now.
    pub state: String,
    pub stage: String,
    pub linked_at: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Links {
    pub items: Vec<Link>,
}

fn links(rows: Vec<app::model::LinkRow>) -> Json<Links> {
    Json(Links {
        items: rows
            .into_iter()
            .map(|r| Link {
                id: r.id,
                case_no: r.case_no,
                kind: r.kind.as_str().into(),
                reading: r.reading,
                state: r.state.as_str().into(),
                stage: r.stage.as_str().into(),
                linked_at: r.linked_at,
            })
            .collect(),
    })
}

/// The link kind from a form or a request.
pub fn link_kind(s: &str) -> Result<LinkKind, ApiError> {
    LinkKind::parse(s.trim()).ok_or_else(|| ApiError::field("kind", "invalid_kind"))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/links", tag = "cases",
    params(("id" = i64, Path, description = "Case id")), request_body = LinkInput,
    description = "Links two cases on one matter; the link is an event on both cases and shows on both. \
                   Staff who may act on one of the cases and read the other may link them (not auditors \
                   or administrators). Two cases have at most one link.",
    responses((status = 200, description = "This case's links", body = Links),
              (status = 403, description = "Your role may not link cases", body = crate::error::ErrorBody),
              (status = 422, description = "`other` unknown, the same case or already linked; `kind` invalid", body = crate::error::ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
    JsonBody(input): JsonBody<LinkInput>,
) -> ApiResult<Json<Links>> {
    let kind = link_kind(&input.kind)?;
    let rows = state
        .link_cases(&who.caller(), id, input.other, kind)
        .await?;
    Ok(links(rows))
}

#[utoipa::path(delete, path = "/api/v1/cases/{id}/links/{other}", tag = "cases",
    params(("id" = i64, Path, description = "Case id"), ("other" = i64, Path, description = "The linked case's id")),
    description = "Removes the link between two cases, with an event on both.",
    responses((status = 200, description = "This case's links", body = Links),
              (status = 403, description = "Your role may not link cases", body = crate::error::ErrorBody),
              (status = 422, description = "The cases are not linked", body = crate::error::ErrorBody)))]
pub async fn unlink(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath((id, other)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<Links>> {
    let rows = state.unlink_cases(&who.caller(), id, other).await?;
    Ok(links(rows))
}
