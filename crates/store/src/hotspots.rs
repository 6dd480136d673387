//! Hotspots (矛盾隐患预警): the cases a hotspot is computed from (matters only: nothing
//! about petitioners is read), and each unit's assignment of a hotspot to an owner
//! leader, whose history is kept in `register_events` (register `hotspot`).

use crate::case_list::{bind_all, CaseFilter};
use crate::register_events::append_register_event;
use crate::{now_ms, Actor, Result, Scope, Store, Unit};
use domain::register_event::HotspotEvent;
use serde::Serialize;
use sqlx::Row;

/// A case as a hotspot sees it: its matter, never its petitioners.
#[derive(Debug, Clone, Serialize)]
pub struct MatterRow {
    pub id: i64,
    pub case_no: String,
    pub respondent: String,
    pub region: String,
    pub category: String,
    pub received_on: String,
    pub content: String,
}

/// Who owns a hotspot of a unit.
#[derive(Debug, Clone, Serialize)]
pub struct HotspotOwner {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub assigned_by: String,
    pub assigned_at: i64,
}

/// The most cases a hotspot computation reads.
pub const MATTER_ROWS_CAP: i64 = 20_000;

impl Store {
    /// The cases the filters match in `scope` (voided ones left out), oldest first.
    pub async fn matter_rows(&self, scope: &Scope, f: &CaseFilter) -> Result<Vec<MatterRow>> {
        let select = "SELECT c.id, c.case_no, c.respondent, c.region, c.category, c.received_on, \
                      c.content, c.state FROM cases c";
        let Some(q) = self.queue_where(scope, f, select).await? else {
            return Ok(vec![]);
        };
        let text = format!(
            "SELECT * FROM ({}) m WHERE m.state <> 'voided' ORDER BY m.id LIMIT {MATTER_ROWS_CAP}",
            q.text
        );
        let rows = bind_all(sqlx::query(&text), q.args)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(MatterRow {
                    id: r.try_get("id")?,
                    case_no: r.try_get("case_no")?,
                    respondent: r.try_get("respondent")?,
                    region: r.try_get("region")?,
                    category: r.try_get("category")?,
                    received_on: r.try_get("received_on")?,
                    content: r.try_get("content")?,
                })
            })
            .collect()
    }

    /// The owners of `unit`'s hotspots.
    pub async fn hotspot_owners(&self, unit_id: i64) -> Result<Vec<HotspotOwner>> {
        let rows = sqlx::query(
            "SELECT h.id, h.hotspot_key, h.label, h.owner_id, u.display_name, h.assigned_by,
                    h.assigned_at
             FROM hotspot_owners h JOIN users u ON u.id = h.owner_id
             WHERE h.unit_id = $1 ORDER BY h.id",
        )
        .bind(unit_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HotspotOwner {
                    id: r.try_get("id")?,
                    key: r.try_get("hotspot_key")?,
                    label: r.try_get("label")?,
                    owner_id: r.try_get("owner_id")?,
                    owner_name: r.try_get("display_name")?,
                    assigned_by: r.try_get("assigned_by")?,
                    assigned_at: r.try_get("assigned_at")?,
                })
            })
            .collect()
    }

    /// Assigns `unit`'s hotspot `key` to the leader `owner_id` (or another leader),
    /// appending an `owner_assigned` event to the hotspot's history in the same
    /// transaction.
    pub async fn set_hotspot_owner(
        &self,
        unit: &Unit,
        key: &str,
        label: &str,
        owner_id: i64,
        cases: &[i64],
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let now = now_ms();
        let row = sqlx::query(
            "INSERT INTO hotspot_owners (unit_id, unit_path, hotspot_key, label, owner_id,
                 assigned_by, assigned_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (unit_id, hotspot_key) DO UPDATE SET owner_id = excluded.owner_id,
                 label = excluded.label, assigned_by = excluded.assigned_by,
                 assigned_at = excluded.assigned_at
             RETURNING id",
        )
        .bind(unit.id)
        .bind(&unit.path)
        .bind(key)
        .bind(label)
        .bind(owner_id)
        .bind(&actor.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let owner = OwnerChange {
            key,
            label,
            owner_id,
            cases,
        };
        owner
            .log(&mut tx, unit, id, HotspotEvent::OwnerAssigned, actor)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes the owner of the unit's hotspot `key`, with an event in its history in
    /// the same transaction. `NotFound` when it has none.
    pub async fn clear_hotspot_owner(
        &self,
        unit: &Unit,
        key: &str,
        cases: &[i64],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let row = sqlx::query(
            "DELETE FROM hotspot_owners WHERE unit_id = $1 AND hotspot_key = $2
             RETURNING id, label, owner_id",
        )
        .bind(unit.id)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(crate::StoreError::NotFound)?;
        let id: i64 = row.try_get("id")?;
        let label: String = row.try_get("label")?;
        let owner_id: i64 = row.try_get("owner_id")?;
        let owner = OwnerChange {
            key,
            label: &label,
            owner_id,
            cases,
        };
        owner
            .log(&mut tx, unit, id, HotspotEvent::OwnerRemoved, actor)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// An owner given to or taken from a hotspot, as its history records it.
struct OwnerChange<'a> {
    key: &'a str,
    label: &'a str,
    owner_id: i64,
    cases: &'a [i64],
}

impl OwnerChange<'_> {
    async fn log(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        unit: &Unit,
        id: i64,
        event: fn(domain::register_event::OwnerChange) -> HotspotEvent,
        actor: &Actor,
    ) -> Result<()> {
        let change = domain::register_event::OwnerChange {
            key: self.key.into(),
            label: self.label.into(),
            owner_id: self.owner_id,
            cases: self.cases.to_vec(),
        };
        append_register_event(tx, id, &unit.path, &event(change), actor).await?;
        Ok(())
    }
}
