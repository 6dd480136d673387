//! Tracking a case with its number and query code, shared by the pages and the public
//! API: what the petitioner may see — the stage, the unit that has the case, every
//! deadline and whether it was met, and the notices and replies — and never staff-only
//! notes, staff names or anyone's personal data.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
pub use app::petitioner::PetitionerRequest;
pub use app::track::{Found, Notice, PublicCase, PublicDeadline};
pub use domain::lifecycle::{Action, ReviewState};

/// Looks a case or an appointment up. `None` for a wrong number and a wrong code alike.
pub async fn find(state: &AppState, number: &str, code: &str) -> ApiResult<Option<Found>> {
    Ok(state.track(number, code).await?)
}

/// The id of the case with this number, if the code is its code.
pub async fn find_case(state: &AppState, case_no: &str, code: &str) -> ApiResult<Option<i64>> {
    Ok(state.track_case(case_no, code).await?)
}

/// The case with id `id` as its petitioner sees it, in English or Chinese names.
pub async fn public_case(state: &AppState, id: i64, en: bool) -> ApiResult<PublicCase> {
    Ok(state.public_case(id, en).await?)
}

/// Why a petitioner's request was refused: a field, or the stage (with the reason).
pub enum Refusal {
    Api(ApiError),
    Closed(&'static str),
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        Refusal::Api(e)
    }
}

impl From<app::AppError> for Refusal {
    fn from(e: app::AppError) -> Self {
        Refusal::Api(e.into())
    }
}

impl From<app::petitioner::Refusal> for Refusal {
    fn from(r: app::petitioner::Refusal) -> Self {
        match r {
            app::petitioner::Refusal::Invalid(e) => Refusal::Api(e.into()),
            app::petitioner::Refusal::Closed(why) => Refusal::Closed(why),
        }
    }
}

/// Runs a petitioner's request on case `id`: a rating, or a review or re-review request
/// (the use case is [`app::App::petitioner_request`]). Returns the action taken.
pub async fn act(
    state: &AppState,
    id: i64,
    request: &PetitionerRequest,
) -> Result<Action, Refusal> {
    Ok(state.petitioner_request(id, request).await?)
}
