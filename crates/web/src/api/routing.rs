//! The routing table: category × region → the unit usually responsible.

use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::{AuditNote, RoutingRule};
use app::AppError;
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

/// Adds or replaces a rule (admins and supervisors, for units in their scope).
pub async fn save_rule(
    state: &AppState,
    who: &crate::auth::Principal,
    input: &RuleInput,
) -> ApiResult<()> {
    if !who.can(domain::Permission::ManageRouting) {
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
        .unit_by_code(&input.unit.trim().to_ascii_uppercase())
        .await
    {
        Ok(u) if u.retired => return Err(ApiError::field("unit", "unit_retired")),
        Ok(u) if who.scope().contains(&u.path) => u,
        Ok(_) | Err(AppError::NotFound) => return Err(ApiError::field("unit", "unknown_unit")),
        Err(e) => return Err(e.into()),
    };
    let actor = who.actor();
    let note = AuditNote {
        actor: &actor,
        action: "routing_rule_saved",
        target: rule_target(category, prefix),
        detail: crate::api::admin::change_detail(&[("unit", "".into(), unit.code.clone().into())]),
    };
    Ok(state
        .set_routing_rule_audited(category, prefix, &unit, &note)
        .await?)
}

/// A rule as the audit log names it: `labor.wages @ 3301` (`*` for everywhere).
fn rule_target(category: &str, prefix: &str) -> String {
    format!(
        "{category} @ {}",
        if prefix.is_empty() { "*" } else { prefix }
    )
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

/// Retires a rule (it is kept, but no longer suggested) or brings it back.
pub async fn retire_rule(
    state: &AppState,
    who: &crate::auth::Principal,
    input: &RuleRetire,
) -> ApiResult<RoutingRule> {
    if !who.can(domain::Permission::ManageRouting) {
        return Err(ApiError::Forbidden);
    }
    let (category, prefix) = (input.category.trim(), input.region_prefix.trim());
    let actor = who.actor();
    let note = AuditNote {
        actor: &actor,
        action: if input.retired {
            "routing_rule_retired"
        } else {
            "routing_rule_restored"
        },
        target: rule_target(category, prefix),
        detail: String::new(),
    };
    Ok(state
        .retire_routing_rule(category, prefix, input.retired, &note)
        .await?)
}

#[utoipa::path(post, path = "/api/v1/routing-rules/retire", tag = "admin", request_body = RuleRetire,
    responses((status = 200, description = "The rule, retired or restored"), (status = 404, description = "No such rule", body = crate::error::ErrorBody)))]
pub async fn retire(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<RuleRetire>,
) -> ApiResult<Json<RoutingRule>> {
    Ok(Json(retire_rule(&state, &who, &input).await?))
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
    save_rule(&state, &who, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
