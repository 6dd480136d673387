//! Registering a petition, shared by the API, the staff form and the public portal.

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use chrono::Datelike;
use domain::{NewCase, Permission, QueryCode, Registration};
use store::{Actor, RegisterResult, StoreError, Unit};

/// Validates a registration against the category tree and today's date.
pub async fn validate(state: &AppState, input: &NewCase) -> ApiResult<Registration> {
    let categories = state.categories().await?;
    let today = state.config.today();
    Ok(input.validate(&|c| categories.iter().any(|k| k.code == c), today)?)
}

/// Stores a validated registration in `unit`, with its routing deadline on the calendar.
pub async fn store_in(
    state: &AppState,
    reg: &Registration,
    unit: &Unit,
    actor: &Actor,
) -> ApiResult<RegisterResult> {
    if unit.retired {
        return Err(ApiError::field("unit", "unit_retired"));
    }
    let query_code = QueryCode::generate(&mut rand::thread_rng());
    let due = state
        .config
        .calendar
        .add(reg.received_on, state.config.rules.route);
    let year = state.config.today().year();
    Ok(state
        .store
        .register_case(
            reg,
            unit,
            &query_code,
            year,
            Some((due.date, due.fallback)),
            actor,
        )
        .await?)
}

/// Validates and stores a staff registration. Nothing is stored when anything is wrong.
pub async fn register(
    state: &AppState,
    who: &Principal,
    input: &NewCase,
) -> ApiResult<(RegisterResult, Unit)> {
    who.require(Permission::Register)?;
    let reg = validate(state, input).await?;
    let unit = match &reg.unit {
        None => state.store.unit(who.user.unit_id).await?,
        Some(code) => match state.store.unit_by_code(code.as_str()).await {
            Ok(u) if who.scope().contains(&u.path) => u,
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(ApiError::field("unit", "unit_out_of_scope"))
            }
            Err(e) => return Err(e.into()),
        },
    };
    let result = store_in(state, &reg, &unit, &who.actor()).await?;
    Ok((result, unit))
}
