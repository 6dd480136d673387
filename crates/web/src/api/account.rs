//! A user's own account: changing their own password. The one-time admin password and
//! any password an admin resets must be changed this way before anything else works.

use super::JsonBody;
use crate::auth::{password, ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::AuditNote;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Checks the current password and the new one, then sets it, with an audit row.
/// Field errors name `current_password` or `new_password`.
pub async fn change_own_password(
    state: &AppState,
    who: &Principal,
    input: &PasswordChange,
) -> ApiResult<()> {
    let mut errors = domain::FieldErrors::new();
    let current_ok = password::verify_async(
        input.current_password.clone(),
        who.user.password_hash.clone(),
    )
    .await;
    if !current_ok {
        errors.insert("current_password".into(), "current_password_wrong".into());
    }
    if let Err(code) = password::check_policy(&input.new_password) {
        errors.insert("new_password".into(), code.into());
    } else if input.new_password == input.current_password {
        errors.insert("new_password".into(), "password_unchanged".into());
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let hash = password::hash_async(input.new_password.clone())
        .await
        .map_err(ApiError::Internal)?;
    let actor = who.actor();
    let note = AuditNote {
        actor: &actor,
        action: "password_changed",
        target: who.user.username.clone(),
        detail: String::new(),
    };
    state
        .set_password_audited(who.user.id, &hash, false, false, &note)
        .await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "meta", request_body = PasswordChange,
    responses((status = 204, description = "Changed"),
              (status = 422, description = "Wrong current password, or the new one is too weak or the same", body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(input): JsonBody<PasswordChange>,
) -> ApiResult<StatusCode> {
    change_own_password(&state, &who, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
