//! Emergency plans (应急预案) with their versions, the proposals a registered group visit
//! raises, and the incidents an activation opens (tasks, log, after-action review). Every
//! change is a `register_events` row ("plan" or "incident") in the change's transaction.

use crate::register_events::append_register_event;
use crate::supervision::notify_in;
use crate::{now_ms, Actor, EntryRef, Result, Scope, Store, StoreError, Unit};
use domain::plans::{PlanBody, INCIDENT_CLOSED, INCIDENT_OPEN};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// The in-app notice kinds plans send.
pub const NOTIFY_PROPOSAL: &str = "plan_proposal";
pub const NOTIFY_INCIDENT: &str = "incident_opened";

/// A plan as lists show it, with the version in force.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub name: String,
    pub current_version: i64,
    pub group_visit_min: Option<i64>,
    pub updated_at: i64,
}

/// A plan with the content of its version in force and the list of its versions.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    #[serde(flatten)]
    pub row: PlanRow,
    pub body: PlanBody,
    pub versions: Vec<PlanVersion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanVersion {
    pub version: i64,
    pub created_at: i64,
    pub created_by_name: String,
}

/// What creating or revising a plan writes.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub unit: Unit,
    pub group_id: Option<i64>,
    pub name: String,
    pub body: PlanBody,
}

/// A plan whose trigger a registered case met.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    pub plan_unit_path: String,
    pub case_id: i64,
    pub headcount: i64,
    pub created_at: i64,
    /// The incident opened on it, once a person has activated the plan.
    pub incident_id: Option<i64>,
}

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
    /// `open` or `closed`.
    pub state: String,
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
    pub title: String,
    pub tasks: Vec<(String, String, String)>,
    /// Staff accounts on the version's teams.
    pub notify: Vec<i64>,
    pub notice: String,
}

const PLAN_COLUMNS: &str = "p.id, p.unit_id, u.name AS unit_name, p.unit_path, p.group_id,
    g.name AS group_name, p.name, p.current_version, p.group_visit_min, p.updated_at";
const PLAN_FROM: &str = "FROM plans p JOIN units u ON u.id = p.unit_id
    LEFT JOIN leading_groups g ON g.id = p.group_id";

fn plan_row(r: &AnyRow) -> Result<PlanRow> {
    Ok(PlanRow {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        group_id: r.try_get("group_id")?,
        group_name: r.try_get("group_name")?,
        name: r.try_get("name")?,
        current_version: r.try_get("current_version")?,
        group_visit_min: r.try_get("group_visit_min")?,
        updated_at: r.try_get("updated_at")?,
    })
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
        state: r.try_get("state")?,
        opened_at: r.try_get("opened_at")?,
        opened_by_name: r.try_get("opened_by_name")?,
        closed_at: r.try_get("closed_at")?,
        review_happened: r.try_get("review_happened")?,
        review_worked: r.try_get("review_worked")?,
        review_improve: r.try_get("review_improve")?,
        tasks: vec![],
    })
}

fn body_json(b: &PlanBody) -> Result<String> {
    serde_json::to_string(b).map_err(|e| StoreError::Data(e.to_string()))
}

async fn plan_event(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    path: &str,
    kind: &str,
    payload: serde_json::Value,
    actor: &Actor,
) -> Result<i64> {
    append_register_event(
        tx,
        EntryRef {
            register: "plan",
            id,
        },
        path,
        kind,
        &payload,
        actor,
    )
    .await
}

async fn incident_event(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    path: &str,
    kind: &str,
    payload: serde_json::Value,
    actor: &Actor,
) -> Result<i64> {
    append_register_event(
        tx,
        EntryRef {
            register: "incident",
            id,
        },
        path,
        kind,
        &payload,
        actor,
    )
    .await
}

