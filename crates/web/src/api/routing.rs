//! The routing table: category × region → the unit usually responsible.

use super::JsonBody;
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::Role;
use serde::Deserialize;
use store::{RoutingRule, StoreError};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RuleInput {
    /// A category code; its subcategories follow it.
    pub category: String,
    /// A region-code prefix, e.g. `3301` for one city; empty for everywhere.
    #[serde(default)]
    #[schema(schema_with = super::schemas::region_prefix)]
    pub region_prefix: String,
    /// The responsible unit's code.
    #[schema(schema_with = super::schemas::unit_code)]
    pub unit: String,
}

/// Adds or replaces a rule (admins and supervisors, for units in their scope).
pub async fn save_rule(
    state: &AppState,
    who: &crate::auth::Principal,
    input: &RuleInput,
) -> ApiResult<()> {
    if !matches!(who.role(), Some(Role::Admin | Role::Supervisor)) {
        return Err(ApiError::Forbidden);
    }
    let category = input.category.trim();
    if !state.categories().await?.iter().any(|c| c.code == category) {
        return Err(ApiError::field("category", "unknown_category"));
    }
    let prefix = input.region_prefix.trim();
    if !domain::codes::is_region_prefix(prefix) {
        return Err(ApiError::field("region_prefix", "invalid_region"));
    }
    let unit = match state
        .store
        .unit_by_code(&input.unit.trim().to_ascii_uppercase())
        .await
    {
        Ok(u) if who.scope().contains(&u.path) => u,
        Ok(_) | Err(StoreError::NotFound) => return Err(ApiError::field("unit", "unknown_unit")),
        Err(e) => return Err(e.into()),
    };
    Ok(state
        .store
        .set_routing_rule(category, prefix, &unit)
        .await?)
}

#[utoipa::path(get, path = "/api/v1/routing-rules", tag = "admin", responses((status = 200, description = "The routing table")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
) -> ApiResult<Json<Vec<RoutingRule>>> {
    Ok(Json(state.store.routing_rules().await?))
}

#[utoipa::path(post, path = "/api/v1/routing-rules", tag = "admin", request_body = RuleInput,
    responses((status = 204, description = "Saved"), (status = 422, description = "Unknown category or unit", body = crate::error::ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<RuleInput>,
) -> ApiResult<StatusCode> {
    save_rule(&state, &who, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
