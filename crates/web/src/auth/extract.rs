//! Who is asking: a session cookie (pages and API) or a bearer token (API only).

use super::{client_ip, cookie, sha256_hex, SESSION_COOKIE, TOKEN_PREFIX};
use crate::app::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Permission, Role};
use std::convert::Infallible;
use store::{Actor, Scope, User};

/// An authenticated user, and how they came in.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    /// The session's token hash and CSRF token, when authenticated by cookie.
    pub session: Option<(String, String)>,
    pub ip: String,
}

impl Principal {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.user.role)
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
    let Some(s) = state.store.session(&hash, idle, absolute).await? else {
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
        .store
        .user_by_token(&sha256_hex(token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Some(Principal {
        user,
        session: None,
        ip: client_ip(parts),
    }))
}

/// A user of the JSON API: a bearer token or a session cookie, else `401`.
pub struct ApiUser(pub Principal);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(p) = from_bearer(parts, state).await? {
            return Ok(ApiUser(p));
        }
        from_session(parts, state)
            .await?
            .map(ApiUser)
            .ok_or(ApiError::Unauthorized)
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
