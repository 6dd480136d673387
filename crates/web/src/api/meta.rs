//! The current user, the category tree and the audit log.

use super::extract::ApiQuery;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::{AuditEntry, Category};
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::Permission;
use serde::Deserialize;

#[utoipa::path(get, path = "/api/v1/me", tag = "meta", responses((status = 200, description = "The logged-in user; on a session cookie, the `X-CSRF-Token` header carries the token that multipart and bodiless calls on that session must send back")))]
pub async fn me(ApiUser(who): ApiUser) -> Response {
    let csrf = who.csrf().to_string();
    let mut res = Json(who.user).into_response();
    if let Ok(v) = HeaderValue::from_str(&csrf) {
        if !csrf.is_empty() {
            res.headers_mut().insert(crate::auth::CSRF_HEADER, v);
        }
    }
    res
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "meta",
    responses((status = 200, description = "The category tree, parents before children; `parent` links them")))]
pub async fn categories(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(state.categories().await?.as_ref().clone()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this action (`login`, `login_failed`, `read_personal_data`, …).
    pub action: Option<String>,
    /// Entries older than this id, for paging.
    pub before: Option<i64>,
    /// Entries per page, 1–1000 (100 by default); outside that range the answer is 422.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "meta", params(AuditQuery),
    responses((status = 200, description = "Audit entries in your scope, newest first: those by users of your subtree or about its cases, accounts and units; the root unit sees every entry, including failed logins with unknown usernames"), (status = 403, description = "Not an admin or auditor")))]
pub async fn audit(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    who.require(Permission::ReadAudit)?;
    let limit = super::extract::page_limit(q.limit, 100, 1000)?;
    Ok(Json(
        state
            .audit_entries(&who.scope(), q.action.as_deref(), q.before, limit)
            .await?,
    ))
}
