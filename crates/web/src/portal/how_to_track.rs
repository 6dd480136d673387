//! What a receipt says about tracking the case: where (the portal's /track page), with
//! what (the case number and the query code), and the office's phone if published.

use crate::i18n::Tr;
use crate::state::AppState;
use axum::http::{header, HeaderMap};

/// The portal's tracking page, as the browser reached this server.
pub fn track_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1:8080");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}/track")
}

/// The receipt's paragraph on tracking: the URL, the number and code, and the phone.
pub async fn how_to_track(
    state: &AppState,
    t: &Tr,
    headers: &HeaderMap,
    case_no: &str,
    query_code: &str,
) -> String {
    let url = track_url(state, headers);
    let mut text = t.targs(
        "pilot-receipt-track",
        &[("url", &url), ("case_no", case_no), ("code", query_code)],
    );
    let phone = state
        .portal_settings()
        .await
        .ok()
        .and_then(|s| s.get("phone").map(|p| p.trim().to_string()))
        .filter(|p| !p.is_empty());
    if let Some(phone) = phone {
        text.push(' ');
        text.push_str(&t.t1("pilot-receipt-phone", "phone", &phone));
    }
    text
}
