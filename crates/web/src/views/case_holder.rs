//! What the case page says about who must act: the unit that holds the case, its
//! handler if one has worked it there, the action the case waits for, and a drafted
//! reply or opinion awaiting a leader's sign-off (or sent back with comments).

use crate::i18n::Tr;
use crate::state::AppState;
use app::model::{CaseEvent, CaseRecord};
use domain::lifecycle::{Command, Life};

pub struct Holder {
    pub unit: String,
    /// The handler who has worked the case in that unit, if any.
    pub handler: String,
    /// The action the case waits for, as a person reads it.
    pub waiting: String,
    pub overdue: bool,
}

pub struct DraftBox {
    /// The drafted action (`reply`, `review_decision`, `rereview_decision`).
    pub action: String,
    pub outcome: String,
    pub text: String,
    pub basis: String,
    pub drafted_on: String,
    /// The leader's comments when it was sent back.
    pub returned: Option<String>,
}

/// The handler of the holding unit who last worked the case since it arrived there.
async fn current_handler(state: &AppState, events: &[CaseEvent], unit_id: i64) -> String {
    for e in events.iter().rev() {
        if matches!(e.kind.as_str(), "route" | "object" | "registered") {
            break;
        }
        if !matches!(
            e.kind.as_str(),
            "accept" | "note" | "reply" | "extend" | "decline"
        ) {
            continue;
        }
        let Some(id) = e.actor_id else { continue };
        if let Ok(u) = state.user(id).await {
            if u.unit_id == unit_id && u.role == domain::Role::Handler {
                return u.display_name;
            }
        }
    }
    String::new()
}

pub async fn holder(
    state: &AppState,
    t: &Tr,
    c: &CaseRecord,
    life: &Life,
    events: &[CaseEvent],
) -> Option<Holder> {
    let waiting = life.waiting_for()?;
    Some(Holder {
        unit: format!("{} ({})", c.summary.unit_name, c.summary.unit_code),
        handler: current_handler(state, events, c.summary.unit_id).await,
        waiting: t.code("waiting", waiting.as_str()),
        overdue: state.due_status(life) == domain::DueStatus::Overdue,
    })
}

pub fn draft_box(t: &Tr, life: &Life) -> Option<DraftBox> {
    let d = life.draft.as_ref()?;
    // Only the draft of the stage the case is in: an issued or stale one is history.
    if d.returned.is_none() && life.awaiting_sign_off().is_none() {
        return None;
    }
    let (outcome, text, basis) = match &d.command {
        Command::Reply {
            outcome,
            text,
            basis,
        } => (t.code("outcome", outcome.as_str()), text, basis.clone()),
        Command::ReviewDecision { outcome, text } | Command::RereviewDecision { outcome, text } => {
            (
                t.code("review-outcome", outcome.as_str()),
                text,
                String::new(),
            )
        }
        _ => return None,
    };
    Some(DraftBox {
        action: d.command.action().as_str().to_string(),
        outcome,
        text: text.clone(),
        basis,
        drafted_on: d.drafted_on.to_string(),
        returned: d.returned.clone(),
    })
}
