//! Routing help: a table of category × region → responsible unit.

use crate::{now_ms, Result, Store, StoreError, Unit};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct RoutingRule {
    pub category: String,
    pub region_prefix: String,
    pub unit_code: String,
    pub unit_name: String,
    /// A retired rule is kept but never suggested.
    pub retired: bool,
}

impl Store {
    /// Sets the unit for a category (and its subcategories) in regions starting with
    /// `region_prefix` (empty: everywhere).
    pub async fn set_routing_rule(
        &self,
        category: &str,
        region_prefix: &str,
        unit: &Unit,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO routing_rules (category, region_prefix, unit_id, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (category, region_prefix) DO UPDATE SET unit_id = excluded.unit_id, updated_at = excluded.updated_at",
        )
        .bind(category)
        .bind(region_prefix)
        .bind(unit.id)
        .bind(now_ms())
        .execute(&self.write)
        .await
        .map_err(StoreError::from_sqlx)?;
        Ok(())
    }

    pub async fn routing_rules(&self) -> Result<Vec<RoutingRule>> {
        let rows = sqlx::query(
            "SELECT r.category, r.region_prefix, u.code, u.name, r.retired FROM routing_rules r JOIN units u ON u.id = r.unit_id
             ORDER BY r.category, r.region_prefix",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RoutingRule {
                    category: r.try_get("category")?,
                    region_prefix: r.try_get("region_prefix")?,
                    unit_code: r.try_get("code")?,
                    unit_name: r.try_get("name")?,
                    retired: r.try_get::<i64, _>("retired")? != 0,
                })
            })
            .collect()
    }

    /// The most specific rule for a case: the longest matching category, then the longest
    /// matching region prefix.
    pub async fn suggest_unit(&self, category: &str, region: &str) -> Result<Option<RoutingRule>> {
        let rules = self.routing_rules().await?;
        let matches_cat = |c: &str| category == c || category.starts_with(&format!("{c}."));
        Ok(rules
            .into_iter()
            .filter(|r| {
                !r.retired && matches_cat(&r.category) && region.starts_with(&r.region_prefix)
            })
            .max_by_key(|r| (r.category.len(), r.region_prefix.len())))
    }
}
