//! A JSON body extractor whose every rejection is an [`ApiError`] in JSON, and which
//! refuses control characters in any string of the body (see [`domain::text`]): NUL and
//! its kin answer `422 invalid_characters` on every backend instead of reaching the
//! database. Line breaks and tabs stay allowed here, for multi-line text; single-line
//! fields are checked again by their own types.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req, state).await?;
        Ok(JsonBody(parse_checked(&bytes)?))
    }
}

/// Whether the request says its body is JSON (`application/json`, `application/*+json`).
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// The body of a JSON request, or `415`/`413`/`400` as JSON errors.
pub async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    if !is_json(req.headers()) {
        return Err(ApiError::UnsupportedMediaType);
    }
    Bytes::from_request(req, state).await.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::BadRequest("malformed_json")
        }
    })
}

/// Parses a JSON document into `T`, refusing control characters other than line breaks
/// and tabs in any string (or key) of it.
pub fn parse_checked<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|_| ApiError::BadRequest("malformed_json"))?;
    if let Some(path) = unclean_path(&value, "") {
        return Err(ApiError::field(&path, "invalid_characters"));
    }
    Json::<T>::from_bytes(bytes)
        .map(|Json(v)| v)
        .map_err(|r| map_rejection(&r))
}

/// The path of the first string holding a control character other than `\n`, `\r` or
/// `\t`, as `petitioners[0].name`; `None` when every string is clean.
fn unclean_path(v: &Value, at: &str) -> Option<String> {
    let name = |at: &str| {
        if at.is_empty() {
            "body".to_string()
        } else {
            at.to_string()
        }
    };
    match v {
        Value::String(s) if !domain::text::is_clean_multiline(s) => Some(name(at)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| unclean_path(item, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            if !domain::text::is_clean_line(k) {
                return Some(name(at));
            }
            let path = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            unclean_path(item, &path)
        }),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_by_path() {
        let v: Value = serde_json::from_str(
            r#"{"a":"ok\n\tfine","petitioners":[{"name":"x"},{"name":"a\u0000b"}]}"#,
        )
        .expect("json");
        assert_eq!(unclean_path(&v, "").as_deref(), Some("petitioners[1].name"));
        let clean: Value = serde_json::from_str(r#"{"a":["x\r\ny"],"b":1}"#).expect("json");
        assert_eq!(unclean_path(&clean, ""), None);
        let top: Value = serde_json::from_str(r#""\u0007""#).expect("json");
        assert_eq!(unclean_path(&top, "").as_deref(), Some("body"));
    }
}
