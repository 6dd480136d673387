//! Authentication: Argon2id passwords, server-side sessions, API tokens, CSRF and the
//! login lockout.

mod extract;
mod login;
pub use app::password;
pub use app::random_token;

pub use extract::{ApiUser, MaybeStaff, PageUser, Principal, CSRF_HEADER};
pub use login::{authenticate, LoginError};

use axum::http::HeaderMap;

pub const SESSION_COOKIE: &str = "hearken_session";
pub const LOGIN_CSRF_COOKIE: &str = "hearken_login_csrf";
pub use app::tokens::TOKEN_PREFIX;

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub use app::password::{same_secret, sha256_hex};

/// A `Set-Cookie` value for a cookie that scripts cannot read.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The client's address as the socket saw it.
pub fn client_ip(parts: &axum::http::request::Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

pub fn client_ip_from(addr: std::net::SocketAddr) -> String {
    addr.ip().to_string()
}
