//! The plans a critical hazard proposed (activate one with `POST
//! /api/v1/plans/{id}/activate` and `hazard_id`).

use super::extract::ApiPath;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use app::hazard_plans::HazardProposal;
use axum::extract::State;
use axum::Json;
use serde::Serialize;

#[derive(Serialize)]
pub struct HazardProposalOut {
    #[serde(flatten)]
    pub p: HazardProposal,
    pub may_activate: bool,
}

#[utoipa::path(get, path = "/api/v1/inspection-campaigns/hazards/{id}/plan-proposals", tag = "plans",
    params(("id" = i64, Path, description = "Hazard id")),
    responses((status = 200, description = "Plans whose “critical hazard” trigger this hazard met (a proposal: nothing is activated until a person decides), each with `may_activate` and the incident once activated")))]
pub async fn hazard_proposals(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<HazardProposalOut>>> {
    let list = state.hazard_banners(&who.caller(), id).await?;
    Ok(Json(
        list.into_iter()
            .map(|b| HazardProposalOut {
                p: b.p,
                may_activate: b.may_activate,
            })
            .collect(),
    ))
}
