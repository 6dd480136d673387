//! A case as the API and the pages show it: the stored record plus its lifecycle —
//! stage, due date, every stage's deadline, whether it is due soon or overdue, and the
//! actions allowed now.

use crate::App;
use domain::lifecycle::{Action, Deadline, Life};
use domain::{DueStatus, Stage};
use serde::Serialize;
use store::CaseRecord;

#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub record: CaseRecord,
    /// The current stage's deadline.
    pub due_date: Option<chrono::NaiveDate>,
    /// `ok`, `due_soon`, `overdue`, or `none` when the stage has no deadline.
    pub due_status: DueStatus,
    pub deadlines: Vec<Deadline>,
    pub handling_unit: Option<String>,
    pub objection_due: Option<chrono::NaiveDate>,
    pub extended_days: u32,
    pub reply_outcome: Option<String>,
    pub rating: Option<String>,
    /// Actions the case's stage allows today (the caller's role may allow fewer).
    pub allowed_actions: Vec<Action>,
    /// While the case waits for routing: the unit the routing table suggests.
    pub suggested_unit: Option<store::RoutingRule>,
    /// The action the case waits for (`approve` while a draft awaits sign-off).
    pub waiting_for: Option<Action>,
    /// The drafted reply or opinion awaiting a leader's sign-off, or sent back with
    /// `returned` comments.
    pub draft: Option<domain::lifecycle::Draft>,
    /// The cases linked to this one on the same matter (filled by [`view_with_help`]).
    pub links: Vec<store::LinkRow>,
}

/// The case's lifecycle; rows from before the lifecycle existed get one from their columns.
pub fn life_of(record: &CaseRecord) -> Life {
    let s = &record.summary;
    life_from(
        &record.lifecycle,
        s.stage,
        &s.received_on,
        s.due_on.as_deref(),
    )
}

/// The lifecycle stored as `lifecycle`; for rows from before the lifecycle existed, one
/// made from their stage, date of receipt and due date.
pub fn life_from(lifecycle: &str, stage: Stage, received_on: &str, due_on: Option<&str>) -> Life {
    if let Ok(life) = serde_json::from_str::<Life>(lifecycle) {
        return life;
    }
    let received = chrono::NaiveDate::parse_from_str(received_on, "%Y-%m-%d").unwrap_or_default();
    let due = due_on.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let mut life = Life::registered(received, due.map(|d| (d, false)));
    life.stage = stage;
    life
}

impl App {
    /// The due status of the case's current stage.
    pub fn due_status(&self, life: &Life) -> DueStatus {
        self.due_status_of(life.due())
    }

    /// `ok`, `due_soon` (at most the due-soon window of working days left), `overdue`,
    /// or `none`.
    pub fn due_status_of(&self, due: Option<chrono::NaiveDate>) -> DueStatus {
        DueStatus::of(
            due,
            self.config.today(),
            &self.config.calendar,
            self.config.due_soon_working_days,
        )
    }
}

pub fn view(state: &App, record: CaseRecord) -> CaseView {
    let life = life_of(&record);
    CaseView {
        due_date: life.due(),
        due_status: state.due_status(&life),
        allowed_actions: life.allowed_actions(state.config.today()),
        handling_unit: life.handling_unit.clone(),
        objection_due: life.objection_due,
        extended_days: life.extended_days,
        reply_outcome: life.reply_outcome.map(|o| o.as_str().to_string()),
        rating: life.rating.map(|r| r.as_str().to_string()),
        waiting_for: life.waiting_for(),
        draft: life.draft.clone(),
        deadlines: life.deadlines,
        suggested_unit: None,
        links: vec![],
        record,
    }
}

/// The view with routing help: the suggested unit while the case waits for routing.
pub async fn view_with_help(state: &App, record: CaseRecord) -> CaseView {
    let mut v = view(state, record);
    // The record was read in the caller's scope; its links name cases anywhere.
    let all = store::Scope::new("/");
    v.links = match state.store.case_links(&all, v.record.summary.id).await {
        Ok(links) => links,
        Err(e) => {
            tracing::error!(error = %e, case = v.record.summary.id, "reading the case's links");
            vec![]
        }
    };
    if v.record.summary.stage == Stage::Routing {
        let s = &v.record.summary;
        v.suggested_unit = state
            .store
            .suggest_unit(&s.category, &s.region)
            .await
            .ok()
            .flatten();
    }
    v
}
