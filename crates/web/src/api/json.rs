//! A JSON body extractor whose every rejection is an [`ApiError`] in JSON.

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;

pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(rejection) => Err(map_rejection(&rejection)),
        }
    }
}

pub fn map_rejection(r: &JsonRejection) -> ApiError {
    match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => {
            // A well-formed document with a wrong type somewhere: name the place. The text
            // is "Failed to deserialize …: <path>: <serde error>"; the path has no spaces
            // and is absent when the error is at the top level.
            let text = r.body_text();
            let field = text
                .split_once(": ")
                .and_then(|(_, detail)| detail.split_once(": "))
                .map(|(path, _)| path)
                .filter(|f| !f.is_empty() && f.len() < 80 && !f.contains(' '))
                .unwrap_or("body")
                .to_string();
            ApiError::field(&field, "invalid_type")
        }
        _ => ApiError::BadRequest("malformed_json"),
    }
}
