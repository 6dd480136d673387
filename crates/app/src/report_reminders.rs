//! The report reminder: when a window's deadline passes, every unit that has not filed
//! its report is told in the app, and so is the duty desk of the unit above it. Each deadline of each day is one leased job, so that
//! with several instances each reminder runs exactly once.

use crate::{App, AppResult};
use domain::duty::due_instant;
use domain::Role;
use std::collections::{BTreeMap, HashSet};

/// The notification's kind; its detail is `YYYY-MM-DD HH:MM`.
pub const REPORT_MISSING: &str = "report_missing";

/// What the parent unit's duty desk is told about a child that has not filed; its detail
/// is `YYYY-MM-DD HH:MM · unit name`.
pub const CHILD_REPORT_MISSING: &str = "child_report_missing";

/// The job name of one deadline: `report_reminder:2026-11-30 15:30`.
pub fn job_name(day: chrono::NaiveDate, due: &str) -> String {
    format!("report_reminder:{day} {due}")
}

/// Who hears about a unit's missing report: everyone there who keeps duty or works
/// cases.
const TOLD: [Role; 5] = [
    Role::Duty,
    Role::Leader,
    Role::Supervisor,
    Role::Clerk,
    Role::Handler,
];

/// Runs every reminder of today whose deadline has passed and that no instance has run
/// yet. Returns how many units were reminded.
pub async fn tick(state: &App, owner: &str) -> AppResult<usize> {
    let now = state.config.now();
    let today = state.config.today();
    let tz = state.config.time_zone;
    let units = state.store.active_units().await?;
    let parents: HashSet<i64> = units.iter().filter_map(|u| u.parent_id).collect();
    let planner = state.planner(today, today).await?;
    // Units whose window is due at each passed deadline, by local `HH:MM`.
    let mut due: BTreeMap<String, Vec<(&store::Unit, u32)>> = BTreeMap::new();
    for u in &units {
        let plan = planner.plan(state, u, parents.contains(&u.id), today);
        for w in plan.windows {
            if due_instant(today, w.due, tz) < now {
                let key = w.due.format("%H:%M").to_string();
                due.entry(key).or_default().push((u, w.no));
            }
        }
    }
    if due.is_empty() {
        return Ok(0);
    }
    let filed: HashSet<(i64, i64)> = state
        .store
        .reports_of_day(&today.to_string())
        .await?
        .into_iter()
        .map(|r| (r.unit_id, r.window_no))
        .collect();
    let mut reminded = 0;
    for (time, list) in due {
        let name = job_name(today, &time);
        // Never again once run; a crashed run is taken over after ten minutes.
        if !state
            .store
            .claim_job(&name, owner, i64::MAX / 4, 600_000)
            .await?
        {
            continue;
        }
        let detail = format!("{today} {time}");
        for (u, no) in list {
            if filed.contains(&(u.id, i64::from(no))) {
                continue;
            }
            let users = state.store.unit_staff(u.id, &TOLD).await?;
            state
                .store
                .notify_users(&users, REPORT_MISSING, &detail)
                .await?;
            // The duty desk of the unit that compiles the roll-up hears of it too.
            if let Some(parent) = u.parent_id {
                let desk = state.store.unit_staff(parent, &[Role::Duty]).await?;
                let about = format!("{detail} · {}", u.name);
                state
                    .store
                    .notify_users(&desk, CHILD_REPORT_MISSING, &about)
                    .await?;
            }
            reminded += 1;
        }
        state.store.finish_job(&name, owner).await?;
    }
    Ok(reminded)
}
