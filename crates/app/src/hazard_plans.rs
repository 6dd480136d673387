//! A hazard graded critical meets the "critical hazard" trigger of the plans of its
//! establishment's unit and the units above it: each such plan is proposed (the hazard's
//! page shows a banner, the plan unit's leaders and supervisors are told), and a person
//! decides whether to activate it. Nothing is activated by itself.

use crate::{App, AppResult, Caller};
use domain::inspection::Severity;
use domain::plans::{may_keep_plans, Trigger};
pub use store::HazardProposal;

/// A proposal as the hazard page shows it: whether the reader may activate the plan.
#[derive(Debug, Clone)]
pub struct HazardBanner {
    pub p: HazardProposal,
    pub may_activate: bool,
}

impl App {
    /// After an inspection is recorded: proposes the plans each critical hazard meets.
    /// Returns the proposals' ids.
    pub async fn propose_hazard_plans(&self, inspection_id: i64) -> AppResult<Vec<i64>> {
        let hazards = self.store.inspection_hazards(inspection_id).await?;
        let mut ids = vec![];
        for h in hazards.iter().filter(|h| h.severity == Severity::Critical) {
            let plans = self.store.plans_on_path(&h.unit_path).await?;
            let met: Vec<&store::Plan> = plans
                .iter()
                .filter(|p| p.body.triggers.contains(&Trigger::CriticalHazard))
                .collect();
            if met.is_empty() {
                continue;
            }
            let place = h.establishment_name.clone();
            let notice = move |name: &str| {
                format!("「{place}」发现重大隐患，预案「{name}」的触发条件已满足，请决定是否启动 / A critical hazard at “{place}” meets the trigger of plan “{name}”: decide whether to activate it")
            };
            ids.extend(self.store.propose_hazard_plans(h.id, &met, &notice).await?);
        }
        Ok(ids)
    }

    /// The plans a hazard proposed, as its page shows them.
    pub async fn hazard_banners(&self, who: &Caller, hazard: i64) -> AppResult<Vec<HazardBanner>> {
        let h = self.store.hazard(&who.scope(), hazard).await?;
        Ok(self
            .store
            .hazard_proposals(h.id)
            .await?
            .into_iter()
            .map(|p| HazardBanner {
                may_activate: may_keep_plans(who.role) && who.scope().contains(&p.plan_unit_path),
                p,
            })
            .collect())
    }

    /// Activates a plan a critical hazard proposed: the incident names the establishment.
    pub async fn activate_plan_for_hazard(
        &self,
        who: &Caller,
        plan_id: i64,
        hazard: i64,
        due_at: Option<&str>,
    ) -> AppResult<store::Incident> {
        let h = self.store.hazard(&who.scope(), hazard).await?;
        self.activate(who, plan_id, None, Some(&h), due_at).await
    }
}
