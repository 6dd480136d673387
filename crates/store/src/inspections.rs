//! Inspection campaigns: the campaign, the inspections recorded in it, the hazards they
//! found and the orders those hazards led to. Every change appends an event to the
//! establishment's history and the campaign's, in the change's own transaction.

use crate::establishments::{establishment_from_row, Establishment, ESTABLISHMENT_COLUMNS};
pub use crate::inspection_hazards::{Hazard, HazardOrder};
use crate::register_events::append_register_event;
use crate::search_source::placeholders;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::inspection::{Answer, EstablishmentKind, Severity};
use domain::register_event::{
    CampaignEvent, EstablishmentEvent, HazardFound, Inspected, InspectionStep,
};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// One unit of a campaign's scope: the campaign covers it with its subtree.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignUnit {
    pub code: String,
    pub name: String,
    #[serde(skip)]
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub kinds: Vec<EstablishmentKind>,
    /// The units it covers, each with its subtree (tree order).
    pub units: Vec<CampaignUnit>,
    /// The unit that runs it.
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub starts_on: String,
    pub ends_on: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    pub kinds: Vec<EstablishmentKind>,
    /// The unit that runs it.
    pub unit: Unit,
    /// The units it covers, each with its subtree; none nested in another.
    pub scope: Vec<Unit>,
    pub starts_on: String,
    pub ends_on: String,
}

/// One checklist answer: the item as it read that day, and `pass`, `fail` or `na`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChecklistAnswer {
    pub item: String,
    pub answer: Answer,
}

/// A checklist answer as the `answers` column holds it, before its code is checked.
#[derive(serde::Deserialize)]
struct StoredAnswer {
    item: String,
    answer: String,
}

