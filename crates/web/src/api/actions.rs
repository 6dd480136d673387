//! `POST /api/v1/cases/{id}/actions/{action}`: the lifecycle, through the API and the
//! case page alike. The use case is [`app::actions`].

use super::extract::ApiPath;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::lifecycle::CaseView;
use axum::extract::State;
use axum::Json;
use domain::lifecycle::Action;

pub use app::actions::{act, command, fields_from_json, petitioner_act, unit_ref, Fields};

/// The case and the action in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct ActionPath {
    /// Case id.
    id: i64,
    /// route | object | accept | decline | note | extend | reply | approve | return |
    /// deliver | rate | request_review | review_decision | request_rereview |
    /// rereview_decision | close | void | link_concluded
    #[param(schema_with = super::schemas::action)]
    action: String,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/actions/{action}", tag = "cases",
    params(ActionPath),
    request_body(content = serde_json::Value, description = "The action's fields, e.g. route: {\"mode\":\"transfer|assign|self|legal_channel\",\"unit\":…,\"channel\":…,\"result_due\":\"YYYY-MM-DD\"}; extend: {\"days\":…,\"reason\":…}; reply: {\"outcome\":\"support|explain|reject\",\"text\":…,\"basis\":…} (a draft awaiting a leader's sign-off where the rule set requires it); approve: {} (a leader issues the draft); return: {\"comments\":…}; deliver: {\"received_on\":\"YYYY-MM-DD\"}"),
    responses((status = 200, description = "The updated case, with stage, state, due_date and deadlines"),
              (status = 403, description = "Your role or scope does not allow this action", body = crate::error::ErrorBody),
              (status = 409, description = "Not allowed in the case's stage (`illegal_transition`)", body = crate::error::ErrorBody),
              (status = 422, description = "A field is missing or wrong", body = crate::error::ErrorBody)))]
pub async fn take_action(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> ApiResult<Json<CaseView>> {
    let action = Action::parse(&action).ok_or(ApiError::NotFound)?;
    let cmd = command(action, &fields_from_json(&body))?;
    Ok(Json(act(&state, &who.caller(), id, &cmd).await?))
}
