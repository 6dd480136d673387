//! The notices of a case, filled from their templates.

use super::extract::ApiPath;
use crate::api::cases::read_case_audited;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::i18n::{ReqLang, Tr};
use crate::notices::{notices_for, Notice};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;

#[utoipa::path(get, path = "/api/v1/cases/{id}/notices", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Every notice the case's steps call for (transfer, acceptance or non-acceptance, extension, decision, review and re-review opinions), in the request's language (`?lang=en`)")))]
pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Notice>>> {
    let c = read_case_audited(&state, &who, id, "notices").await?;
    let events = state.case_events(&who.scope(), id).await?;
    let t = Tr::new(lang, state.i18n.clone());
    Ok(Json(notices_for(&state, &t, &c, &events).await?))
}
