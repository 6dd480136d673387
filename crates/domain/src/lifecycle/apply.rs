//! Folding an event into a case's [`Life`].

use super::decide::Event;
use super::{Command, Deadline, Life};

impl Life {
    /// The case after `ev`. Pure: the same events always rebuild the same `Life`.
    pub fn apply(&self, ev: &Event) -> Life {
        let mut life = self.clone();
        if ev.draft {
            // Drafted, not issued: it waits for a leader's sign-off.
            life.draft = Some(super::Draft {
                command: ev.command.clone(),
                drafted_on: ev.on,
                returned: None,
                by_unit: ev.by_unit.clone(),
            });
            return life;
        }
        let command = match &ev.command {
            Command::Return { comments } => {
                if let Some(d) = life.draft.as_mut() {
                    d.returned = Some(comments.clone());
                }
                return life;
            }
            // Signed off: the draft is issued as if it had been taken now.
            Command::Approve { issues } => {
                life.draft = None;
                issues.as_deref().unwrap_or(&ev.command)
            }
            other => other,
        };
        match command {
            // These stay in the stage; an extension moves its due date.
            Command::Note { .. } => return life,
            Command::Rate { rating } => {
                life.rating = Some(*rating);
                return life;
            }
            Command::Extend { days, .. } => {
                life.extended_days = *days;
                if let Some(d) = life
                    .deadlines
                    .iter_mut()
                    .rev()
                    .find(|d| d.stage == life.stage && d.met_on.is_none())
                {
                    d.due = ev.due;
                    d.fallback = ev.fallback;
                }
                return life;
            }
            Command::Route { unit, .. } => {
                life.handling_unit = unit.clone().or(life.handling_unit);
                life.objection_due = ev.objection_due;
            }
            Command::Accept => life.accepted_on = Some(ev.on),
            Command::Reply { outcome, .. } => {
                life.reply_outcome = Some(*outcome);
                life.delivered = false;
            }
            Command::Deliver { .. } => life.delivered = true,
            _ => {}
        }
        let start = match command {
            Command::Deliver { received_on } => *received_on,
            _ => ev.on,
        };
        if let Some(d) = life
            .deadlines
            .iter_mut()
            .rev()
            .find(|d| d.stage == self.stage && d.met_on.is_none())
        {
            d.met_on = Some(ev.on);
        }
        life.stage = ev.stage;
        if ev.due.is_some()
            || !matches!(
                ev.stage,
                crate::case::Stage::Closed | crate::case::Stage::Voided
            )
        {
            life.deadlines.push(Deadline {
                stage: ev.stage,
                start,
                due: ev.due,
                met_on: None,
                fallback: ev.fallback,
            });
        }
        life
    }
}
