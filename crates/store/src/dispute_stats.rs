//! The dispute register's figures: overdue steps by unit (for the supervision board)
//! and the number of entries by kind, outcome or unit (for the statistics).

use crate::{Result, Scope, Store};
use serde::Serialize;
use sqlx::Row;

/// Overdue steps of open entries held by one unit (not its subtree).
#[derive(Debug, Clone, Serialize)]
pub struct OverdueByUnit {
    pub unit_path: String,
    pub steps: i64,
    pub entries: i64,
}

impl Store {
    /// Overdue steps of open entries in a subtree, by the unit that holds each entry.
    pub async fn overdue_dispute_steps(
        &self,
        scope: &Scope,
        today: &str,
    ) -> Result<Vec<OverdueByUnit>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(
            "SELECT d.unit_path, COUNT(*) AS steps, COUNT(DISTINCT d.id) AS entries
             FROM dispute_steps s JOIN disputes d ON d.id = s.dispute_id
             WHERE s.done_on IS NULL AND s.due_on < $1 AND d.outcome = 'open'
               AND d.unit_path >= $2 AND d.unit_path < $3
             GROUP BY d.unit_path",
        )
        .bind(today)
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OverdueByUnit {
                    unit_path: r.try_get("unit_path")?,
                    steps: r.try_get("steps")?,
                    entries: r.try_get("entries")?,
                })
            })
            .collect()
    }

    /// The number of entries of a subtree by `kind`, `outcome` or `unit` (the holding
    /// unit's code).
    pub async fn dispute_volume(&self, scope: &Scope, by: &str) -> Result<Vec<(String, i64)>> {
        let col = match by {
            "kind" => "d.kind",
            "outcome" => "d.outcome",
            _ => "n.code",
        };
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {col} AS k, COUNT(*) AS n FROM disputes d JOIN units n ON n.id = d.unit_id
             WHERE d.unit_path >= $1 AND d.unit_path < $2 GROUP BY {col} ORDER BY {col}"
        ))
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("k")?, r.try_get("n")?)))
            .collect()
    }
}
