//! Taking a lifecycle action on a case: by staff (the API and the case page) and by the
//! petitioner on the portal.

use crate::lifecycle::{life_of, view, CaseView};
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::lifecycle::{
    decide, may_take, needs_unit_above, Action, Command, Context, LifecycleError, NoteKind,
    Outcome, Rating, ReviewOutcome, RouteMode, Units,
};
use domain::FieldErrors;
use std::collections::HashMap;
use store::{ActionRecord, StoreError};

/// An action's fields, as strings, from a JSON object or a form.
pub type Fields = HashMap<String, String>;

pub fn fields_from_json(v: &serde_json::Value) -> Fields {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| match v {
                    serde_json::Value::String(s) => Some((k.clone(), s.clone())),
                    serde_json::Value::Number(n) => Some((k.clone(), n.to_string())),
                    serde_json::Value::Bool(b) => Some((k.clone(), b.to_string())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn text(f: &Fields, k: &str) -> String {
    f.get(k).map(|s| s.trim().to_string()).unwrap_or_default()
}

fn opt(f: &Fields, k: &str) -> Option<String> {
    Some(text(f, k)).filter(|s| !s.is_empty())
}

fn parsed<T>(
    f: &Fields,
    k: &'static str,
    parse: impl Fn(&str) -> Option<T>,
    errors: &mut FieldErrors,
) -> Option<T> {
    let v = text(f, k);
    let r = parse(&v);
    if r.is_none() {
        errors.insert(
            k.into(),
            if v.is_empty() {
                "required".into()
            } else {
                format!("invalid_{k}")
            },
        );
    }
    r
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A unit as an event keeps it.
pub fn unit_ref(u: &store::Unit) -> domain::UnitRef {
    u.event_ref()
}

/// Builds the command for `action` from its fields.
pub fn command(action: Action, f: &Fields) -> Result<Command, AppError> {
    let mut e = FieldErrors::new();
    let cmd = match action {
        Action::Route => {
            let mode = parsed(f, "mode", RouteMode::parse, &mut e);
            let result_due = match opt(f, "result_due") {
                None => None,
                Some(d) => parsed(f, "result_due", date, &mut e).or_else(|| date(&d)),
            };
            mode.map(|mode| Command::Route {
                mode,
                unit: opt(f, "unit"),
                channel: opt(f, "channel"),
                result_due,
            })
        }
        Action::Object => Some(Command::Object {
            reason: text(f, "reason"),
        }),
        Action::Accept => Some(Command::Accept),
        Action::Decline => Some(Command::Decline {
            reason: text(f, "reason"),
            refer_to: text(f, "refer_to"),
        }),
        Action::Note => {
            let kind = match opt(f, "kind") {
                None => Some(NoteKind::Note),
                Some(_) => parsed(f, "kind", NoteKind::parse, &mut e),
            };
            kind.map(|kind| Command::Note {
                kind,
                text: text(f, "text"),
            })
        }
        Action::Extend => {
            parsed(f, "days", |s| s.parse::<u32>().ok(), &mut e).map(|days| Command::Extend {
                days,
                reason: text(f, "reason"),
            })
        }
        Action::Reply => {
            parsed(f, "outcome", Outcome::parse, &mut e).map(|outcome| Command::Reply {
                outcome,
                text: text(f, "text"),
                basis: text(f, "basis"),
            })
        }
        Action::Deliver => parsed(f, "received_on", date, &mut e)
            .map(|received_on| Command::Deliver { received_on }),
        Action::Rate => {
            parsed(f, "rating", Rating::parse, &mut e).map(|rating| Command::Rate { rating })
        }
        Action::RequestReview => Some(Command::RequestReview {
            reason: text(f, "reason"),
        }),
        Action::RequestRereview => Some(Command::RequestRereview {
            reason: text(f, "reason"),
        }),
        Action::ReviewDecision => {
            parsed(f, "outcome", ReviewOutcome::parse, &mut e).map(|outcome| {
                Command::ReviewDecision {
                    outcome,
                    text: text(f, "text"),
                }
            })
        }
        Action::RereviewDecision => {
            parsed(f, "outcome", ReviewOutcome::parse, &mut e).map(|outcome| {
                Command::RereviewDecision {
                    outcome,
                    text: text(f, "text"),
                }
            })
        }
        Action::Close => Some(Command::Close {
            reason: text(f, "reason"),
        }),
        Action::Void => Some(Command::Void {
            reason: text(f, "reason"),
        }),
        Action::LinkConcluded => Some(Command::LinkConcluded {
            case_no: text(f, "case_no").to_ascii_uppercase(),
        }),
        Action::Approve => Some(Command::Approve { issues: None }),
        Action::Return => Some(Command::Return {
            comments: text(f, "comments"),
        }),
    };
    match cmd {
        Some(c) if e.is_empty() => Ok(c),
        _ => Err(AppError::Validation(e)),
    }
}

/// Takes `cmd` on case `id` for `who`: role, scope and stage checked; the event and the
/// new projection written together.
pub async fn act(state: &App, who: &Caller, id: i64, cmd: &Command) -> AppResult<CaseView> {
    let action = cmd.action();
    let role = who.role;
    let scope = who.scope();
    // Out of scope is "not found"; `apply` reads the whole case itself.
    let summary = state.store.case_summary(&scope, id).await?;
    // The draft awaiting sign-off decides who may approve or return it.
    let awaiting = if matches!(action, Action::Approve | Action::Return) {
        life_of(&state.store.case(&scope, id).await?)
            .awaiting_sign_off()
            .cloned()
    } else {
        None
    };
    let above = if needs_unit_above(action, awaiting.as_ref()) {
        state.store.unit(summary.unit_id).await?.path != who.unit_path
    } else {
        true
    };
    if !may_take(role, action, above, awaiting.as_ref()) {
        return Err(AppError::Forbidden);
    }
    if let Command::LinkConcluded { case_no } = cmd {
        check_concluded(state, case_no, id).await?;
    }
    apply(state, &scope, &who.actor(), Some(who.unit_id), id, cmd).await
}

/// The case a repeat petition is linked to must exist and be concluded after re-review.
async fn check_concluded(state: &App, case_no: &str, id: i64) -> AppResult<()> {
    let all = store::Scope::new("/");
    let other = match state.store.case_id_by_no(&all, case_no.trim()).await {
        Ok(other) if other != id => other,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(AppError::field("case_no", "unknown_case"))
        }
        Err(e) => return Err(e.into()),
    };
    let life = life_of(&state.store.case(&all, other).await?);
    let concluded = life
        .deadlines
        .iter()
        .any(|d| d.stage == domain::Stage::Concluded);
    if concluded {
        Ok(())
    } else {
        Err(AppError::field("case_no", "not_concluded"))
    }
}

/// The unit that last transferred or assigned case `id`, as it is now.
async fn routed_from(state: &App, id: i64) -> AppResult<Option<store::Unit>> {
    let events = state.store.case_events(&store::Scope::new("/"), id).await?;
    let mut holder: Option<String> = None;
    let mut from: Option<(Option<i64>, Option<String>)> = None;
    for e in &events {
        let ev = e.event();
        if let Some(step) = ev.step() {
            if matches!(
                step.command,
                Command::Route {
                    mode: RouteMode::Transfer | RouteMode::Assign,
                    ..
                }
            ) {
                from = Some((step.by_unit.as_ref().map(|u| u.id), holder.clone()));
            }
        }
        if let Some(code) = ev.moved_to() {
            holder = Some(code.to_string());
        }
    }
    let found = match from {
        Some((Some(unit_id), _)) => state.store.unit(unit_id).await,
        Some((None, Some(code))) => state.store.unit_by_code(&code).await,
        _ => return Ok(None),
    };
    match found {
        Ok(u) => Ok(Some(u)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// What a petitioner may do on the public portal, with the case number and query code:
/// rate the handling and ask for a review or a re-review.
pub async fn petitioner_act(state: &App, id: i64, cmd: &Command) -> AppResult<CaseView> {
    if !matches!(
        cmd.action(),
        Action::Rate | Action::RequestReview | Action::RequestRereview
    ) {
        return Err(AppError::Forbidden);
    }
    let actor = store::Actor {
        id: None,
        name: "petitioner".into(),
        ip: String::new(),
    };
    apply(state, &store::Scope::new("/"), &actor, None, id, cmd).await
}

/// Decides and records `cmd`. A concurrent change is retried on the fresh case, so two
/// actions never overwrite each other.
async fn apply(
    state: &App,
    scope: &store::Scope,
    actor: &store::Actor,
    actor_unit: Option<i64>,
    id: i64,
    cmd: &Command,
) -> AppResult<CaseView> {
    let actor_unit = match actor_unit {
        Some(u) => Some(unit_ref(&state.store.unit(u).await?)),
        None => None,
    };
    for _ in 0..3 {
        let record = state.store.case(scope, id).await?;
        let move_to = match cmd {
            Command::Route {
                mode: RouteMode::Transfer | RouteMode::Assign,
                unit: Some(code),
                ..
            } => match state.store.unit_by_code(&code.to_ascii_uppercase()).await {
                Ok(u) if u.retired => return Err(AppError::field("unit", "unit_retired")),
                Ok(u) if scope.contains(&u.path) => Some(u),
                Ok(_) | Err(StoreError::NotFound) => {
                    return Err(AppError::field("unit", "unknown_unit"))
                }
                Err(e) => return Err(e.into()),
            },
            // An objection returns the case to routing: to the office that routed it.
            Command::Object { .. } => routed_from(state, id).await?,
            _ => None,
        };
        let life = life_of(&record);
        // The units as they are now: the event keeps them, so that its notice names
        // the issuing and the receiving unit as they were.
        let ctx = Context {
            today: state.config.today(),
            calendar: &state.config.calendar,
            rules: &state.config.rules,
            units: Units {
                holder: Some(unit_ref(&state.store.unit(record.summary.unit_id).await?)),
                actor: actor_unit.clone(),
                target: move_to.as_ref().map(unit_ref),
            },
        };
        let mut cmd = cmd.clone();
        if let (Command::Route { unit, .. }, Some(u)) = (&mut cmd, &move_to) {
            *unit = Some(u.code.clone());
        }
        let event = decide(&life, &cmd, &ctx).map_err(|e| match e {
            LifecycleError::IllegalTransition { action, stage } => {
                AppError::IllegalTransition { action, stage }
            }
            LifecycleError::Invalid { field, code } => AppError::field(field, code),
        })?;
        let next = life.apply(&event);
        let tallies = domain::stats::counted(&life, &event);
        let notify =
            crate::action_people::recipients(state, &record, &event, actor, move_to.as_ref())
                .await?;
        let event = domain::Event::Step(event);
        let rec = ActionRecord {
            kind: event.kind(),
            payload: event.payload(),
            life: &next,
            move_to: move_to.as_ref(),
            notify,
            tallies,
        };
        match state
            .store
            .record_action(scope, id, record.summary.version, &rec, actor)
            .await
        {
            // A transfer never moves the case out of the actor's scope: the target was
            // checked to be inside it. An objection hands the case back to the office
            // above, out of the objecting unit's scope: it sees the case as it left it.
            Ok(()) if matches!(cmd, Command::Object { .. }) => {
                let all = store::Scope::new("/");
                return Ok(view(state, state.store.case(&all, id).await?));
            }
            Ok(()) => return Ok(view(state, state.store.case(scope, id).await?)),
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let latest = state.store.case_summary(scope, id).await?;
    Err(AppError::Conflict {
        current_version: latest.version,
    })
}
