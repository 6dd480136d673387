//! Incidents (突发事件处置): an activated plan opens one on the version in force, with a task
//! for each team, the teams' members told in the app, a log, and a closure with its
//! after-action review. Every change is a `register_events` row ("incident", and
//! "plan" for the activation) in the change's transaction.

use crate::error::code;
use crate::plans::{plan_event, NOTIFY_INCIDENT};
use crate::register_events::append_register_event;
use crate::supervision::notify_in;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError};
use domain::plans::IncidentState;
use domain::register_event::{IncidentEvent, PlanEvent};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone, Serialize)]
pub struct IncidentTask {
    pub id: i64,
    pub team: String,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` in the office's time zone.
    pub due_at: String,
    pub done_at: Option<i64>,
    pub done_by_name: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    /// The plan's version this incident runs (the one in force when it was activated).
    pub plan_version: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub title: String,
    pub state: IncidentState,
    pub opened_at: i64,
    pub opened_by_name: String,
    pub closed_at: Option<i64>,
    pub review_happened: String,
    pub review_worked: String,
    pub review_improve: String,
    pub tasks: Vec<IncidentTask>,
}

/// What an activation writes: the incident, one task per team, and who to tell.
#[derive(Debug, Clone)]
pub struct Activation {
    pub plan_id: i64,
    pub case_id: Option<i64>,
    /// The critical hazard whose proposal this activation decides, if any.
    pub hazard_id: Option<i64>,
    pub title: String,
    pub tasks: Vec<(String, String, String)>,
    /// Staff accounts on the version's teams.
    pub notify: Vec<i64>,
    pub notice: String,
}

const INCIDENT_COLUMNS: &str = "i.id, i.plan_id, p.name AS plan_name, i.plan_version,
    i.unit_id, u.name AS unit_name, i.unit_path, i.case_id, c.case_no, i.title, i.state,
    i.opened_at, i.opened_by_name, i.closed_at, i.review_happened, i.review_worked,
    i.review_improve";
const INCIDENT_FROM: &str = "FROM incidents i JOIN plans p ON p.id = i.plan_id
    JOIN units u ON u.id = i.unit_id LEFT JOIN cases c ON c.id = i.case_id";

fn incident_row(r: &AnyRow) -> Result<Incident> {
    Ok(Incident {
        id: r.try_get("id")?,
        plan_id: r.try_get("plan_id")?,
        plan_name: r.try_get("plan_name")?,
        plan_version: r.try_get("plan_version")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        case_id: r.try_get("case_id")?,
        case_no: r.try_get("case_no")?,
        title: r.try_get("title")?,
        state: code(r, "state", IncidentState::parse)?,
        opened_at: r.try_get("opened_at")?,
        opened_by_name: r.try_get("opened_by_name")?,
        closed_at: r.try_get("closed_at")?,
        review_happened: r.try_get("review_happened")?,
        review_worked: r.try_get("review_worked")?,
        review_improve: r.try_get("review_improve")?,
        tasks: vec![],
    })
}

async fn incident_event(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    path: &str,
    event: IncidentEvent,
    actor: &Actor,
) -> Result<i64> {
    append_register_event(tx, id, path, &event, actor).await
}

impl Store {
    /// Opens an incident on the plan's version in force, with its tasks, and tells the
    /// teams' members. The version is read inside the transaction, so the incident runs
    /// exactly the version that was in force when it opened.
    pub async fn activate_plan(&self, a: &Activation, actor: &Actor) -> Result<i64> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let p = sqlx::query("SELECT unit_id, unit_path, current_version FROM plans WHERE id = $1")
            .bind(a.plan_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let unit_id: i64 = p.try_get("unit_id")?;
        let path: String = p.try_get("unit_path")?;
        let version: i64 = p.try_get("current_version")?;
        let id: i64 = sqlx::query(
            "INSERT INTO incidents (plan_id, plan_version, unit_id, unit_path, case_id, title,
                state, opened_at, opened_by_name)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(a.plan_id)
        .bind(version)
        .bind(unit_id)
        .bind(&path)
        .bind(a.case_id)
        .bind(&a.title)
        .bind(IncidentState::Open.as_str())
        .bind(now)
        .bind(actor.name.as_str())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let event = IncidentEvent::Opened {
            plan_id: a.plan_id,
            version,
            case_id: a.case_id,
            title: a.title.clone(),
        };
        incident_event(&mut tx, id, &path, event, actor).await?;
        let event = PlanEvent::Activated {
            incident_id: id,
            version,
            case_id: a.case_id,
        };
        plan_event(&mut tx, a.plan_id, &path, event, actor).await?;
        for (team, title, due) in &a.tasks {
            insert_task(&mut tx, id, &path, team, title, due, actor).await?;
        }
        for u in &a.notify {
            notify_in(&mut tx, *u, a.case_id, NOTIFY_INCIDENT, &a.notice, now).await?;
        }
        if let Some(case) = a.case_id {
            sqlx::query(
                "UPDATE plan_proposals SET incident_id = $1
                 WHERE plan_id = $2 AND case_id = $3 AND incident_id IS NULL",
            )
            .bind(id)
            .bind(a.plan_id)
            .bind(case)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(h) = a.hazard_id {
            crate::hazard_plans::mark_hazard_proposal(&mut tx, a.plan_id, h, id).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn incident(&self, id: i64) -> Result<Incident> {
        let r = sqlx::query(&format!(
            "SELECT {INCIDENT_COLUMNS} {INCIDENT_FROM} WHERE i.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut i = incident_row(&r)?;
        let rows = sqlx::query(
            "SELECT id, team, title, due_at, done_at, done_by_name, note FROM incident_tasks
             WHERE incident_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        for r in rows {
            i.tasks.push(IncidentTask {
                id: r.try_get("id")?,
                team: r.try_get("team")?,
                title: r.try_get("title")?,
                due_at: r.try_get("due_at")?,
                done_at: r.try_get("done_at")?,
                done_by_name: r.try_get("done_by_name")?,
                note: r.try_get("note")?,
            });
        }
        Ok(i)
    }

    /// Incidents of a subtree, newest first; `state` filters (`open`, `closed`).
    pub async fn incidents(
        &self,
        scope: &Scope,
        state: Option<IncidentState>,
    ) -> Result<Vec<Incident>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {INCIDENT_COLUMNS} {INCIDENT_FROM}
             WHERE i.unit_path >= $1 AND i.unit_path < $2 AND ($3 = '' OR i.state = $3)
             ORDER BY i.id DESC LIMIT 500"
        ))
        .bind(lo)
        .bind(hi)
        .bind(state.map_or("", IncidentState::as_str))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(incident_row).collect()
    }

    /// Assigns one more task to a team of an open incident.
    pub async fn add_incident_task(
        &self,
        i: &Incident,
        team: &str,
        title: &str,
        due_at: &str,
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let id = insert_task(&mut tx, i.id, &i.unit_path, team, title, due_at, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a task done; a task already done stays as it was (returns false).
    pub async fn finish_incident_task(
        &self,
        i: &Incident,
        task_id: i64,
        note: &str,
        actor: &Actor,
    ) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE incident_tasks SET done_at = $1, done_by_name = $2, note = $3
             WHERE id = $4 AND incident_id = $5 AND done_at IS NULL RETURNING team, title",
        )
        .bind(now)
        .bind(actor.name.as_str())
        .bind(note)
        .bind(task_id)
        .bind(i.id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = done else { return Ok(false) };
        let event = IncidentEvent::TaskDone {
            task_id,
            team: r.try_get("team")?,
            title: r.try_get("title")?,
            note: note.into(),
        };
        incident_event(&mut tx, i.id, &i.unit_path, event, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A free entry in the incident's log.
    pub async fn log_incident(&self, i: &Incident, text: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let event = IncidentEvent::Log { text: text.into() };
        incident_event(&mut tx, i.id, &i.unit_path, event, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes an open incident with its after-action review; false when it was closed.
    pub async fn close_incident(
        &self,
        i: &Incident,
        review: (&str, &str, &str),
        actor: &Actor,
    ) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE incidents SET state = $1, closed_at = $2, review_happened = $3,
                review_worked = $4, review_improve = $5
             WHERE id = $6 AND state = $7",
        )
        .bind(IncidentState::Closed.as_str())
        .bind(now)
        .bind(review.0)
        .bind(review.1)
        .bind(review.2)
        .bind(i.id)
        .bind(IncidentState::Open.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        let event = IncidentEvent::Closed {
            happened: review.0.into(),
            worked: review.1.into(),
            improve: review.2.into(),
        };
        incident_event(&mut tx, i.id, &i.unit_path, event, actor).await?;
        tx.commit().await?;
        Ok(true)
    }
}

async fn insert_task(
    tx: &mut Transaction<'_, Any>,
    incident: i64,
    path: &str,
    team: &str,
    title: &str,
    due_at: &str,
    actor: &Actor,
) -> Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO incident_tasks (incident_id, team, title, due_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(incident)
    .bind(team)
    .bind(title)
    .bind(due_at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    let event = IncidentEvent::TaskAssigned {
        task_id: id,
        team: team.into(),
        title: title.into(),
        due_at: due_at.into(),
    };
    incident_event(tx, incident, path, event, actor).await?;
    Ok(id)
}
