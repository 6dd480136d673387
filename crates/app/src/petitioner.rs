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

/// What a petitioner asks for on a tracked case, as the form or the API gives it.
#[derive(Debug, Clone)]
pub enum PetitionerRequest {
    /// Rate the handling (`satisfied`, `basically_satisfied`, `dissatisfied`), once the
    /// reply has been delivered.
    Rate { rating: String },
    /// A review, or a re-review: whichever the case's stage allows.
    Review { reason: String },
}

impl PetitionerRequest {
    /// The command it becomes on `life` today, or why it is refused. A bad rating is
    /// refused before the stage is looked at.
    fn command(
        &self,
        life: &domain::lifecycle::Life,
        today: chrono::NaiveDate,
    ) -> Result<Command, Refusal> {
        match self {
            PetitionerRequest::Rate { rating } => {
                let rating = rating.trim();
                let Some(rating) = Rating::parse(rating) else {
                    let code = if rating.is_empty() {
                        "required"
                    } else {
                        "invalid_rating"
                    };
                    return Err(Refusal::Invalid(AppError::field("rating", code)));
                };
                match life.rating_closed(today) {
                    Some(why) => Err(Refusal::Closed(why)),
                    None => Ok(Command::Rate { rating }),
                }
            }
            PetitionerRequest::Review { reason } => {
                let review = life.review_state(today);
                let reason = reason.trim().to_string();
                match review.available {
                    Some(Action::RequestRereview) => Ok(Command::RequestRereview { reason }),
                    Some(_) => Ok(Command::RequestReview { reason }),
                    None => Err(Refusal::Closed(review.closed_reason.unwrap_or("closed"))),
                }
            }
        }
    }
}

impl App {
    /// Runs a petitioner's request on case `id` (found by its number and query code);
    /// returns the action it took.
    pub async fn petitioner_request(
        &self,
        id: i64,
        request: &PetitionerRequest,
    ) -> Result<Action, Refusal> {
        let c = self.case(&Scope::new("/"), id).await?;
        let cmd = request.command(&life_of(&c), self.config.today())?;
        petitioner_act(self, id, &cmd).await?;
        Ok(cmd.action())
    }
}
