//! The inspection register's figures: rectification orders past their deadline and not
//! re-inspected, in all and by unit (each unit with its subtree).

use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;

/// One unit (with its subtree) and its overdue rectification orders.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OverdueOrdersUnit {
    pub code: String,
    pub name: String,
    /// 0 for your own unit, 1 for the units just below, and so on.
    pub depth: usize,
    pub orders: i64,
    pub establishments: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InspectionStats {
    /// Rectification orders in your subtree past their deadline, the hazard not yet
    /// re-inspected.
    pub overdue_orders: i64,
    /// Establishments with at least one such order.
    pub overdue_establishments: i64,
    /// Units with overdue orders, in tree order; the first is yours when any.
    pub units: Vec<OverdueOrdersUnit>,
}

#[utoipa::path(operation_id = "inspection_stats", get, path = "/api/v1/stats/inspections", tag = "stats",
    responses((status = 200, description = "Overdue rectification orders in your subtree, in all and by unit (the supervision board shows the same)", body = InspectionStats)))]
pub async fn inspection_stats(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<InspectionStats>> {
    let units = state.overdue_order_units(&who.caller()).await?;
    let top = units.iter().find(|u| u.depth == 0);
    Ok(Json(InspectionStats {
        overdue_orders: top.map(|u| u.steps).unwrap_or(0),
        overdue_establishments: top.map(|u| u.entries).unwrap_or(0),
        units: units
            .iter()
            .map(|u| OverdueOrdersUnit {
                code: u.code.clone(),
                name: u.name.clone(),
                depth: u.depth,
                orders: u.steps,
                establishments: u.entries,
            })
            .collect(),
    }))
}
