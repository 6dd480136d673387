//! Rectification orders (整改通知) past their deadline whose hazard has not been
//! re-inspected, by the establishment's unit: for the supervision board and the figures.

use crate::{OverdueByUnit, Result, Scope, Store};
use sqlx::Row;

impl Store {
    /// Overdue rectification orders in a subtree, by the unit the establishment is
    /// registered under: `steps` counts the orders, `entries` the establishments.
    pub async fn overdue_rectification_orders(
        &self,
        scope: &Scope,
        today: &str,
    ) -> Result<Vec<OverdueByUnit>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(
            "SELECT h.unit_path, COUNT(*) AS steps, COUNT(DISTINCT h.establishment_id) AS entries
             FROM inspection_orders o JOIN inspection_hazards h ON h.id = o.hazard_id
             WHERE o.kind = 'rectification_order' AND h.state = 'rectifying'
               AND o.due_on < $1 AND h.unit_path >= $2 AND h.unit_path < $3
             GROUP BY h.unit_path",
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
}
