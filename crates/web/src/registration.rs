//! Registering a petition, shared by the API, the staff form and the public portal.

use crate::api::cases::Upload;
use crate::app::AppState;
use crate::attachments;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use chrono::Datelike;
use domain::{NewCase, Permission, QueryCode, Registration};
use store::{Actor, NewRegistration, RegisterResult, StoreError, Unit};

/// Validates a registration against the category tree and today's date.
pub async fn validate(state: &AppState, input: &NewCase) -> ApiResult<Registration> {
    let categories = state.categories().await?;
    let today = state.config.today();
    Ok(input.validate(&|c| categories.iter().any(|k| k.code == c), today)?)
}

/// Stores a validated registration in `unit`, with its routing deadline on the calendar,
/// and its attachments. The files are written first, then the case and the attachments'
/// rows commit in one transaction: a failure leaves no case and nothing to resubmit twice.
pub async fn store_in(
    state: &AppState,
    reg: &Registration,
    unit: &Unit,
    actor: &Actor,
    files: &[Upload],
) -> ApiResult<RegisterResult> {
    if unit.retired {
        return Err(ApiError::field("unit", "unit_retired"));
    }
    let _writing = attachments::gate().read().await;
    let saved = attachments::save_all(
        &state.config.attachments_dir,
        files,
        state.config.max_upload_bytes,
    )
    .await?;
    let query_code = QueryCode::generate(&mut rand::thread_rng());
    let due = state
        .config
        .calendar
        .add(reg.received_on, state.config.rules.route);
    let year = state.config.today().year();
    Ok(state
        .store
        .register(NewRegistration {
            reg: reg.clone(),
            unit: unit.clone(),
            query_code,
            year,
            due: Some((due.date, due.fallback)),
            actor: actor.clone(),
            attachments: saved,
        })
        .await?)
}

/// Validates and stores a staff registration with its (already checked) uploads. Nothing
/// is stored when anything is wrong.
pub async fn register(
    state: &AppState,
    who: &Principal,
    input: &NewCase,
    files: &[Upload],
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
    let result = store_in(state, &reg, &unit, &who.actor(), files).await?;
    Ok((result, unit))
}
