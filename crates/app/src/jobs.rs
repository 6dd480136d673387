//! The deadline job: marks open cases *due soon* or *overdue* and notifies the people
//! who must act. Several instances may run it; a lease in the database lets exactly one
//! run it per period.

use crate::App;
use domain::DueStatus;
use domain::Role;
use std::time::Duration;
use store::{Actor, StoreError};

pub const DEADLINE_JOB: &str = "deadline_scan";

/// How far ahead the scan looks: three working days can span a long holiday.
const HORIZON_DAYS: i64 = 15;
/// Cases read per page.
const PAGE: i64 = 500;

/// Runs the scan if this instance wins the lease for this period. Returns how many cases
/// it marked, or `None` when another run holds or already did this period's work.
pub async fn tick(state: &App, owner: &str, every: Duration) -> Result<Option<usize>, StoreError> {
    let every_ms = every.as_millis().min(i64::MAX as u128) as i64;
    let lease_ms = every_ms.clamp(60_000, 3_600_000);
    if !state
        .store
        .claim_job(DEADLINE_JOB, owner, every_ms, lease_ms)
        .await?
    {
        return Ok(None);
    }
    let result = scan(state).await;
    state.store.finish_job(DEADLINE_JOB, owner).await?;
    result.map(Some)
}

async fn scan(state: &App) -> Result<usize, StoreError> {
    let today = state.config.today();
    let horizon = (today + chrono::Duration::days(HORIZON_DAYS)).to_string();
    let actor = Actor {
        id: None,
        name: "deadline job".into(),
        ip: String::new(),
    };
    let mut marked = 0;
    let mut after: Option<(String, i64)> = None;
    let mut staff: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    // A page at a time, so memory stays flat however many cases are due.
    loop {
        let page = state
            .store
            .open_cases_due_by(
                &horizon,
                after.as_ref().map(|(d, id)| (d.as_str(), *id)),
                PAGE,
            )
            .await?;
        let Some(last) = page.last() else { break };
        after = Some((last.due_on.clone(), last.id));
        let mut marks = vec![];
        for c in page {
            let due = chrono::NaiveDate::parse_from_str(&c.due_on, "%Y-%m-%d").ok();
            let flag = state.due_status_of(due);
            if !matches!(flag, DueStatus::DueSoon | DueStatus::Overdue) || c.due_flag == Some(flag)
            {
                continue;
            }
            // The unit that has the case acts: its handlers and leaders are told.
            let users = match staff.get(&c.unit_id) {
                Some(u) => u.clone(),
                None => {
                    let u = state
                        .store
                        .unit_staff(c.unit_id, &[Role::Handler, Role::Leader])
                        .await?;
                    staff.insert(c.unit_id, u.clone());
                    u
                }
            };
            marks.push((c, flag, users));
        }
        // One transaction (one sync to disk) per page.
        marked += state.store.mark_due(&marks, &actor).await?;
    }
    Ok(marked)
}

/// Runs the jobs in the background for as long as the server runs: the deadline scan
/// every `every`, the supervision reminders (`supervision::remind_tick`) under their own
/// lease, the report reminders as each reporting deadline passes, and the attachment
/// sweep and the export-file sweep at start and hourly.
pub fn spawn(state: App, every: Duration) {
    crate::attachment_sweep::spawn(state.store.clone(), state.config.attachments_dir.clone());
    crate::exports::spawn_sweep(state.config.exports_dir.clone());
    let owner = format!(
        "instance-{}",
        crate::random_token().get(..12).unwrap_or("x")
    );
    let poll = every
        .min(Duration::from_secs(60))
        .max(Duration::from_secs(1));
    tokio::spawn(async move {
        loop {
            match tick(&state, &owner, every).await {
                Ok(Some(n)) => tracing::info!(marked = n, "deadline scan done"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "deadline scan failed"),
            }
            match crate::supervision::remind_tick(&state, &owner, every).await {
                Ok(Some(n)) => tracing::info!(reminded = n, "supervision reminders done"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "supervision reminders failed"),
            }
            match crate::report_reminders::tick(&state, &owner).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(units = n, "report reminders sent"),
                Err(e) => tracing::warn!(error = %e, "report reminders failed"),
            }
            tokio::time::sleep(poll).await;
        }
    });
}
