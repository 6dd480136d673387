//! In-app notifications for the logged-in user.

use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::model::Notification;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

#[utoipa::path(get, path = "/api/v1/notifications", tag = "meta",
    responses((status = 200, description = "Your notifications, newest first: deadlines due soon or overdue")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<Vec<Notification>>> {
    Ok(Json(state.notifications(who.user.id, 200).await?))
}

#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "meta",
    responses((status = 204, description = "All your notifications are marked read")))]
pub async fn read_all(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<StatusCode> {
    state.read_notifications(who.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
