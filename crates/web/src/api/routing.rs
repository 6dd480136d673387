//! The routing table: category × region → the unit usually responsible.

use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::RoutingRule;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

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

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RuleRetire {
    pub category: String,
    #[serde(default)]
    pub region_prefix: String,
    /// `true` (the default) retires the rule; `false` brings it back.
    #[serde(default = "yes")]
    pub retired: bool,
}

fn yes() -> bool {
    true
}

#[utoipa::path(post, path = "/api/v1/routing-rules/retire", tag = "admin", request_body = RuleRetire,
    responses((status = 200, description = "The rule, retired or restored"), (status = 404, description = "No such rule", body = crate::error::ErrorBody)))]
pub async fn retire(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<RuleRetire>,
) -> ApiResult<Json<RoutingRule>> {
    Ok(Json(
        state
            .set_routing_rule_retired(
                &who.caller(),
                &input.category,
                &input.region_prefix,
                input.retired,
            )
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/routing-rules", tag = "admin", responses((status = 200, description = "The routing table")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
) -> ApiResult<Json<Vec<RoutingRule>>> {
    Ok(Json(state.routing_rules().await?))
}

#[utoipa::path(post, path = "/api/v1/routing-rules", tag = "admin", request_body = RuleInput,
    responses((status = 204, description = "Saved"), (status = 422, description = "Unknown category or unit", body = crate::error::ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<RuleInput>,
) -> ApiResult<StatusCode> {
    state
        .save_routing_rule(
            &who.caller(),
            &input.category,
            &input.region_prefix,
            &input.unit,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
