//! Intake offices: the unit an online petition lands in. The jurisdiction's petition
//! office has the empty region prefix; a region's petition office has that region's
//! code prefix, and the most specific one that matches a petition's region wins.

use crate::{now_ms, Actor, Result, Store, StoreError, Unit};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct IntakeOffice {
    /// `""` for the whole jurisdiction.
    pub region_prefix: String,
    pub unit_code: String,
    pub unit_name: String,
}

impl Store {
    /// Sets the intake office for `region_prefix` (empty: the jurisdiction's), and writes
    /// the audit row in the same transaction.
    pub async fn set_intake_office(
        &self,
        region_prefix: &str,
        unit: &Unit,
        actor: &Actor,
    ) -> Result<()> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO intake_offices (region_prefix, unit_id, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (region_prefix) DO UPDATE SET unit_id = excluded.unit_id, updated_at = excluded.updated_at",
        )
        .bind(region_prefix)
        .bind(unit.id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, target, ip, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(now)
        .bind(actor.id)
        .bind(&actor.name)
        .bind("intake_office_set")
        .bind(&unit.code)
        .bind(&actor.ip)
        .bind(format!("region_prefix={region_prefix}"))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every configured intake office, the jurisdiction's first.
    pub async fn intake_offices(&self) -> Result<Vec<IntakeOffice>> {
        let rows = sqlx::query(
            "SELECT i.region_prefix, u.code, u.name FROM intake_offices i JOIN units u ON u.id = i.unit_id
             ORDER BY i.region_prefix",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(IntakeOffice {
                    region_prefix: r.try_get("region_prefix")?,
                    unit_code: r.try_get("code")?,
                    unit_name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// The unit an online petition from `region` goes to: the intake office with the
    /// longest matching prefix whose unit still takes petitions (a retired unit takes
    /// none, so the next less specific office does), or `None` when none is configured.
    pub async fn intake_unit_for(&self, region: &str) -> Result<Option<Unit>> {
        let mut offices: Vec<IntakeOffice> = self
            .intake_offices()
            .await?
            .into_iter()
            .filter(|o| region.starts_with(&o.region_prefix))
            .collect();
        offices.sort_by_key(|o| std::cmp::Reverse(o.region_prefix.len()));
        for o in offices {
            let unit = self.unit_by_code(&o.unit_code).await?;
            if !unit.retired {
                return Ok(Some(unit));
            }
        }
        Ok(None)
    }
}
