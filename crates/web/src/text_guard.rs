//! The edge's control-character check for what no typed field sees first: every query
//! parameter (one line each: filters, codes, `lang`, `next`) and every form body of the
//! staff pages and the portal (multi-line text allowed, no other control characters).
//!
//! NUL cannot be stored by PostgreSQL and the other control characters mean nothing to
//! a reader, so such a request is answered `422` before any handler runs, the same on
//! every backend: as JSON (`fields.{name}: invalid_characters`) under `/api`, as a page
//! elsewhere. The login form is left to the login itself, which answers a name with
//! control characters exactly like a wrong password. JSON bodies are checked by
//! [`crate::api::JsonBody`], with the path of the offending field.

use crate::error::ApiError;
use crate::i18n::ReqLang;
use crate::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::text::{is_clean_line, is_clean_multiline};

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first parameter (by name) whose name or value fails `clean`.
fn unclean_param(encoded: &str, clean: fn(&str) -> bool) -> Option<String> {
    encoded
        .split('&')
        .filter(|kv| !kv.is_empty())
        .find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let (k, v) = (decode(k), decode(v));
            if !is_clean_line(&k) {
                Some("query".to_string())
            } else if !clean(&v) {
                Some(k)
            } else {
                None
            }
        })
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

async fn refuse(state: &AppState, req: Request, field: &str) -> Response {
    let e = ApiError::field(field, "invalid_characters");
    if req.uri().path().starts_with("/api/") {
        return e.into_response();
    }
    let (mut parts, _) = req.into_parts();
    let ReqLang(lang) = match ReqLang::from_request_parts(&mut parts, state).await {
        Ok(l) => l,
        Err(never) => match never {},
    };
    crate::views::error_page(&crate::views::tr(state, lang), None, &e)
}

/// Refuses control characters in query strings and form bodies (see the module docs).
pub async fn reject_control_characters(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(field) = req
        .uri()
        .query()
        .and_then(|q| unclean_param(q, is_clean_line))
    {
        return refuse(&state, req, &field).await;
    }
    if !is_form(&req) || req.uri().path() == "/staff/login" {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // Forms are small; the routes' own limits are far below this.
    let bytes = match to_bytes(body, state.config.max_json_bytes).await {
        Ok(b) => b,
        Err(_) => return ApiError::TooLarge.into_response(),
    };
    let text = String::from_utf8_lossy(&bytes);
    if let Some(field) = unclean_param(&text, is_clean_multiline) {
        return refuse(&state, Request::from_parts(parts, Body::empty()), &field).await;
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_control_characters_after_decoding() {
        assert_eq!(
            unclean_param("region=33%00&x=1", is_clean_line).as_deref(),
            Some("region")
        );
        assert_eq!(unclean_param("a=b+c&d=%E8%A5%BF", is_clean_line), None);
        assert_eq!(unclean_param("text=a%0D%0Ab%09c", is_clean_multiline), None);
        assert_eq!(
            unclean_param("text=a%0D%0Ab", is_clean_line).as_deref(),
            Some("text")
        );
        assert_eq!(
            unclean_param("n%00=1", is_clean_line).as_deref(),
            Some("query")
        );
        assert_eq!(unclean_param("bad=%zz%", is_clean_line), None);
        assert_eq!(decode("%E8%A5%BF+x%2"), "西 x%2");
    }
}
