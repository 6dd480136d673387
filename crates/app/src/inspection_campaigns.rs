//! Inspection campaigns: a campaign covers some kinds of establishment under a list of
//! units, each unit with its whole subtree (what a clerk means by "西湖区和上城区"), over a
//! date range. Its progress is by the establishment's unit, and every covered unit shows
//! even when nothing under it is registered yet. The unit that runs it is the caller's.

use crate::disputes::OverdueUnit;
use crate::inspections::{
    date, done, text, Campaign, CampaignInput, CampaignView, EstablishmentStanding, ProgressRow,
    RegisterEvent,
};
use crate::{App, AppError, AppResult, Caller};
use domain::inspection::EstablishmentKind;
use domain::register_event::CampaignEvent;
use domain::FieldErrors;
use std::collections::BTreeMap;
use store::{CampaignStanding, NewCampaign, Unit};

/// Most units one campaign lists.
pub const MAX_CAMPAIGN_UNITS: usize = 100;

/// Drops the units nested in another listed unit (it already covers them) and repeats;
/// tree order.
pub fn outermost(mut units: Vec<Unit>) -> Vec<Unit> {
    units.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out: Vec<Unit> = vec![];
    for u in units {
        if !out.iter().any(|o| u.path.starts_with(&o.path)) {
            out.push(u);
        }
    }
    out
}

impl App {
    /// The units a campaign covers: the codes given (each in the caller's subtree), else
    /// the caller's own unit.
    async fn campaign_scope(
        &self,
        who: &Caller,
        c: &CampaignInput,
        errs: &mut FieldErrors,
    ) -> AppResult<Vec<Unit>> {
        let mut codes: Vec<&str> = c
            .units
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .collect();
        if let Some(u) = c.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            codes.push(u);
        }
        if codes.is_empty() {
            return Ok(vec![self.store.unit(who.unit_id).await?]);
        }
        if codes.len() > MAX_CAMPAIGN_UNITS {
            errs.insert("units".into(), "too_many".into());
            return Ok(vec![]);
        }
        let field = if c.units.is_empty() { "unit" } else { "units" };
        let mut units = vec![];
        for code in codes {
            match self.store.unit_by_code(code).await {
                Ok(u) if who.scope().contains(&u.path) => units.push(u),
                Ok(_) | Err(store::StoreError::NotFound) => {
                    errs.insert(field.into(), "unit_out_of_scope".into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(outermost(units))
    }

    pub async fn create_campaign(&self, who: &Caller, c: &CampaignInput) -> AppResult<Campaign> {
        self.require_inspector(who)?;
        let mut errs = FieldErrors::new();
        text("name", &c.name, 200, true, &mut errs);
        let mut kinds: Vec<EstablishmentKind> = vec![];
        for k in &c.kinds {
            match EstablishmentKind::parse(k.trim()) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => {
                    errs.insert("kinds".into(), "unknown_kind".into());
                }
            }
        }
        if kinds.is_empty() && !errs.contains_key("kinds") {
            errs.insert("kinds".into(), "required".into());
        }
        let from = date("starts_on", &c.starts_on, &mut errs);
        let to = date("ends_on", &c.ends_on, &mut errs);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errs.insert("ends_on".into(), "ends_before_start".into());
            }
        }
        let scope = self.campaign_scope(who, c, &mut errs).await?;
        done(errs)?;
        let new = NewCampaign {
            name: c.name.trim().into(),
            kinds,
            unit: self.store.unit(who.unit_id).await?,
            scope,
            starts_on: c.starts_on.trim().into(),
            ends_on: c.ends_on.trim().into(),
        };
        let id = self.store.create_campaign(&new, &who.actor()).await?;
        Ok(self.store.campaign(&who.scope(), id).await?)
    }

    /// The units a campaign may cover: the caller's own, then those below it (tree order).
    pub async fn campaign_unit_choices(&self, who: &Caller) -> AppResult<Vec<Unit>> {
        let mut units = vec![self.store.unit(who.unit_id).await?];
        units.extend(self.units_below(who).await?);
        Ok(units)
    }

    pub async fn campaigns(&self, who: &Caller) -> AppResult<Vec<Campaign>> {
        Ok(self.store.campaigns(&who.scope()).await?)
    }

    pub async fn campaign(&self, who: &Caller, id: i64) -> AppResult<Campaign> {
        Ok(self.store.campaign(&who.scope(), id).await?)
    }

    /// A campaign with its progress by unit (visited of total, open hazards, orders
    /// overdue), the establishments it covers, its hazards and inspections: the part of
    /// it in the caller's subtree.
    pub async fn campaign_view(&self, who: &Caller, id: i64) -> AppResult<CampaignView> {
        let scope = who.scope();
        let campaign = self.store.campaign(&scope, id).await?;
        let today = self.config.today().to_string();
        let standings = self
            .store
            .campaign_standings(&scope, &campaign, &today)
            .await?;
        let mut by_unit: BTreeMap<String, ProgressRow> = BTreeMap::new();
        let mut total = ProgressRow::default();
        for s in &standings {
            let e = &s.establishment;
            let row = by_unit
                .entry(e.unit_path.clone())
                .or_insert_with(|| ProgressRow {
                    unit_code: e.unit_code.clone(),
                    unit_name: e.unit_name.clone(),
                    ..ProgressRow::default()
                });
            for r in [&mut *row, &mut total] {
                r.total += 1;
                r.visited += i64::from(s.visited);
                r.open_hazards += s.open_hazards;
                r.overdue_orders += s.overdue_orders;
            }
        }
        // A covered unit (the caller sees) with nothing registered under it shows as 0/0.
        for u in &campaign.units {
            let seen = scope.contains(&u.path) || scope.path().starts_with(&u.path);
            if seen && !by_unit.keys().any(|p| p.starts_with(&u.path)) {
                by_unit.insert(
                    u.path.clone(),
                    ProgressRow {
                        unit_code: u.code.clone(),
                        unit_name: u.name.clone(),
                        ..ProgressRow::default()
                    },
                );
            }
        }
        let hazards = self.store.campaign_hazards(&scope, id).await?;
        let inspections = self.store.campaign_inspections(&scope, id).await?;
        Ok(CampaignView {
            campaign,
            units: by_unit.into_values().collect(),
            total,
            establishments: standings.into_iter().map(standing).collect(),
            hazards,
            inspections,
        })
    }

    /// Rectification orders past their deadline and not re-inspected, under the caller,
    /// by unit (each with its subtree, in tree order): `steps` counts the orders and
    /// `entries` the establishments.
    pub async fn overdue_order_units(&self, who: &Caller) -> AppResult<Vec<OverdueUnit>> {
        let today = self.config.today().to_string();
        let cells = self
            .store
            .overdue_rectification_orders(&who.scope(), &today)
            .await?;
        self.overdue_rollup(who, cells).await
    }

    /// A campaign's history, oldest first: for the unit that runs it and the units above
    /// it (a unit below reads its own part on the campaign page).
    pub async fn campaign_events(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent<CampaignEvent>>> {
        let c = self.store.campaign(&who.scope(), id).await?;
        if !who.scope().contains(&c.unit_path) {
            return Err(AppError::NotFound);
        }
        Ok(self.store.register_events(id).await?)
    }
}

fn standing(s: CampaignStanding) -> EstablishmentStanding {
    EstablishmentStanding {
        establishment: s.establishment,
        visited: s.visited,
        open_hazards: s.open_hazards,
        overdue_orders: s.overdue_orders,
    }
}
