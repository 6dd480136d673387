//! What a petitioner may do on the public portal with the case number and query code:
//! rate the handling, and ask for a review or a re-review while the window is open.

use crate::actions::petitioner_act;
use crate::lifecycle::life_of;
use crate::{App, AppError};
use domain::lifecycle::{Action, Command, Rating};
use store::Scope;

/// Why a petitioner's request was refused: a field, or the stage (with the reason).
pub enum Refusal {
    Invalid(AppError),
    Closed(&'static str),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Invalid(e)
    }
}

impl App {
    /// Rates the handling of case `id`, once its reply has been delivered.
    pub async fn petitioner_rate(&self, id: i64, rating: &str) -> Result<(), Refusal> {
        let state = self;
        let Some(rating) = Rating::parse(rating.trim()) else {
            return Err(Refusal::Invalid(AppError::field(
                "rating",
                if rating.trim().is_empty() {
                    "required"
                } else {
                    "invalid_rating"
                },
            )));
        };
        let c = state.case(&Scope::new("/"), id).await?;
        let life = life_of(&c);
        if !life
            .allowed_actions(state.config.today())
            .contains(&Action::Rate)
        {
            return Err(Refusal::Closed(if life.rating.is_some() {
                "already_rated"
            } else {
                "not_delivered"
            }));
        }
        petitioner_act(state, id, &Command::Rate { rating }).await?;
        Ok(())
    }

    /// Asks for a review, or a re-review, of case `id`: whichever its stage allows.
    pub async fn petitioner_request_review(
        &self,
        id: i64,
        reason: &str,
    ) -> Result<&'static str, Refusal> {
        let state = self;
        let c = state.case(&Scope::new("/"), id).await?;
        let life = life_of(&c);
        let review = life.review_state(state.config.today());
        let reason = reason.trim().to_string();
        let cmd = match review.available {
            Some("request_review") => Command::RequestReview { reason },
            Some(_) => Command::RequestRereview { reason },
            None => return Err(Refusal::Closed(review.closed_reason.unwrap_or("closed"))),
        };
        let action = cmd.action().as_str();
        petitioner_act(state, id, &cmd).await?;
        Ok(action)
    }
}
