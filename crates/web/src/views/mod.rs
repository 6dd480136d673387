//! Staff pages under `/staff`, rendered on the server with askama.

use crate::app::AppState;
use axum::Router;

pub fn routes(_state: &AppState) -> Router<AppState> {
    Router::new()
}

/// Percent-encodes a string for a URL query or a header parameter.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
