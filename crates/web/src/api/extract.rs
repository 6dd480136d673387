//! Path, query-string and multipart extractors whose every rejection is an [`ApiError`]
//! in JSON, so no answer under `/api` is axum's `text/plain`:
//! - a path parameter that does not parse (`/api/v1/cases/abc`) names no record: `404`;
//! - a query parameter that does not parse (`?limit=lots`): `422`, naming the parameter;
//! - a multipart body that is not multipart: `415`; a broken one: `400`.

use crate::error::ApiError;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// Like [`axum::extract::Path`], answering `404 not_found` in JSON when a parameter does
/// not parse.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError::NotFound),
            Err(other) => Err(ApiError::Internal(format!(
                "path parameters: {}",
                other.body_text()
            ))),
        }
    }
}

/// Like [`axum::extract::Query`], answering `422` in JSON, with the parameter in `fields`,
/// when a parameter does not parse.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(v)| ApiQuery(v))
            .map_err(|r| query_rejection(&r))
    }
}

/// The parameter a query-string rejection is about: the text is
/// "Failed to deserialize query string: <param>: <serde error>".
pub fn query_rejection(r: &QueryRejection) -> ApiError {
    let text = r.body_text();
    let param = text
        .split_once(": ")
        .and_then(|(_, detail)| detail.split_once(": "))
        .map(|(p, _)| p)
        .filter(|p| !p.is_empty() && p.len() < 40 && p.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("query");
    ApiError::field(param, "invalid")
}

/// A `multipart/form-data` body: `415` when the request is something else, `400` when
/// the body is not valid multipart.
pub struct ApiMultipart(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_multipart(&req) {
            return Err(ApiError::UnsupportedMediaType);
        }
        Multipart::from_request(req, state)
            .await
            .map(ApiMultipart)
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge
                } else {
                    ApiError::BadRequest("malformed_multipart")
                }
            })
    }
}

/// Whether the request says it is `multipart/form-data`.
pub fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// A page size: `default` when absent, `422` (`limit`: `out_of_range`) outside 1..=`max`.
/// It is never silently clamped, so a client asking for more learns the maximum.
pub fn page_limit(limit: Option<i64>, default: i64, max: i64) -> Result<i64, ApiError> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field("limit", "out_of_range")),
    }
}
