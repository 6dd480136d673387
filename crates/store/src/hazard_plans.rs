//! Plans proposed by a hazard graded critical: the plans of the hazard's unit and the
//! units above it whose version in force has the "critical hazard" trigger. A proposal
//! tells the plan unit's leaders and supervisors and activates nothing; a person decides.

use crate::plans::{plan_event, NOTIFY_PROPOSAL};
use crate::supervision::notify_in;
use crate::{now_ms, Actor, Plan, Result, Scope, Store};
use domain::register_event::{HazardTrigger, PlanEvent, ProposedBy};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// A plan a critical hazard met the trigger of.
#[derive(Debug, Clone, Serialize)]
pub struct HazardProposal {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    #[serde(skip)]
    pub plan_unit_path: String,
    pub hazard_id: i64,
    pub created_at: i64,
    /// The incident opened on it, once a person has activated the plan.
    pub incident_id: Option<i64>,
}

impl Store {
    /// The plans of a unit and of the units above it, each with its version in force.
    pub async fn plans_on_path(&self, unit_path: &str) -> Result<Vec<Plan>> {
        let ids = Scope::new(unit_path).unit_ids();
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let list = ids
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows = sqlx::query(&format!(
            "SELECT id FROM plans WHERE unit_id IN ({list}) ORDER BY id"
        ))
        .fetch_all(&self.read)
        .await?;
        let mut out = vec![];
        for r in rows {
            out.push(self.plan(r.try_get("id")?).await?);
        }
        Ok(out)
    }

    /// Proposes each plan for the hazard (once), with its event and a notice to the plan
    /// unit's leaders and supervisors. Returns the new proposals' ids.
    pub async fn propose_hazard_plans(
        &self,
        hazard_id: i64,
        plans: &[&Plan],
        notice: &(dyn Fn(&str) -> String + Sync),
    ) -> Result<Vec<i64>> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let mut proposed = vec![];
        for p in plans {
            let inserted = sqlx::query(
                "INSERT INTO hazard_plan_proposals (plan_id, hazard_id, created_at)
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(p.row.id)
            .bind(hazard_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = inserted else { continue };
            let pid: i64 = row.try_get("id")?;
            let event = PlanEvent::Proposed(ProposedBy::CriticalHazard {
                hazard_id,
                trigger: HazardTrigger::CriticalHazard,
            });
            let path = &p.row.unit_path;
            plan_event(&mut tx, p.row.id, path, event, &Actor::system()).await?;
            let users = sqlx::query(
                "SELECT id FROM users WHERE unit_id = $1 AND active = 1
                 AND role IN ('leader', 'supervisor') ORDER BY id",
            )
            .bind(p.row.unit_id)
            .fetch_all(&mut *tx)
            .await?;
            for u in users {
                let text = notice(&p.row.name);
                notify_in(&mut tx, u.try_get("id")?, None, NOTIFY_PROPOSAL, &text, now).await?;
            }
            proposed.push(pid);
        }
        tx.commit().await?;
        Ok(proposed)
    }

    /// The hazards one inspection recorded (without scope: the app has just recorded it).
    pub async fn inspection_hazards(&self, inspection_id: i64) -> Result<Vec<crate::Hazard>> {
        self.hazards_where("h.inspection_id = $1", inspection_id)
            .await
    }

    /// The plans a hazard proposed.
    pub async fn hazard_proposals(&self, hazard_id: i64) -> Result<Vec<HazardProposal>> {
        let rows = sqlx::query(
            "SELECT x.id, x.plan_id, p.name, p.unit_path, x.hazard_id, x.created_at,
                x.incident_id
             FROM hazard_plan_proposals x JOIN plans p ON p.id = x.plan_id
             WHERE x.hazard_id = $1 ORDER BY x.id",
        )
        .bind(hazard_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HazardProposal {
                    id: r.try_get("id")?,
                    plan_id: r.try_get("plan_id")?,
                    plan_name: r.try_get("name")?,
                    plan_unit_path: r.try_get("unit_path")?,
                    hazard_id: r.try_get("hazard_id")?,
                    created_at: r.try_get("created_at")?,
                    incident_id: r.try_get("incident_id")?,
                })
            })
            .collect()
    }
}

/// Marks a hazard's proposal of the plan as decided by the incident just opened.
pub(crate) async fn mark_hazard_proposal(
    tx: &mut Transaction<'_, Any>,
    plan_id: i64,
    hazard_id: i64,
    incident_id: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE hazard_plan_proposals SET incident_id = $1
         WHERE plan_id = $2 AND hazard_id = $3 AND incident_id IS NULL",
    )
    .bind(incident_id)
    .bind(plan_id)
    .bind(hazard_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
