//! Emergency plans (应急预案) with their versions, the proposals a registered group visit
//! raises, and the incidents an activation opens (tasks, log, after-action review). Every
//! change is a `register_events` row ("plan" or "incident") in the change's transaction.

pub use crate::incidents::{Activation, Incident, IncidentTask};
use crate::register_events::append_register_event;
use crate::supervision::notify_in;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::plans::PlanBody;
use domain::register_event::{PlanEvent, ProposedBy, VersionInForce};
use serde::Serialize;
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

fn body_json(b: &PlanBody) -> Result<String> {
    serde_json::to_string(b).map_err(|e| StoreError::Data(e.to_string()))
}

pub(crate) async fn plan_event(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    path: &str,
    event: PlanEvent,
    actor: &Actor,
) -> Result<i64> {
    append_register_event(tx, id, path, &event, actor).await
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
        let event = PlanEvent::Created(VersionInForce {
            version: 1,
            name: p.name.clone(),
        });
        plan_event(&mut tx, id, &p.unit.path, event, actor).await?;
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
        let event = PlanEvent::Revised(VersionInForce {
            version,
            name: name.into(),
        });
        plan_event(&mut tx, id, &path, event, actor).await?;
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
            let event = PlanEvent::Proposed(ProposedBy::GroupVisit { case_id, headcount });
            plan_event(&mut tx, plan_id, &path, event, &Actor::system()).await?;
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
