//! Deciding a command: is it allowed in this stage, is it well formed, and what follows.

use super::{Action, Command, Life, LifecycleError, RouteMode};
use crate::calendar::{Calendar, Due, Period, RuleSet};
use crate::case::Stage;
use crate::event::UnitRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a decision needs besides the case: the day, the calendar, the rules and the
/// units involved.
pub struct Context<'a> {
    pub today: NaiveDate,
    pub calendar: &'a Calendar,
    pub rules: &'a RuleSet,
    pub units: Units,
}

/// The units around a step, as they are when it is taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Units {
    /// The unit that holds the case.
    pub holder: Option<UnitRef>,
    /// The unit of the person taking the step.
    pub actor: Option<UnitRef>,
    /// The unit a transfer or an assignment names.
    pub target: Option<UnitRef>,
}

/// What happened: the command, the day it happened and the deadline it set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub on: NaiveDate,
    #[serde(flatten)]
    pub command: Command,
    /// The stage the case moves to.
    pub stage: Stage,
    /// The new stage's (or, for an extension, the current stage's) due date.
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub fallback: bool,
    #[serde(default)]
    pub objection_due: Option<NaiveDate>,
    /// The unit that took the step, as it was then: it issues the step's notice. Routing
    /// and review opinions come from the acting person's unit (the petition office, the
    /// unit above); acceptance, handling and replies from the unit that held the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_unit: Option<UnitRef>,
    /// The unit a transfer or an assignment sent the case to, as it was then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_unit: Option<UnitRef>,
    /// The reply or opinion was drafted and awaits a leader's sign-off: nothing is
    /// issued yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

impl Event {
    /// What the step put into effect: for a leader's approval, the reply or opinion it
    /// signed off (and so issued); for a draft awaiting sign-off, nothing; otherwise
    /// the step's own command. A return sends a draft back and puts nothing into effect
    /// beyond itself.
    pub fn effect(&self) -> Option<&Command> {
        if self.draft {
            return None;
        }
        match &self.command {
            Command::Approve { issues } => issues.as_deref(),
            other => Some(other),
        }
    }
}

pub(super) fn stage_allows(life: &Life, action: Action, today: NaiveDate) -> bool {
    use Stage::*;
    let s = life.stage;
    let within_due = life.due().is_none_or(|d| today <= d);
    // While a draft awaits sign-off nothing else is drafted over it.
    let awaiting = life.awaiting_sign_off().is_some();
    match action {
        Action::Route | Action::LinkConcluded => s == Routing,
        Action::Object => s == Acceptance && life.objection_due.is_none_or(|d| today <= d),
        Action::Accept | Action::Decline => s == Acceptance,
        Action::Note => matches!(s, Handling | Review | Rereview),
        Action::Extend => s == Handling && life.extended_days == 0,
        Action::Reply => s == Handling && !awaiting,
        Action::Deliver => matches!(s, ReplyDelivery | ReviewDelivery | RereviewDelivery),
        Action::Rate => {
            life.delivered
                && life.rating.is_none()
                && matches!(
                    s,
                    ReviewWindow
                        | Review
                        | ReviewDelivery
                        | RereviewWindow
                        | Rereview
                        | RereviewDelivery
                        | Concluded
                )
        }
        Action::RequestReview => s == ReviewWindow && within_due,
        Action::ReviewDecision => s == Review && !awaiting,
        Action::RequestRereview => s == RereviewWindow && within_due,
        Action::RereviewDecision => s == Rereview && !awaiting,
        Action::Approve | Action::Return => awaiting,
        Action::Close => matches!(
            s,
            ReviewWindow | RereviewWindow | Concluded | Directed | Declined
        ),
        Action::Void => !matches!(s, Closed | Voided),
    }
}

fn required(field: &'static str, v: &str) -> Result<(), LifecycleError> {
    if v.trim().is_empty() {
        Err(LifecycleError::Invalid {
            field,
            code: "required",
        })
    } else if v.chars().count() > 20_000 {
        Err(LifecycleError::Invalid {
            field,
            code: "too_long",
        })
    } else if !crate::text::is_clean_multiline(v) {
        Err(LifecycleError::Invalid {
            field,
            code: "invalid_characters",
        })
    } else {
        Ok(())
    }
}

