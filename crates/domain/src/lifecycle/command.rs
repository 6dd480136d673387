//! What a user can ask of a case, with the values each command carries.

use crate::case::string_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

string_enum!(
    /// An action on a case: `POST /api/v1/cases/{id}/actions/{action}`.
    Action {
        Route => "route",
        Object => "object",
        Accept => "accept",
        Decline => "decline",
        Note => "note",
        Extend => "extend",
        Reply => "reply",
        Deliver => "deliver",
        Rate => "rate",
        RequestReview => "request_review",
        ReviewDecision => "review_decision",
        RequestRereview => "request_rereview",
        RereviewDecision => "rereview_decision",
        Close => "close",
        Void => "void",
        LinkConcluded => "link_concluded",
        Approve => "approve",
        Return => "return",
    }
);

string_enum!(
    serde_by_variant;
    /// The four ways to route a case (Art. 22). Stored event payloads hold its serde form
    /// (`self_handle`), not its code (`self`), so that form stays.
    RouteMode {
        Transfer => "transfer",
        Assign => "assign",
        SelfHandle => "self",
        LegalChannel => "legal_channel",
    }
);

string_enum!(
    /// What a handling note records.
    NoteKind {
        Note => "note",
        Hearing => "hearing",
        Mediation => "mediation",
        Coordination => "coordination",
    }
);

string_enum!(
    /// The reply's outcome (支持 / 解释 / 不支持).
    Outcome {
        Support => "support",
        Explain => "explain",
        Reject => "reject",
    }
);

string_enum!(
    /// The petitioner's rating (Art. 21).
    Rating {
        Satisfied => "satisfied",
        BasicallySatisfied => "basically_satisfied",
        Dissatisfied => "dissatisfied",
    }
);

string_enum!(
    /// A review or re-review opinion.
    ReviewOutcome {
        Uphold => "uphold",
        Change => "change",
    }
);

/// A validated command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Command {
    Route {
        mode: RouteMode,
        unit: Option<String>,
        channel: Option<String>,
        result_due: Option<NaiveDate>,
    },
    Object {
        reason: String,
    },
    Accept,
    Decline {
        reason: String,
        refer_to: String,
    },
    Note {
        kind: NoteKind,
        text: String,
    },
    Extend {
        days: u32,
        reason: String,
    },
    Reply {
        outcome: Outcome,
        text: String,
        basis: String,
    },
    Deliver {
        received_on: NaiveDate,
    },
    Rate {
        rating: Rating,
    },
    RequestReview {
        reason: String,
    },
    ReviewDecision {
        outcome: ReviewOutcome,
        text: String,
    },
    RequestRereview {
        reason: String,
    },
    RereviewDecision {
        outcome: ReviewOutcome,
        text: String,
    },
    Close {
        reason: String,
    },
    Void {
        reason: String,
    },
    /// The petition repeats a matter concluded after re-review (Art. 36): it is registered,
    /// linked to that case, and not accepted.
    LinkConcluded {
        case_no: String,
    },
    /// A leader signs off (签发) the draft awaiting sign-off: it is issued. The event
    /// carries the issued reply or opinion in `issues`; the request carries nothing.
    Approve {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        issues: Option<Box<Command>>,
    },
    /// A leader sends the draft back to its drafter with comments.
    Return {
        comments: String,
    },
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::Route { .. } => Action::Route,
            Command::Object { .. } => Action::Object,
            Command::Accept => Action::Accept,
            Command::Decline { .. } => Action::Decline,
            Command::Note { .. } => Action::Note,
            Command::Extend { .. } => Action::Extend,
            Command::Reply { .. } => Action::Reply,
            Command::Deliver { .. } => Action::Deliver,
            Command::Rate { .. } => Action::Rate,
            Command::RequestReview { .. } => Action::RequestReview,
            Command::ReviewDecision { .. } => Action::ReviewDecision,
            Command::RequestRereview { .. } => Action::RequestRereview,
            Command::RereviewDecision { .. } => Action::RereviewDecision,
            Command::Close { .. } => Action::Close,
            Command::Void { .. } => Action::Void,
            Command::LinkConcluded { .. } => Action::LinkConcluded,
            Command::Approve { .. } => Action::Approve,
            Command::Return { .. } => Action::Return,
        }
    }
}

impl Action {
    /// A written decision a leader signs off where the rule set requires it: the reply
    /// (信访处理意见书) and the review and re-review opinions.
    pub fn needs_sign_off(self) -> bool {
        matches!(
            self,
            Action::Reply | Action::ReviewDecision | Action::RereviewDecision
        )
    }
}
