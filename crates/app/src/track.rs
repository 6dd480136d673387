//! Tracking a case with its number and query code, for the portal's pages and the public
//! API: what the petitioner may see — the stage, the unit that has the case, every
//! deadline and whether it was met, and the notices and replies — and never staff-only
//! notes, staff names or anyone's personal data.

use crate::appointments::is_appointment_ref;
use crate::lifecycle::life_of;
use crate::password::same_secret;
use crate::{App, AppResult};
use chrono::NaiveDate;
use domain::due::DeadlineStatus;
use domain::lifecycle::{Command, Deadline, Rating, ReviewState, RouteMode};
use domain::{CaseNo, CaseType, DueStatus, Event, QueryCode};
use serde::Serialize;
use store::{Appointment, CaseEvent, Scope};

/// What a number and a code found.
pub enum Found {
    Case(i64),
    Appointment(Box<Appointment>),
}

/// One stage's deadline, and whether it was met.
#[derive(Debug, Serialize)]
pub struct PublicDeadline {
    pub stage: String,
    pub start: NaiveDate,
    pub due: Option<NaiveDate>,
    pub met_on: Option<NaiveDate>,
    /// `met` (on time), `met_late`, `open`, `due_soon`, `overdue`, or `none` (no period).
    pub status: DeadlineStatus,
}

/// A notice the petitioner receives: what happened, when, and what it said.
#[derive(Debug, Default, Serialize)]
pub struct Notice {
    /// `registered`, `route`, `route_self`, `directed`, `returned`, `accept`, `decline`,
    /// `extend`, `reply`, `deliver`, `rate`, `request_review`, `review_decision`,
    /// `request_rereview`, `rereview_decision`, `close`, `void`.
    pub kind: String,
    pub on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refer_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
}

/// A case as its petitioner sees it.
#[derive(Debug, Serialize)]
pub struct PublicCase {
    pub case_no: String,
    pub received_on: String,
    #[serde(rename = "type")]
    pub case_type: CaseType,
    pub category: String,
    pub stage: domain::Stage,
    pub state: domain::CaseState,
    /// The unit that has the case now (its name only).
    pub unit: String,
    pub due_date: Option<NaiveDate>,
    pub due_status: DueStatus,
    pub deadlines: Vec<PublicDeadline>,
    pub notices: Vec<Notice>,
    pub rating: Option<Rating>,
    pub can_rate: bool,
    /// Why the handling may not be rated now (`already_rated`, `not_delivered`).
    #[serde(skip)]
    pub rate_closed: Option<&'static str>,
    pub review: ReviewState,
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|x| !x.is_empty())
}

/// A unit's name in the reader's language.
fn name_in(u: store::Unit, en: bool) -> String {
    if en && !u.name_en.is_empty() {
        u.name_en
    } else {
        u.name
    }
}

impl App {
    /// Looks a case or an appointment up. `None` for a wrong number and a wrong code alike.
    pub async fn track(&self, number: &str, code: &str) -> AppResult<Option<Found>> {
        if is_appointment_ref(number) {
            return Ok(self
                .find_appointment(number, code)
                .await?
                .map(|a| Found::Appointment(Box::new(a))));
        }
        Ok(self.track_case(number, code).await?.map(Found::Case))
    }

    /// The id of the case with this number, if the code is its code.
    pub async fn track_case(&self, case_no: &str, code: &str) -> AppResult<Option<i64>> {
        let (Some(no), Some(code)) = (CaseNo::parse(case_no), QueryCode::parse(code)) else {
            return Ok(None);
        };
        let key = self.store.tracking_key(no.as_str()).await?;
        Ok(key
            .filter(|k| same_secret(&k.query_code, code.as_str()))
            .map(|k| k.id))
    }

