//! `POST /api/v1/session` logs in and sets the session cookie; `DELETE` logs out.

use crate::auth::{
    authenticate, random_token, set_cookie, sha256_hex, ApiUser, LoginError, SESSION_COOKIE,
};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Starts a session, creating it server-side. The cookie is `HttpOnly`, `SameSite=Strict`.
pub async fn start_session(state: &AppState, user_id: i64) -> ApiResult<(String, String)> {
    let token = random_token();
    let csrf = random_token();
    state
        .create_session(&sha256_hex(&token), user_id, &csrf)
        .await?;
    let cookie = set_cookie(SESSION_COOKIE, &token, None, state.config.secure_cookies);
    Ok((cookie, csrf))
}

pub fn login_error(e: LoginError) -> ApiError {
    match e {
        LoginError::Invalid => ApiError::InvalidCredentials,
        LoginError::Throttled(l) => ApiError::TooManyAttempts {
            retry_after: l.retry_after,
        },
        LoginError::Store(e) => e.into(),
    }
}

#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, description = "Logged in; the session cookie is set"),
              (status = 401, description = "Wrong username or password, or an account locked after 5 failures in a row (the same answer, so that names cannot be probed)", body = crate::error::ErrorBody),
              (status = 429, description = "Too many failed logins from this address (20 in 10 minutes); see `Retry-After`", body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request,
) -> ApiResult<Response> {
    // Parsed without the control-character check: a name no one can have is a failed
    // login like any other, with the same answer.
    let bytes = super::json::json_bytes(req, &state).await?;
    let body = axum::Json::<LoginRequest>::from_bytes(&bytes)
        .map_err(|r| super::json::map_rejection(&r))?
        .0;
    let user = authenticate(&state, &body.username, &body.password, addr.ip())
        .await
        .map_err(login_error)?;
    let (cookie, csrf) = start_session(&state, user.id).await?;
    let body = serde_json::json!({ "user": user, "csrf_token": csrf });
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204, description = "Logged out")))]
pub async fn logout(State(state): State<AppState>, ApiUser(who): ApiUser) -> ApiResult<Response> {
    if let Some((hash, _)) = &who.session {
        state.end_session(hash).await?;
    }
    let cookie = set_cookie(SESSION_COOKIE, "", Some(0), state.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