impl Store {
    /// Creates a plan at version 1.
    pub async fn create_plan(&self, p: &NewPlan, actor: &Actor) -> Result<i64> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO plans (unit_id, unit_path, group_id, name, current_version,
                group_visit_min, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5, $6, $6) RETURNING id",
        )
        .bind(p.unit.id)
        .bind(&p.unit.path)
        .bind(p.group_id)
        .bind(&p.name)
        .bind(p.body.group_visit_min())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        insert_version(&mut tx, id, 1, &p.body, actor, now).await?;
        let payload = json!({"version": 1, "name": p.name});
        plan_event(&mut tx, id, &p.unit.path, "created", payload, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Writes the next version of a plan and puts it in force. Running incidents keep
    /// the version they started with.
    pub async fn revise_plan(
        &self,
        id: i64,
        name: &str,
        group_id: Option<i64>,
        body: &PlanBody,
        actor: &Actor,
    ) -> Result<i64> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let row = sqlx::query(
            "UPDATE plans SET current_version = current_version + 1, name = $1, group_id = $2,
                group_visit_min = $3, updated_at = $4
             WHERE id = $5 RETURNING current_version, unit_path",
        )
        .bind(name)
        .bind(group_id)
        .bind(body.group_visit_min())
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let version: i64 = row.try_get("current_version")?;
        let path: String = row.try_get("unit_path")?;
        insert_version(&mut tx, id, version, body, actor, now).await?;
        let payload = json!({"version": version, "name": name});
        plan_event(&mut tx, id, &path, "revised", payload, actor).await?;
        tx.commit().await?;
        Ok(version)
    }

    pub async fn plan(&self, id: i64) -> Result<Plan> {
        let r = sqlx::query(&format!(
            "SELECT {PLAN_COLUMNS} {PLAN_FROM} WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let row = plan_row(&r)?;
        let body = self.plan_body(id, row.current_version).await?;
        let versions = sqlx::query(
            "SELECT version, created_at, created_by_name FROM plan_versions
             WHERE plan_id = $1 ORDER BY version DESC",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(PlanVersion {
                version: r.try_get("version")?,
                created_at: r.try_get("created_at")?,
                created_by_name: r.try_get("created_by_name")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Plan {
            row,
            body,
            versions,
        })
    }

    /// The content of one version of a plan.
    pub async fn plan_body(&self, id: i64, version: i64) -> Result<PlanBody> {
        let r = sqlx::query("SELECT body FROM plan_versions WHERE plan_id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let body: String = r.try_get("body")?;
        serde_json::from_str(&body).map_err(|e| StoreError::Data(e.to_string()))
    }

    /// Plans of a subtree, by name; `q` filters on the name.
    pub async fn plans(&self, scope: &Scope, q: Option<&str>) -> Result<Vec<PlanRow>> {
        let (lo, hi) = scope.bounds();
        let like = format!("%{}%", crate::like_escape(q.unwrap_or("")));
        let rows = sqlx::query(&format!(
            "SELECT {PLAN_COLUMNS} {PLAN_FROM}
             WHERE p.unit_path >= $1 AND p.unit_path < $2 AND p.name LIKE $3 ESCAPE '\\'
             ORDER BY p.name, p.id LIMIT 500"
        ))
        .bind(lo)
        .bind(hi)
        .bind(like)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(plan_row).collect()
    }

    /// Records a proposal for each plan of the case's unit or above whose group-visit
    /// trigger the headcount meets, and tells each such unit's leaders and supervisors.
    /// A case is proposed to a plan once. Nothing is activated.
    pub async fn propose_plans(
        &self,
        case_id: i64,
        case_unit_path: &str,
        headcount: i64,
        notice: &(dyn Fn(&str) -> String + Sync),
    ) -> Result<Vec<i64>> {
        let ids = Scope::new(case_unit_path).unit_ids();
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let list = ids
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let plans = sqlx::query(&format!(
            "SELECT id, unit_id, unit_path, name FROM plans
             WHERE unit_id IN ({list}) AND group_visit_min IS NOT NULL AND group_visit_min <= $1
             ORDER BY id"
        ))
        .bind(headcount)
        .fetch_all(&mut *tx)
        .await?;
        let mut proposed = vec![];
        for p in plans {
            let plan_id: i64 = p.try_get("id")?;
            let unit_id: i64 = p.try_get("unit_id")?;
            let path: String = p.try_get("unit_path")?;
            let name: String = p.try_get("name")?;
            let inserted = sqlx::query(
                "INSERT INTO plan_proposals (plan_id, case_id, headcount, created_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(plan_id)
            .bind(case_id)
            .bind(headcount)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = inserted else { continue };
            let pid: i64 = row.try_get("id")?;
            let payload = json!({"case_id": case_id, "headcount": headcount});
            plan_event(
                &mut tx,
                plan_id,
                &path,
                "proposed",
                payload,
                &Actor::system(),
            )
            .await?;
            let users = sqlx::query(
                "SELECT id FROM users WHERE unit_id = $1 AND active = 1
                 AND role IN ('leader', 'supervisor') ORDER BY id",
            )
            .bind(unit_id)
            .fetch_all(&mut *tx)
            .await?;
            for u in users {
                notify_in(
                    &mut tx,
                    u.try_get("id")?,
                    Some(case_id),
                    NOTIFY_PROPOSAL,
                    &notice(&name),
                    now,
                )
                .await?;
            }
            proposed.push(pid);
        }
        tx.commit().await?;
        Ok(proposed)
    }

    /// The proposals a case raised.
    pub async fn proposals_of_case(&self, case_id: i64) -> Result<Vec<Proposal>> {
        let rows = sqlx::query(
            "SELECT x.id, x.plan_id, p.name, p.unit_path, x.case_id, x.headcount, x.created_at,
                x.incident_id
             FROM plan_proposals x JOIN plans p ON p.id = x.plan_id
             WHERE x.case_id = $1 ORDER BY x.id",
        )
        .bind(case_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Proposal {
                    id: r.try_get("id")?,
                    plan_id: r.try_get("plan_id")?,
                    plan_name: r.try_get("name")?,
                    plan_unit_path: r.try_get("unit_path")?,
                    case_id: r.try_get("case_id")?,
                    headcount: r.try_get("headcount")?,
                    created_at: r.try_get("created_at")?,
                    incident_id: r.try_get("incident_id")?,
                })
            })
            .collect()
    }

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
        .bind(INCIDENT_OPEN)
        .bind(now)
        .bind(actor.name.as_str())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let payload = json!({"plan_id": a.plan_id, "version": version, "case_id": a.case_id,
            "title": a.title});
        incident_event(&mut tx, id, &path, "opened", payload, actor).await?;
        let payload = json!({"incident_id": id, "version": version, "case_id": a.case_id});
        plan_event(&mut tx, a.plan_id, &path, "activated", payload, actor).await?;
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
    pub async fn incidents(&self, scope: &Scope, state: Option<&str>) -> Result<Vec<Incident>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {INCIDENT_COLUMNS} {INCIDENT_FROM}
             WHERE i.unit_path >= $1 AND i.unit_path < $2 AND ($3 = '' OR i.state = $3)
             ORDER BY i.id DESC LIMIT 500"
        ))
        .bind(lo)
        .bind(hi)
        .bind(state.unwrap_or(""))
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
        let team: String = r.try_get("team")?;
        let title: String = r.try_get("title")?;
        let payload = json!({"task_id": task_id, "team": team, "title": title, "note": note});
        incident_event(&mut tx, i.id, &i.unit_path, "task_done", payload, actor).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A free entry in the incident's log.
    pub async fn log_incident(&self, i: &Incident, text: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let payload = json!({ "text": text });
        incident_event(&mut tx, i.id, &i.unit_path, "log", payload, actor).await?;
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
        .bind(INCIDENT_CLOSED)
        .bind(now)
        .bind(review.0)
        .bind(review.1)
        .bind(review.2)
        .bind(i.id)
        .bind(INCIDENT_OPEN)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        let payload = json!({"happened": review.0, "worked": review.1, "improve": review.2});
        incident_event(&mut tx, i.id, &i.unit_path, "closed", payload, actor).await?;
        tx.commit().await?;
        Ok(true)
    }
}

async fn insert_version(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    version: i64,
    body: &PlanBody,
    actor: &Actor,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO plan_versions (plan_id, version, body, created_at, created_by_name)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(body_json(body)?)
    .bind(now)
    .bind(actor.name.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
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
    let payload = json!({"task_id": id, "team": team, "title": title, "due_at": due_at});
    incident_event(tx, incident, path, "task_assigned", payload, actor).await?;
    Ok(id)
}
