//! Where petitions go: the routing table (category × region → the unit usually
//! responsible), kept by admins and supervisors, and the intake offices where online
//! petitions land, set by the root unit's admin. Every change writes its audit row in
//! its own transaction.

use crate::admin::change_detail;
use crate::{App, AppError, AppResult, Caller};
use domain::{Permission, Role};
use store::{AuditNote, RoutingRule, StoreError, Unit};

/// A rule as the audit log names it: `labor.wages @ 3301` (`*` for everywhere).
fn rule_target(category: &str, prefix: &str) -> String {
    format!(
        "{category} @ {}",
        if prefix.is_empty() { "*" } else { prefix }
    )
}

impl App {
    /// A unit in the caller's scope that still takes cases, by code, for the field
    /// `unit`: `unit_retired` for a retired one, `unknown_unit` for any other miss.
    async fn live_unit(&self, who: &Caller, code: &str) -> AppResult<Unit> {
        match self
            .store
            .unit_by_code(&code.trim().to_ascii_uppercase())
            .await
        {
            Ok(u) if u.retired => Err(AppError::field("unit", "unit_retired")),
            Ok(u) if who.scope().contains(&u.path) => Ok(u),
            Ok(_) | Err(StoreError::NotFound) => Err(AppError::field("unit", "unknown_unit")),
            Err(e) => Err(e.into()),
        }
    }

    /// Adds or replaces a rule (admins and supervisors, for units in their scope).
    pub async fn save_routing_rule(
        &self,
        who: &Caller,
        category: &str,
        region_prefix: &str,
        unit: &str,
    ) -> AppResult<()> {
        who.require(Permission::ManageRouting)?;
        let category = category.trim();
        if !self.categories().await?.iter().any(|c| c.code == category) {
            return Err(AppError::field("category", "unknown_category"));
        }
        let prefix = region_prefix.trim();
        if !domain::codes::is_region_prefix(prefix) {
            return Err(AppError::field("region_prefix", "invalid_region"));
        }
        let unit = self.live_unit(who, unit).await?;
        let actor = who.actor();
        let note = AuditNote {
            actor: &actor,
            action: "routing_rule_saved",
            target: rule_target(category, prefix),
            detail: change_detail(&[("unit", "".into(), unit.code.clone().into())]),
        };
        Ok(self
            .store
            .set_routing_rule_audited(category, prefix, &unit, &note)
            .await?)
    }

    /// Retires a rule (it is kept, but no longer suggested) or brings it back.
    pub async fn set_routing_rule_retired(
        &self,
        who: &Caller,
        category: &str,
        region_prefix: &str,
        retired: bool,
    ) -> AppResult<RoutingRule> {
        who.require(Permission::ManageRouting)?;
        let (category, prefix) = (category.trim(), region_prefix.trim());
        let actor = who.actor();
        let note = AuditNote {
            actor: &actor,
            action: if retired {
                "routing_rule_retired"
            } else {
                "routing_rule_restored"
            },
            target: rule_target(category, prefix),
            detail: String::new(),
        };
        Ok(self
            .store
            .retire_routing_rule(category, prefix, retired, &note)
            .await?)
    }

    /// Whether the caller is an admin of the root unit: only they set where petitions land.
    pub async fn is_root_admin(&self, who: &Caller) -> AppResult<bool> {
        if who.role != Role::Admin {
            return Ok(false);
        }
        Ok(self
            .store
            .root_unit()
            .await?
            .is_some_and(|r| r.id == who.unit_id))
    }

    /// Sets the intake office for `region_prefix` (empty: the jurisdiction's), audited in
    /// the same transaction.
    pub async fn save_intake_office(
        &self,
        who: &Caller,
        region_prefix: &str,
        unit: &str,
    ) -> AppResult<()> {
        if !self.is_root_admin(who).await? {
            return Err(AppError::Forbidden);
        }
        let prefix = region_prefix.trim();
        if prefix.len() > 12 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::field("region_prefix", "invalid_region"));
        }
        let unit = self.live_unit(who, unit).await?;
        Ok(self
            .store
            .set_intake_office(prefix, &unit, &who.actor())
            .await?)
    }
}
