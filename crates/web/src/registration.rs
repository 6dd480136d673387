//! Registering a petition, shared by the API and the staff form.

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use chrono::Datelike;
use domain::{NewCase, Permission, QueryCode};
use store::{RegisterResult, StoreError, Unit};

/// Validates and stores a registration. Nothing is stored when anything is wrong.
pub async fn register(
    state: &AppState,
    who: &Principal,
    input: &NewCase,
) -> ApiResult<(RegisterResult, Unit)> {
    who.require(Permission::Register)?;
    let categories = state.categories().await?;
    let today = state.config.today();
    let reg = input.validate(&|c| categories.iter().any(|k| k.code == c), today)?;
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
    let query_code = QueryCode::generate(&mut rand::thread_rng());
    let due = state
        .config
        .calendar
        .add(reg.received_on, state.config.rules.route);
    let result = state
        .store
        .register_case(
            &reg,
            &unit,
            &query_code,
            today.year(),
            Some((due.date, due.fallback)),
            &who.actor(),
        )
        .await?;
    Ok((result, unit))
}
