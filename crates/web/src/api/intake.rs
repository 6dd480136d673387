//! Intake offices: where online petitions land. The root unit's admin sets the
//! jurisdiction's petition office, and may set a petition office per region prefix.

use super::JsonBody;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::IntakeOffice;
use app::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::Role;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct IntakeInput {
    /// A region-code prefix (e.g. `3301` for one city); empty for the whole jurisdiction.
    #[serde(default)]
    pub region_prefix: String,
    /// The petition office's unit code.
    pub unit: String,
}

/// Whether `who` is an admin of the root unit: only they set where petitions land.
pub async fn is_root_admin(state: &AppState, who: &Principal) -> ApiResult<bool> {
    if who.role() != Some(Role::Admin) {
        return Ok(false);
    }
    Ok(state
        .root_unit()
        .await?
        .is_some_and(|r| r.id == who.user.unit_id))
}

/// Sets an intake office, audited in the same transaction.
pub async fn save_intake(state: &AppState, who: &Principal, input: &IntakeInput) -> ApiResult<()> {
    if !is_root_admin(state, who).await? {
        return Err(ApiError::Forbidden);
    }
    let prefix = input.region_prefix.trim();
    if prefix.len() > 12 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::field("region_prefix", "invalid_region"));
    }
    let unit = match state
        .unit_by_code(&input.unit.trim().to_ascii_uppercase())
        .await
    {
        // A retired unit takes no new petitions.
        Ok(u) if u.retired => return Err(ApiError::field("unit", "unit_retired")),
        Ok(u) if who.scope().contains(&u.path) => u,
        Ok(_) | Err(AppError::NotFound) => return Err(ApiError::field("unit", "unknown_unit")),
        Err(e) => return Err(e.into()),
    };
    Ok(state.set_intake_office(prefix, &unit, &who.actor()).await?)
}

#[utoipa::path(get, path = "/api/v1/intake-offices", tag = "admin",
    responses((status = 200, description = "Where online petitions land: the jurisdiction's petition office (`region_prefix` empty) and any per region prefix")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
) -> ApiResult<Json<Vec<IntakeOffice>>> {
    Ok(Json(state.intake_offices().await?))
}

#[utoipa::path(post, path = "/api/v1/intake-offices", tag = "admin", request_body = IntakeInput,
    responses((status = 204, description = "Saved, with an audit record"),
              (status = 403, description = "Only the root unit's admin sets intake offices", body = crate::error::ErrorBody),
              (status = 422, description = "Unknown unit or a malformed region prefix", body = crate::error::ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<IntakeInput>,
) -> ApiResult<StatusCode> {
    save_intake(&state, &who, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
