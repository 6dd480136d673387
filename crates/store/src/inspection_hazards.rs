//! Hazards found by inspections, and the orders that follow them: a rectification order
//! (整改通知) with a deadline, the re-inspection, and a suspension order (停业整顿) when the
//! hazard was not fixed. Each step moves the hazard's state and writes its events to the
//! establishment's and the campaign's histories in one transaction.

use crate::error::code;
use crate::inspections::both_events;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError};
use domain::inspection::{HazardState, OrderKind, Severity};
use domain::register_event::{InspectionStep, OrderIssued, Reinspected};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone, Serialize)]
pub struct Hazard {
    pub id: i64,
    pub inspection_id: i64,
    pub campaign_id: i64,
    pub establishment_id: i64,
    pub establishment_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub description: String,
    pub severity: Severity,
    pub state: HazardState,
    pub reinspected_on: Option<String>,
    pub reinspection_notes: String,
    pub orders: Vec<HazardOrder>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HazardOrder {
    pub id: i64,
    pub hazard_id: i64,
    pub kind: OrderKind,
    pub order_no: String,
    pub issued_on: String,
    pub due_on: Option<String>,
    pub requirements: String,
    pub issued_by: String,
}

const HAZARD_COLUMNS: &str = "h.id, h.inspection_id, h.campaign_id, h.establishment_id,
    h.unit_path, h.description, h.severity, h.state, h.reinspected_on, h.reinspection_notes,
    e.name AS establishment_name";

fn hazard_from_row(r: &AnyRow) -> Result<Hazard> {
    Ok(Hazard {
        id: r.try_get("id")?,
        inspection_id: r.try_get("inspection_id")?,
        campaign_id: r.try_get("campaign_id")?,
        establishment_id: r.try_get("establishment_id")?,
        establishment_name: r.try_get("establishment_name")?,
        unit_path: r.try_get("unit_path")?,
        description: r.try_get("description")?,
        severity: code(r, "severity", Severity::parse)?,
        state: code(r, "state", HazardState::parse)?,
        reinspected_on: r.try_get("reinspected_on")?,
        reinspection_notes: r.try_get("reinspection_notes")?,
        orders: vec![],
    })
}

impl Store {
    pub(crate) async fn hazards_where(&self, cond: &str, id: i64) -> Result<Vec<Hazard>> {
        let rows = sqlx::query(&format!(
            "SELECT {HAZARD_COLUMNS} FROM inspection_hazards h
             JOIN establishments e ON e.id = h.establishment_id WHERE {cond} ORDER BY h.id"
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        let mut out = vec![];
        for r in &rows {
            let mut h = hazard_from_row(r)?;
            h.orders = self.hazard_orders(h.id).await?;
            out.push(h);
        }
        Ok(out)
    }

    /// The hazards of a campaign the caller sees, oldest first.
    pub async fn campaign_hazards(&self, scope: &Scope, campaign: i64) -> Result<Vec<Hazard>> {
        let hazards = self.hazards_where("h.campaign_id = $1", campaign).await?;
        Ok(hazards
            .into_iter()
            .filter(|h| scope.contains(&h.unit_path))
            .collect())
    }

    /// One hazard with its orders; `NotFound` outside the caller's subtree.
    pub async fn hazard(&self, scope: &Scope, id: i64) -> Result<Hazard> {
        let h = self
            .hazards_where("h.id = $1", id)
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        if scope.contains(&h.unit_path) {
            Ok(h)
        } else {
            Err(StoreError::NotFound)
        }
    }

    async fn hazard_orders(&self, hazard: i64) -> Result<Vec<HazardOrder>> {
        let rows = sqlx::query(
            "SELECT id, hazard_id, kind, order_no, issued_on, due_on, requirements, issued_by
             FROM inspection_orders WHERE hazard_id = $1 ORDER BY id",
        )
        .bind(hazard)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HazardOrder {
                    id: r.try_get("id")?,
                    hazard_id: r.try_get("hazard_id")?,
                    kind: code(r, "kind", OrderKind::parse)?,
                    order_no: r.try_get("order_no")?,
                    issued_on: r.try_get("issued_on")?,
                    due_on: r.try_get("due_on")?,
                    requirements: r.try_get("requirements")?,
                    issued_by: r.try_get("issued_by")?,
                })
            })
            .collect()
    }

    /// Moves a hazard from `from` to `to` (`Conflict` when someone moved it first) and
    /// writes the order, with their events. Returns the order's id.
    #[allow(clippy::too_many_arguments)]
    pub async fn issue_hazard_order(
        &self,
        h: &Hazard,
        from: HazardState,
        to: HazardState,
        kind: OrderKind,
        issued_on: &str,
        due_on: Option<&str>,
        requirements: &str,
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        move_hazard(&mut tx, h.id, from, to).await?;
        let row = sqlx::query(
            "INSERT INTO inspection_orders (hazard_id, kind, order_no, issued_on, due_on,
                 requirements, issued_by, created_at)
             VALUES ($1, $2, '', $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(h.id)
        .bind(kind.as_str())
        .bind(issued_on)
        .bind(due_on)
        .bind(requirements)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?;
        let id: i64 = row.try_get("id")?;
        let year = issued_on.get(..4).unwrap_or("0000");
        let order_no = format!("{}-{year}-{id:05}", kind.number_prefix());
        sqlx::query("UPDATE inspection_orders SET order_no = $1 WHERE id = $2")
            .bind(&order_no)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let step = InspectionStep::Order(
            kind,
            OrderIssued {
                hazard: h.id,
                order: id,
                order_no,
                establishment: h.establishment_name.clone(),
                issued_on: issued_on.into(),
                due_on: due_on.map(str::to_string),
            },
        );
        both_events(
            &mut tx,
            h.establishment_id,
            h.campaign_id,
            &h.unit_path,
            step,
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a re-inspection of a hazard under rectification, with its event.
    pub async fn reinspect_hazard(
        &self,
        h: &Hazard,
        to: HazardState,
        on: &str,
        notes: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        move_hazard(&mut tx, h.id, h.state, to).await?;
        sqlx::query(
            "UPDATE inspection_hazards SET reinspected_on = $1, reinspection_notes = $2 WHERE id = $3",
        )
        .bind(on)
        .bind(notes)
        .bind(h.id)
        .execute(&mut *tx)
        .await?;
        let step = InspectionStep::Reinspected(Reinspected {
            hazard: h.id,
            establishment: h.establishment_name.clone(),
            reinspected_on: on.into(),
            fixed: to == HazardState::Fixed,
            notes: notes.into(),
        });
        both_events(
            &mut tx,
            h.establishment_id,
            h.campaign_id,
            &h.unit_path,
            step,
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One order with its hazard; `NotFound` outside the caller's subtree.
    pub async fn hazard_order(&self, scope: &Scope, id: i64) -> Result<(HazardOrder, Hazard)> {
        let row = sqlx::query("SELECT hazard_id FROM inspection_orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let hazard = self.hazard(scope, row.try_get("hazard_id")?).await?;
        let order = hazard
            .orders
            .iter()
            .find(|o| o.id == id)
            .cloned()
            .ok_or(StoreError::NotFound)?;
        Ok((order, hazard))
    }
}

async fn move_hazard(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    from: HazardState,
    to: HazardState,
) -> Result<()> {
    let done = sqlx::query("UPDATE inspection_hazards SET state = $1 WHERE id = $2 AND state = $3")
        .bind(to.as_str())
        .bind(id)
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current_version: 0 });
    }
    Ok(())
}
