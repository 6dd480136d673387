//! Intake offices: where online petitions land. The root unit's admin sets the
//! jurisdiction's petition office, and may set a petition office per region prefix.

use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::IntakeOffice;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct IntakeInput {
    /// A region-code prefix (e.g. `3301` for one city); empty for the whole jurisdiction.
    #[serde(default)]
    pub region_prefix: String,
    /// The petition office's unit code.
    pub unit: String,
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
    state
        .save_intake_office(&who.caller(), &input.region_prefix, &input.unit)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
