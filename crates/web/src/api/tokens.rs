//! Per-user API tokens. The secret is shown once, at creation; only its hash is kept.

use super::extract::ApiPath;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::ApiToken;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    /// What the token is for, e.g. "12345 hotline bridge".
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "meta", responses((status = 200, description = "Your tokens")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<ApiToken>>> {
    Ok(Json(state.tokens(who.user.id).await?))
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "meta", request_body = NewToken,
    responses((status = 201, description = "Created; `token` is shown only now")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(body): JsonBody<NewToken>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let (secret, token) = state.issue_token(&who.caller(), &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "token": secret, "record": token })),
    ))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "meta",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 404, description = "Not one of your live tokens")))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.revoke_token(who.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
