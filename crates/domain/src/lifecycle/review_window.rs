//! The petitioner's review and re-review windows: whether a request is open now, until
//! when, and if not, why.

use super::{Action, Life};
use crate::Stage;
use chrono::NaiveDate;
use serde::Serialize;

/// Whether the petitioner may ask for a review (or re-review) now, and if not, why.
#[derive(Debug, Serialize)]
pub struct ReviewState {
    /// [`Action::RequestReview`] or [`Action::RequestRereview`] when a request is open now.
    pub available: Option<Action>,
    /// The last day to ask, when a window is open or has just closed.
    pub due: Option<NaiveDate>,
    /// Why no request is open: `not_replied`, `review_window_expired`,
    /// `review_in_progress`, `rereview_window_expired`, `rereview_in_progress`,
    /// `concluded`, `directed`, `declined`, `closed`, `voided`.
    pub closed_reason: Option<&'static str>,
}

impl Life {
    /// Why the petitioner may not rate the handling today, or `None` when they may: the
    /// case was rated already, or its reply has not been delivered.
    pub fn rating_closed(&self, today: NaiveDate) -> Option<&'static str> {
        if self.allowed_actions(today).contains(&Action::Rate) {
            None
        } else if self.rating.is_some() {
            Some("already_rated")
        } else {
            Some("not_delivered")
        }
    }

    /// Whether the matter is concluded as of `today`, so that a new petition on the same
    /// facts and reasons is answered under the repeat rule (Art. 36) instead of being
    /// handled again: the re-review ended the procedure (终结), or the case was answered
    /// and the window to ask for a review (or re-review) has passed, whether or not the
    /// case has been closed since. A case closed before it was answered (directed to a
    /// legal channel, not accepted) or voided is not.
    pub fn concluded(&self, today: NaiveDate) -> bool {
        let window_passed = |stage: Stage| {
            self.deadlines
                .iter()
                .rev()
                .find(|d| d.stage == stage)
                .is_some_and(|d| d.due.is_some_and(|due| today > due))
        };
        match self.stage {
            Stage::Concluded => true,
            Stage::ReviewWindow => window_passed(Stage::ReviewWindow),
            Stage::RereviewWindow => window_passed(Stage::RereviewWindow),
            Stage::Closed => {
                let answered = self.deadlines.iter().rev().find(|d| {
                    matches!(
                        d.stage,
                        Stage::ReviewWindow | Stage::RereviewWindow | Stage::Concluded
                    )
                });
                answered.is_some_and(|d| d.stage == Stage::Concluded || window_passed(d.stage))
            }
            _ => false,
        }
    }

    /// Whether the petitioner may ask for a review (or re-review) today, and if not, why.
    pub fn review_state(&self, today: NaiveDate) -> ReviewState {
        let life = self;
        let allowed = life.allowed_actions(today);
        let (available, closed) = match life.stage {
            Stage::ReviewWindow if allowed.contains(&Action::RequestReview) => {
                (Some(Action::RequestReview), None)
            }
            Stage::RereviewWindow if allowed.contains(&Action::RequestRereview) => {
                (Some(Action::RequestRereview), None)
            }
            Stage::ReviewWindow => (None, Some("review_window_expired")),
            Stage::RereviewWindow => (None, Some("rereview_window_expired")),
            Stage::Routing | Stage::Acceptance | Stage::Handling | Stage::ReplyDelivery => {
                (None, Some("not_replied"))
            }
            Stage::Review | Stage::ReviewDelivery => (None, Some("review_in_progress")),
            Stage::Rereview | Stage::RereviewDelivery => (None, Some("rereview_in_progress")),
            Stage::Concluded => (None, Some("concluded")),
            Stage::Directed => (None, Some("directed")),
            Stage::Declined => (None, Some("declined")),
            Stage::Closed => (None, Some("closed")),
            Stage::Voided => (None, Some("voided")),
        };
        let due = matches!(life.stage, Stage::ReviewWindow | Stage::RereviewWindow)
            .then(|| life.due())
            .flatten();
        ReviewState {
            available,
            due,
            closed_reason: closed,
        }
    }
}