    /// The case with id `id` as its petitioner sees it, in English or Chinese names.
    pub async fn public_case(&self, id: i64, en: bool) -> AppResult<PublicCase> {
        let root = Scope::new("/");
        let c = self.store.case(&root, id).await?;
        let events = self.store.case_events(&root, id).await?;
        let unit = self.store.unit(c.summary.unit_id).await?;
        let life = life_of(&c);
        let today = self.config.today();
        let cats = self.categories().await?;
        let category = cats
            .iter()
            .find(|k| k.code == c.summary.category)
            .map(|k| {
                if en && !k.name_en.is_empty() {
                    k.name_en.clone()
                } else {
                    k.name.clone()
                }
            })
            .unwrap_or_else(|| c.summary.category.clone());
        Ok(PublicCase {
            case_no: c.summary.case_no.clone(),
            received_on: c.summary.received_on.clone(),
            case_type: c.summary.case_type,
            category,
            stage: life.stage,
            state: life.stage.state(),
            unit: name_in(unit, en),
            due_date: life.due(),
            due_status: self.due_status(&life),
            deadlines: life
                .deadlines
                .iter()
                .map(|d| PublicDeadline {
                    stage: d.stage.as_str().to_string(),
                    start: d.start,
                    due: d.due,
                    met_on: d.met_on,
                    status: self.deadline_status(d),
                })
                .collect(),
            notices: self.public_notices(&events, en).await,
            rating: life.rating,
            can_rate: life.rating_closed(today).is_none(),
            rate_closed: life.rating_closed(today),
            review: life.review_state(today),
        })
    }

    fn deadline_status(&self, d: &Deadline) -> DeadlineStatus {
        DeadlineStatus::of(
            d.met_on,
            d.due,
            self.config.today(),
            &self.config.calendar,
            self.config.due_soon_working_days,
        )
    }

    /// The day of an instant in the office's time zone, `YYYY-MM-DD`.
    fn local_day(&self, ms: i64) -> String {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|d| {
                d.with_timezone(&self.config.time_zone)
                    .date_naive()
                    .to_string()
            })
            .unwrap_or_default()
    }

    async fn unit_name_by_code(&self, code: Option<String>, en: bool) -> Option<String> {
        let u = self.store.unit_by_code(&code?).await.ok()?;
        Some(name_in(u, en))
    }

    /// The notices among a case's events. Notes, corrections and attachments stay inside.
    async fn public_notices(&self, events: &[CaseEvent], en: bool) -> Vec<Notice> {
        let mut out = vec![];
        for e in events {
            let ev = e.event();
            let mut n = Notice {
                kind: ev.kind().to_string(),
                on: self.local_day(e.at),
                ..Notice::default()
            };
            let step = match &ev {
                Event::Registered(r) => {
                    n.on = r.received_on.to_string();
                    out.push(n);
                    continue;
                }
                Event::Step(step) => step,
                _ => continue,
            };
            n.on = step.on.to_string();
            // A draft awaiting sign-off is not issued; a leader's approval issues it, and
            // the petitioner sees the reply or opinion it issued.
            let Some(said) = step.effect() else { continue };
            n.kind = said.action().as_str().to_string();
            match said {
                Command::Accept
                | Command::RequestReview { .. }
                | Command::RequestRereview { .. }
                | Command::Close { .. }
                | Command::Void { .. } => {}
                Command::Route {
                    mode,
                    unit,
                    channel,
                    ..
                } => match mode {
                    RouteMode::LegalChannel => {
                        n.kind = domain::Stage::Directed.as_str().into();
                        n.channel = channel.clone();
                    }
                    RouteMode::SelfHandle => n.kind = "route_self".into(),
                    RouteMode::Transfer | RouteMode::Assign => {
                        n.unit = match &step.to_unit {
                            Some(u) => Some(u.name_in(en).to_string()),
                            None => self.unit_name_by_code(unit.clone(), en).await,
                        }
                    }
                },
                Command::Object { .. } => n.kind = "returned".into(),
                Command::Decline { reason, refer_to } => {
                    n.reason = some(reason);
                    n.refer_to = some(refer_to);
                }
                Command::Extend { days, reason } => {
                    n.days = Some(u64::from(*days));
                    n.reason = some(reason);
                    n.due = step.due.map(|d| d.to_string());
                }
                Command::Reply {
                    outcome,
                    text,
                    basis,
                } => {
                    n.outcome = Some(outcome.as_str().to_string());
                    n.text = some(text);
                    n.basis = some(basis);
                }
                Command::ReviewDecision { outcome, text }
                | Command::RereviewDecision { outcome, text } => {
                    n.outcome = Some(outcome.as_str().to_string());
                    n.text = some(text);
                }
                Command::Deliver { received_on } => n.received_on = Some(received_on.to_string()),
                Command::Rate { rating } => n.rating = Some(rating.as_str().to_string()),
                Command::Note { .. }
                | Command::LinkConcluded { .. }
                | Command::Approve { .. }
                | Command::Return { .. } => continue,
            }
            out.push(n);
        }
        out
    }
}
