//! Who is asking: a session cookie (pages and API) or a bearer token (API only).

use super::{client_ip, cookie, same_secret, sha256_hex, SESSION_COOKIE, TOKEN_PREFIX};
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{Actor, Scope, User};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Permission, Role};
use std::convert::Infallible;

/// An authenticated user, and how they came in.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    /// The session's token hash and CSRF token, when authenticated by cookie.
    pub session: Option<(String, String)>,
    pub ip: String,
}

impl Principal {
    /// The user as the use cases know them: role and scope, nothing of HTTP.
    pub fn caller(&self) -> app::Caller {
        app::Caller::of(&self.user, &self.ip)
    }

    pub fn role(&self) -> Option<Role> {
        Some(self.user.role)
    }

    pub fn can(&self, p: Permission) -> bool {
        self.role().is_some_and(|r| r.can(p))
    }

    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        if self.can(p) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn scope(&self) -> Scope {
        Scope::new(&self.user.unit_path)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.user.id),
            name: self.user.username.clone(),
            ip: self.ip.clone(),
        }
    }

    pub fn csrf(&self) -> &str {
        self.session.as_ref().map(|(_, c)| c.as_str()).unwrap_or("")
    }
}

async fn from_session(parts: &Parts, state: &AppState) -> Result<Option<Principal>, ApiError> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = sha256_hex(&token);
    let idle = state.config.session_idle_minutes * 60_000;
    let absolute = state.config.session_absolute_hours * 3_600_000;
    let Some(s) = state.session(&hash, idle, absolute).await? else {
        return Ok(None);
    };
    Ok(Some(Principal {
        user: s.user,
        session: Some((hash, s.csrf_token)),
        ip: client_ip(parts),
    }))
}

async fn from_bearer(parts: &Parts, state: &AppState) -> Result<Option<Principal>, ApiError> {
    let Some(auth) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(None);
    };
    let Some(token) = auth.strip_prefix("Bearer ").map(str::trim) else {
        return Err(ApiError::Unauthorized);
    };
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(ApiError::Unauthorized);
    }
    let user = state
        .user_by_token(&sha256_hex(token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Some(Principal {
        user,
        session: None,
        ip: client_ip(parts),
    }))
}

/// Where a user who must change their password may still go: the change itself, who
/// they are, and logging out.
const PASSWORD_CHANGE_PATHS: &[&str] = &[
    "/staff/account/password",
    "/staff/logout",
    "/api/v1/me/password",
    "/api/v1/me",
    "/api/v1/session",
];

/// The page where a user changes their own password.
pub const PASSWORD_PAGE: &str = "/staff/account/password";

fn must_change_first(p: &Principal, parts: &Parts) -> bool {
    p.user.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&parts.uri.path())
}

/// A user of the JSON API: a bearer token or a session cookie, else `401`.
///
/// A call that changes state (any method but GET, HEAD and OPTIONS) on a session
/// cookie must prove that this site's own pages sent it: a foreign `Origin` is refused,
/// and the body must be JSON (which a cross-site form cannot send) or the request must
/// carry the session's CSRF token in `X-CSRF-Token` (multipart uploads, bodiless
/// calls). Otherwise `403 csrf_refused`. Bearer-token calls carry no ambient
/// credential and are not affected.
pub struct ApiUser(pub Principal);

/// The header a script sends the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Whether a cookie-authenticated request may change state (see [`ApiUser`]).
fn cookie_call_allowed(parts: &Parts, csrf: &str) -> bool {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(origin) = parts.headers.get(header::ORIGIN) {
        if !same_origin(origin.to_str().unwrap_or("null"), parts) {
            return false;
        }
    }
    let token_ok = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| !t.is_empty() && same_secret(t, csrf));
    token_ok || crate::api::is_json(&parts.headers)
}

/// Whether an `Origin` names the host this request was sent to.
fn same_origin(origin: &str, parts: &Parts) -> bool {
    let Some((_, host)) = origin.split_once("://") else {
        return false; // "null" and the like
    };
    let served = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()));
    served.is_some_and(|h| h.eq_ignore_ascii_case(host.trim_end_matches('/')))
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (p, by_cookie) = match from_bearer(parts, state).await? {
            Some(p) => (p, false),
            None => (
                from_session(parts, state)
                    .await?
                    .ok_or(ApiError::Unauthorized)?,
                true,
            ),
        };
        if by_cookie && !cookie_call_allowed(parts, p.csrf()) {
            return Err(ApiError::CsrfRefused);
        }
        if must_change_first(&p, parts) {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(ApiUser(p))
    }
}

/// A user of the staff pages: a session cookie, else a redirect to the login page.
pub struct PageUser(pub Principal);

pub struct LoginRedirect(String);

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        Redirect::to(&self.0).into_response()
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match from_session(parts, state).await {
            Ok(Some(p)) if must_change_first(&p, parts) => {
                Err(Redirect::to(PASSWORD_PAGE).into_response())
            }
            Ok(Some(p)) => Ok(PageUser(p)),
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/staff");
                let target = format!("/staff/login?next={}", crate::views::urlencode(next));
                Err(LoginRedirect(target).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The staff member looking at a public page, if one is logged in (a session cookie);
/// nobody otherwise. Public pages use it only to tell staff what is not yet set up.
pub struct MaybeStaff(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeStaff(from_session(parts, state).await.ok().flatten()))
    }
}