/// The `answers` column: each answer's code decoded here, once.
fn answers_of(json: &str) -> Result<Vec<ChecklistAnswer>> {
    let stored: Vec<StoredAnswer> = serde_json::from_str(json).unwrap_or_default();
    stored
        .into_iter()
        .map(|a| match Answer::parse(&a.answer) {
            Some(answer) => Ok(ChecklistAnswer {
                item: a.item,
                answer,
            }),
            None => Err(StoreError::UnknownValue {
                column: "answers",
                value: a.answer,
            }),
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct NewInspection {
    pub campaign_id: i64,
    pub establishment: Establishment,
    pub inspected_on: String,
    pub inspectors: String,
    pub answers: Vec<ChecklistAnswer>,
    pub findings: String,
    /// Stored photo names (see `app::inspections`).
    pub photos: Vec<String>,
    /// Each hazard's description and severity.
    pub hazards: Vec<(String, Severity)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub id: i64,
    pub campaign_id: i64,
    pub establishment_id: i64,
    pub establishment_name: String,
    pub inspected_on: String,
    pub inspectors: String,
    pub answers: Vec<ChecklistAnswer>,
    pub findings: String,
    pub photos: Vec<String>,
    pub recorded_by: String,
    pub hazards: Vec<Hazard>,
}

/// One establishment's standing in a campaign, for its progress.
#[derive(Debug, Clone)]
pub struct CampaignStanding {
    pub establishment: Establishment,
    pub visited: bool,
    pub open_hazards: i64,
    pub overdue_orders: i64,
}

const CAMPAIGN_COLUMNS: &str = "c.id, c.name, c.kinds, c.unit_path, c.starts_on, c.ends_on,
    c.created_by, c.created_at, u.code AS unit_code, u.name AS unit_name";

fn campaign_from_row(r: &AnyRow) -> Result<Campaign> {
    let kinds: String = r.try_get("kinds")?;
    Ok(Campaign {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kinds: kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(|k| {
                EstablishmentKind::parse(k).ok_or_else(|| StoreError::UnknownValue {
                    column: "kinds",
                    value: k.to_string(),
                })
            })
            .collect::<Result<_>>()?,
        units: vec![],
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Campaign {
    /// Whether the campaign covers a unit (by its path): it is under one of its units.
    pub fn covers(&self, path: &str) -> bool {
        self.units.iter().any(|u| path.starts_with(&u.path))
    }

    /// Whether the caller takes part: it runs the campaign or is above the unit that
    /// does, or one of the covered units is in its subtree or above it.
    fn visible_to(&self, scope: &Scope) -> bool {
        scope.contains(&self.unit_path)
            || self
                .units
                .iter()
                .any(|u| scope.contains(&u.path) || scope.path().starts_with(&u.path))
    }
}

/// Appends the same event to the establishment's history and the campaign's.
pub(crate) async fn both_events(
    tx: &mut Transaction<'_, Any>,
    establishment: i64,
    campaign: i64,
    unit_path: &str,
    step: InspectionStep,
    actor: &Actor,
) -> Result<()> {
    let e = EstablishmentEvent::from(step.clone());
    append_register_event(tx, establishment, unit_path, &e, actor).await?;
    append_register_event(tx, campaign, unit_path, &CampaignEvent::from(step), actor).await?;
    Ok(())
}

impl Store {
    pub async fn create_campaign(&self, c: &NewCampaign, actor: &Actor) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let row = sqlx::query(
            "INSERT INTO inspection_campaigns (name, kinds, unit_id, unit_path, starts_on,
                 ends_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&c.name)
        .bind(
            c.kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(","),
        )
        .bind(c.unit.id)
        .bind(&c.unit.path)
        .bind(&c.starts_on)
        .bind(&c.ends_on)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        for u in &c.scope {
            sqlx::query(
                "INSERT INTO inspection_campaign_units (campaign_id, unit_id, unit_path)
                 VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(u.id)
            .bind(&u.path)
            .execute(&mut *tx)
            .await?;
        }
        let event = CampaignEvent::Created {
            name: c.name.clone(),
            kinds: c.kinds.clone(),
            unit: c.unit.code.clone(),
            units: c.scope.iter().map(|u| u.code.clone()).collect(),
            starts_on: c.starts_on.clone(),
            ends_on: c.ends_on.clone(),
        };
        append_register_event(&mut tx, id, &c.unit.path, &event, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Campaigns the caller takes part in: those run in its subtree or above it, or
    /// covering a unit in its subtree or above it; newest first.
    pub async fn campaigns(&self, scope: &Scope) -> Result<Vec<Campaign>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM inspection_campaigns c JOIN units u ON u.id = c.unit_id
             WHERE (c.unit_path >= $1 AND c.unit_path < $2)
                OR EXISTS (SELECT 1 FROM inspection_campaign_units cu
                   WHERE cu.campaign_id = c.id AND ((cu.unit_path >= $1 AND cu.unit_path < $2)
                      OR $3 LIKE cu.unit_path || '%'))
             ORDER BY c.id DESC LIMIT 200"
        ))
        .bind(lo)
        .bind(hi)
        .bind(scope.path())
        .fetch_all(&self.read)
        .await?;
        let mut list = rows
            .iter()
            .map(campaign_from_row)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
        let mut units = self.campaign_units(&ids).await?;
        for c in &mut list {
            c.units = units.remove(&c.id).unwrap_or_default();
        }
        Ok(list)
    }

    /// The scope units of some campaigns, by campaign, each in tree order.
    async fn campaign_units(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<CampaignUnit>>> {
        let mut out: std::collections::HashMap<i64, Vec<CampaignUnit>> = Default::default();
        if ids.is_empty() {
            return Ok(out);
        }
        let q = format!(
            "SELECT cu.campaign_id, cu.unit_path, u.code, u.name
             FROM inspection_campaign_units cu JOIN units u ON u.id = cu.unit_id
             WHERE cu.campaign_id IN ({}) ORDER BY cu.unit_path",
            placeholders(1, ids.len())
        );
        let mut query = sqlx::query(&q);
        for id in ids {
            query = query.bind(*id);
        }
        for r in query.fetch_all(&self.read).await? {
            out.entry(r.try_get("campaign_id")?)
                .or_default()
                .push(CampaignUnit {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    path: r.try_get("unit_path")?,
                });
        }
        Ok(out)
    }

    /// One campaign the caller takes part in; `NotFound` otherwise.
    pub async fn campaign(&self, scope: &Scope, id: i64) -> Result<Campaign> {
        let row = sqlx::query(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM inspection_campaigns c JOIN units u ON u.id = c.unit_id
             WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut c = campaign_from_row(&row)?;
        c.units = self
            .campaign_units(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        if c.visible_to(scope) {
            Ok(c)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Every establishment the campaign covers that the caller sees, with whether it was
    /// visited, its open hazards and its rectification orders past their deadline.
    pub async fn campaign_standings(
        &self,
        scope: &Scope,
        c: &Campaign,
        today: &str,
    ) -> Result<Vec<CampaignStanding>> {
        if c.kinds.is_empty() {
            return Ok(vec![]);
        }
        let (lo, hi) = scope.bounds();
        let q = format!(
            "SELECT {ESTABLISHMENT_COLUMNS},
                (SELECT COUNT(*) FROM inspections i
                   WHERE i.campaign_id = $1 AND i.establishment_id = e.id) AS visits,
                (SELECT COUNT(*) FROM inspection_hazards h
                   WHERE h.campaign_id = $1 AND h.establishment_id = e.id
                     AND h.state IN ('open', 'rectifying', 'not_fixed')) AS open_hazards,
                (SELECT COUNT(*) FROM inspection_hazards h JOIN inspection_orders o
                     ON o.hazard_id = h.id AND o.kind = 'rectification_order'
                   WHERE h.campaign_id = $1 AND h.establishment_id = e.id
                     AND h.state = 'rectifying' AND o.due_on < $2) AS overdue
             FROM establishments e JOIN units u ON u.id = e.unit_id
             WHERE e.unit_path >= $3 AND e.unit_path < $4 AND e.kind IN ({})
               AND EXISTS (SELECT 1 FROM inspection_campaign_units cu
                   WHERE cu.campaign_id = $1 AND e.unit_path LIKE cu.unit_path || '%')
             ORDER BY e.unit_path, e.licence_no",
            placeholders(5, c.kinds.len())
        );
        let mut query = sqlx::query(&q).bind(c.id).bind(today).bind(lo).bind(hi);
        for k in &c.kinds {
            query = query.bind(k.as_str());
        }
        let rows = query.fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let visits: i64 = r.try_get("visits")?;
                Ok(CampaignStanding {
                    establishment: establishment_from_row(r)?,
                    visited: visits > 0,
                    open_hazards: r.try_get("open_hazards")?,
                    overdue_orders: r.try_get("overdue")?,
                })
            })
            .collect()
    }

    /// Records an inspection and its hazards, with their events.
    pub async fn record_inspection(&self, i: &NewInspection, actor: &Actor) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let now = now_ms();
        let e = &i.establishment;
        let answers =
            serde_json::to_string(&i.answers).map_err(|x| StoreError::Data(x.to_string()))?;
        let photos =
            serde_json::to_string(&i.photos).map_err(|x| StoreError::Data(x.to_string()))?;
        let row = sqlx::query(
            "INSERT INTO inspections (campaign_id, establishment_id, unit_path, inspected_on,
                 inspectors, answers, findings, photos, recorded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(i.campaign_id)
        .bind(e.id)
        .bind(&e.unit_path)
        .bind(&i.inspected_on)
        .bind(&i.inspectors)
        .bind(answers)
        .bind(&i.findings)
        .bind(photos)
        .bind(&actor.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let failed = i
            .answers
            .iter()
            .filter(|a| a.answer == Answer::Fail)
            .count();
        let inspected = Inspected {
            inspection: id,
            establishment: e.name.clone(),
            inspected_on: i.inspected_on.clone(),
            inspectors: i.inspectors.clone(),
            failed_items: failed as i64,
            hazards: i.hazards.len() as i64,
        };
        let step = InspectionStep::Inspected(inspected);
        both_events(&mut tx, e.id, i.campaign_id, &e.unit_path, step, actor).await?;
        for (description, severity) in &i.hazards {
            let row = sqlx::query(
                "INSERT INTO inspection_hazards (inspection_id, campaign_id, establishment_id,
                     unit_path, description, severity, state, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
            )
            .bind(id)
            .bind(i.campaign_id)
            .bind(e.id)
            .bind(&e.unit_path)
            .bind(description)
            .bind(severity.as_str())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let hazard: i64 = row.try_get("id")?;
            let found = HazardFound {
                hazard,
                establishment: e.name.clone(),
                severity: *severity,
                description: description.clone(),
            };
            let step = InspectionStep::HazardFound(found);
            both_events(&mut tx, e.id, i.campaign_id, &e.unit_path, step, actor).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// One inspection with its hazards (the caller checks scope on `unit_path`).
    pub async fn inspection(&self, scope: &Scope, id: i64) -> Result<Inspection> {
        let row = sqlx::query(
            "SELECT i.id, i.campaign_id, i.establishment_id, i.unit_path, i.inspected_on,
                 i.inspectors, i.answers, i.findings, i.photos, i.recorded_by,
                 e.name AS establishment_name
             FROM inspections i JOIN establishments e ON e.id = i.establishment_id
             WHERE i.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = row.try_get("unit_path")?;
        if !scope.contains(&path) {
            return Err(StoreError::NotFound);
        }
        let answers: String = row.try_get("answers")?;
        let photos: String = row.try_get("photos")?;
        let hazards = self.hazards_where("h.inspection_id = $1", id).await?;
        Ok(Inspection {
            id,
            campaign_id: row.try_get("campaign_id")?,
            establishment_id: row.try_get("establishment_id")?,
            establishment_name: row.try_get("establishment_name")?,
            inspected_on: row.try_get("inspected_on")?,
            inspectors: row.try_get("inspectors")?,
            answers: answers_of(&answers)?,
            findings: row.try_get("findings")?,
            photos: serde_json::from_str(&photos).unwrap_or_default(),
            recorded_by: row.try_get("recorded_by")?,
            hazards,
        })
    }

    /// The inspections of a campaign the caller sees, newest first (without hazards).
    pub async fn campaign_inspections(
        &self,
        scope: &Scope,
        campaign: i64,
    ) -> Result<Vec<Inspection>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(
            "SELECT i.id, i.campaign_id, i.establishment_id, i.inspected_on, i.inspectors,
                 i.findings, i.recorded_by, e.name AS establishment_name
             FROM inspections i JOIN establishments e ON e.id = i.establishment_id
             WHERE i.campaign_id = $1 AND i.unit_path >= $2 AND i.unit_path < $3
             ORDER BY i.id DESC",
        )
        .bind(campaign)
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Inspection {
                    id: r.try_get("id")?,
                    campaign_id: r.try_get("campaign_id")?,
                    establishment_id: r.try_get("establishment_id")?,
                    establishment_name: r.try_get("establishment_name")?,
                    inspected_on: r.try_get("inspected_on")?,
                    inspectors: r.try_get("inspectors")?,
                    answers: vec![],
                    findings: r.try_get("findings")?,
                    photos: vec![],
                    recorded_by: r.try_get("recorded_by")?,
                    hazards: vec![],
                })
            })
            .collect()
    }
}