fn is_holder(unit: Option<&str>, units: &Units) -> bool {
    let Some(holder) = &units.holder else {
        return false;
    };
    let named = unit.is_some_and(|u| u.trim().eq_ignore_ascii_case(&holder.code));
    named || units.target.as_ref().is_some_and(|t| t.id == holder.id)
}

fn check(cmd: &Command, life: &Life, ctx: &Context) -> Result<(), LifecycleError> {
    match cmd {
        Command::Route {
            mode,
            unit,
            channel,
            result_due,
        } => match mode {
            RouteMode::Transfer | RouteMode::Assign
                if unit.as_deref().is_none_or(|u| u.trim().is_empty()) =>
            {
                Err(LifecycleError::Invalid {
                    field: "unit",
                    code: "required",
                })
            }
            // A case is never transferred or assigned to the unit that already holds it.
            RouteMode::Transfer | RouteMode::Assign if is_holder(unit.as_deref(), &ctx.units) => {
                Err(LifecycleError::Invalid {
                    field: "unit",
                    code: "same_unit",
                })
            }
            RouteMode::Assign if result_due.is_none_or(|d| d <= ctx.today) => {
                Err(LifecycleError::Invalid {
                    field: "result_due",
                    code: "date_not_in_future",
                })
            }
            RouteMode::LegalChannel => required("channel", channel.as_deref().unwrap_or("")),
            _ => Ok(()),
        },
        Command::Object { reason }
        | Command::RequestReview { reason }
        | Command::RequestRereview { reason } => required("reason", reason),
        Command::Close { reason } | Command::Void { reason } => required("reason", reason),
        Command::Decline { reason, refer_to } => {
            required("reason", reason).and(required("refer_to", refer_to))
        }
        Command::Note { text, .. }
        | Command::ReviewDecision { text, .. }
        | Command::RereviewDecision { text, .. } => required("text", text),
        Command::Extend { days, reason } => {
            if *days == 0 || *days > ctx.rules.max_extension.days {
                Err(LifecycleError::Invalid {
                    field: "days",
                    code: "extension_out_of_range",
                })
            } else {
                required("reason", reason)
            }
        }
        Command::Reply { text, basis, .. } => required("text", text).and(required("basis", basis)),
        Command::Deliver { received_on } => {
            let started = life.current().map(|d| d.start).unwrap_or(*received_on);
            if *received_on > ctx.today {
                Err(LifecycleError::Invalid {
                    field: "received_on",
                    code: "date_in_future",
                })
            } else if *received_on < started {
                Err(LifecycleError::Invalid {
                    field: "received_on",
                    code: "date_before_reply",
                })
            } else {
                Ok(())
            }
        }
        Command::LinkConcluded { case_no } => required("case_no", case_no),
        Command::Return { comments } => required("comments", comments),
        Command::Accept | Command::Rate { .. } | Command::Approve { .. } => Ok(()),
    }
}

