//! The statutory lifecycle as a state machine: a command applied to a case's [`Life`]
//! yields events, or an error; events applied in order rebuild the `Life`.
//!
//! Dates are the office's local dates, passed in; periods come from a
//! [`RuleSet`](crate::calendar::RuleSet) and are counted on a
//! [`Calendar`](crate::calendar::Calendar).

mod apply;
mod command;
mod decide;
mod review_window;
mod roles;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod units_tests;

pub use command::{Action, Command, NoteKind, Outcome, Rating, ReviewOutcome, RouteMode};
pub use decide::{decide, Context, Event, Units};
pub use review_window::ReviewState;
pub use roles::{may_act, may_take, needs_unit_above};

use crate::case::Stage;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One stage's deadline: when it started, when it is due, and when it was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub stage: Stage,
    pub start: NaiveDate,
    pub due: Option<NaiveDate>,
    pub met_on: Option<NaiveDate>,
    /// The due date was counted on plain weekends: no holiday schedule for that year.
    #[serde(default)]
    pub fallback: bool,
}

/// The lifecycle part of a case: its stage and the record of its deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Life {
    pub stage: Stage,
    pub deadlines: Vec<Deadline>,
    /// The unit that has the case, by code, once routed.
    #[serde(default)]
    pub handling_unit: Option<String>,
    /// The last day the body that received the case may object (Art. 23).
    #[serde(default)]
    pub objection_due: Option<NaiveDate>,
    #[serde(default)]
    pub accepted_on: Option<NaiveDate>,
    /// Days of extension granted (at most one extension).
    #[serde(default)]
    pub extended_days: u32,
    #[serde(default)]
    pub reply_outcome: Option<Outcome>,
    #[serde(default)]
    pub rating: Option<Rating>,
    /// The reply (or opinion) has been received by the petitioner.
    #[serde(default)]
    pub delivered: bool,
    /// The reply or opinion drafted and awaiting a leader's sign-off (签发), or sent back.
    #[serde(default)]
    pub draft: Option<Draft>,
}

/// A drafted reply or review/re-review opinion, where the rule set requires sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The reply or opinion as drafted.
    pub command: Command,
    pub drafted_on: NaiveDate,
    /// A leader sent it back with these comments; it awaits a new draft.
    #[serde(default)]
    pub returned: Option<String>,
    /// The unit that wrote it: it took the step, so it issues the reply or opinion when a
    /// leader signs it off (as it was when it wrote it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_unit: Option<crate::UnitRef>,
}

impl Life {
    /// A case just registered: routing starts on the day of receipt.
    pub fn registered(received_on: NaiveDate, routing_due: Option<(NaiveDate, bool)>) -> Life {
        Life {
            stage: Stage::Routing,
            deadlines: vec![Deadline {
                stage: Stage::Routing,
                start: received_on,
                due: routing_due.map(|(d, _)| d),
                met_on: None,
                fallback: routing_due.is_some_and(|(_, f)| f),
            }],
            handling_unit: None,
            objection_due: None,
            accepted_on: None,
            extended_days: 0,
            reply_outcome: None,
            rating: None,
            delivered: false,
            draft: None,
        }
    }

    /// The drafted reply or opinion awaiting a leader's sign-off in the current stage.
    pub fn awaiting_sign_off(&self) -> Option<&Command> {
        let d = self.draft.as_ref().filter(|d| d.returned.is_none())?;
        let stage_of_draft = match d.command {
            Command::Reply { .. } => Stage::Handling,
            Command::ReviewDecision { .. } => Stage::Review,
            Command::RereviewDecision { .. } => Stage::Rereview,
            _ => return None,
        };
        (stage_of_draft == self.stage).then_some(&d.command)
    }

    /// The comments a leader sent the current draft back with, if it was sent back.
    pub fn returned_comments(&self) -> Option<&str> {
        self.draft.as_ref().and_then(|d| d.returned.as_deref())
    }

    /// The action the case waits for now, in its stage: what the unit that holds it
    /// must do next (`None` once nothing is owed).
    pub fn waiting_for(&self) -> Option<Action> {
        if self.awaiting_sign_off().is_some() {
            return Some(Action::Approve);
        }
        Some(match self.stage {
            Stage::Routing => Action::Route,
            Stage::Acceptance => Action::Accept,
            Stage::Handling => Action::Reply,
            Stage::ReplyDelivery | Stage::ReviewDelivery | Stage::RereviewDelivery => {
                Action::Deliver
            }
            Stage::Review => Action::ReviewDecision,
            Stage::Rereview => Action::RereviewDecision,
            Stage::ReviewWindow
            | Stage::RereviewWindow
            | Stage::Concluded
            | Stage::Directed
            | Stage::Declined => Action::Close,
            Stage::Closed | Stage::Voided => return None,
        })
    }

    /// The current stage's due date, if it has one.
    pub fn due(&self) -> Option<NaiveDate> {
        self.current().and_then(|d| d.due)
    }

    pub fn current(&self) -> Option<&Deadline> {
        self.deadlines
            .iter()
            .rev()
            .find(|d| d.stage == self.stage && d.met_on.is_none())
    }

    /// Every action that the stage allows now (roles and scope aside).
    pub fn allowed_actions(&self, today: NaiveDate) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| decide::stage_allows(self, *a, today))
            .collect()
    }
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The action is not allowed in the case's stage.
    #[error("illegal_transition")]
    IllegalTransition { action: Action, stage: Stage },
    /// A field of the command is missing or wrong.
    #[error("invalid")]
    Invalid {
        field: &'static str,
        code: &'static str,
    },
}