/// Applies `cmd` to `life` on `ctx.today`: the event that records it, or why not.
pub fn decide(life: &Life, cmd: &Command, ctx: &Context) -> Result<Event, LifecycleError> {
    let action = cmd.action();
    if !stage_allows(life, action, ctx.today) {
        return Err(LifecycleError::IllegalTransition {
            action,
            stage: life.stage,
        });
    }
    check(cmd, life, ctx)?;
    let (today, cal, r) = (ctx.today, ctx.calendar, ctx.rules);
    let due = |start: NaiveDate, p: Period| -> Due { cal.add(start, p) };
    let mut ev = Event {
        on: today,
        command: cmd.clone(),
        stage: life.stage,
        due: None,
        fallback: false,
        objection_due: None,
        by_unit: match action {
            // The petition office routes and keeps its records; review opinions come
            // from above. Each is issued by the unit of the person who took the step.
            Action::Route
            | Action::LinkConcluded
            | Action::Close
            | Action::Void
            | Action::ReviewDecision
            | Action::RereviewDecision => ctx.units.actor.clone().or(ctx.units.holder.clone()),
            // A signed-off review opinion is issued by the unit above that wrote it,
            // whichever leader signs it off; a signed-off reply by the unit that handles
            // the case.
            Action::Approve => match life.awaiting_sign_off() {
                Some(Command::ReviewDecision { .. } | Command::RereviewDecision { .. }) => life
                    .draft
                    .as_ref()
                    .and_then(|d| d.by_unit.clone())
                    .or(ctx.units.actor.clone())
                    .or(ctx.units.holder.clone()),
                _ => ctx.units.holder.clone(),
            },
            // The competent body decides, handles and replies: the unit holding the case.
            _ => ctx.units.holder.clone(),
        },
        to_unit: None,
        draft: false,
    };
    // Where the rule set requires sign-off, a reply or opinion is first a draft: the
    // stage and its deadline stay as they are until a leader approves it.
    let stays = |ev: &mut Event| {
        ev.due = life.current().and_then(|c| c.due);
        ev.fallback = life.current().is_some_and(|c| c.fallback);
    };
    if action.needs_sign_off() && r.sign_off {
        ev.draft = true;
        stays(&mut ev);
        return Ok(ev);
    }
    let issued;
    let cmd = match cmd {
        Command::Approve { .. } => {
            let Some(draft) = life.awaiting_sign_off() else {
                return Err(LifecycleError::IllegalTransition {
                    action,
                    stage: life.stage,
                });
            };
            ev.command = Command::Approve {
                issues: Some(Box::new(draft.clone())),
            };
            issued = draft.clone();
            &issued
        }
        Command::Return { .. } => {
            stays(&mut ev);
            return Ok(ev);
        }
        other => other,
    };
    let set = |ev: &mut Event, stage: Stage, d: Option<Due>| {
        ev.stage = stage;
        ev.due = d.map(|d| d.date);
        ev.fallback = d.is_some_and(|d| d.fallback);
    };
    match cmd {
        Command::Route {
            mode: RouteMode::LegalChannel,
            ..
        } => set(&mut ev, Stage::Directed, None),
        Command::Route { mode, .. } => {
            if matches!(mode, RouteMode::Transfer | RouteMode::Assign) {
                ev.to_unit = ctx.units.target.clone();
            }
            set(&mut ev, Stage::Acceptance, Some(due(today, r.acceptance)));
            ev.objection_due = Some(due(today, r.objection).date);
        }
        Command::Object { .. } => set(&mut ev, Stage::Routing, Some(due(today, r.route))),
        Command::Accept => set(&mut ev, Stage::Handling, Some(due(today, r.handling))),
        Command::Decline { .. } => set(&mut ev, Stage::Declined, None),
        Command::Note { .. } | Command::Rate { .. } => {
            let d = life.current().and_then(|c| c.due);
            ev.due = d;
            ev.fallback = life.current().is_some_and(|c| c.fallback);
        }
        Command::Extend { days, .. } => {
            let start = life.accepted_on.unwrap_or(today);
            let period = Period {
                days: r.handling.days + days,
                working: r.handling.working,
            };
            set(&mut ev, Stage::Handling, Some(due(start, period)));
        }
        Command::Reply { .. } => set(&mut ev, Stage::ReplyDelivery, None),
        Command::Deliver { received_on } => match life.stage {
            Stage::ReplyDelivery => set(
                &mut ev,
                Stage::ReviewWindow,
                Some(due(*received_on, r.review_request)),
            ),
            Stage::ReviewDelivery => set(
                &mut ev,
                Stage::RereviewWindow,
                Some(due(*received_on, r.rereview_request)),
            ),
            _ => set(&mut ev, Stage::Concluded, None),
        },
        Command::RequestReview { .. } => {
            set(&mut ev, Stage::Review, Some(due(today, r.review_decision)))
        }
        Command::ReviewDecision { .. } => set(&mut ev, Stage::ReviewDelivery, None),
        Command::RequestRereview { .. } => set(
            &mut ev,
            Stage::Rereview,
            Some(due(today, r.rereview_decision)),
        ),
        Command::RereviewDecision { .. } => set(&mut ev, Stage::RereviewDelivery, None),
        Command::Close { .. } => set(&mut ev, Stage::Closed, None),
        Command::Void { .. } => set(&mut ev, Stage::Voided, None),
        Command::LinkConcluded { .. } => set(&mut ev, Stage::Declined, None),
        // Resolved above: an approval decides as the draft it issues.
        Command::Approve { .. } | Command::Return { .. } => {}
    }
    Ok(ev)
}
