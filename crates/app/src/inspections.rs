//! Safety inspection campaigns (安全隐患排查): campaigns over kinds of establishment under
//! a unit and a date range, the checklists per kind (admins edit them), inspections with
//! their answers, photos, findings and hazards, and each hazard's road through a
//! rectification order, a re-inspection and, when not fixed, a suspension order. The
//! rules are `domain::inspection`'s; scope is the caller's subtree.

use crate::attachments::{check, path_for, Upload};
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use domain::inspection::{
    may_edit_checklists, may_inspect, next_state, rectify_due, Answer, EstablishmentKind,
    HazardState, HazardStep, OrderKind, Severity, DEFAULT_RECTIFY_DAYS, MAX_RECTIFY_DAYS,
};
use domain::register_event::EstablishmentEvent;
use domain::FieldErrors;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use store::NewInspection;
pub use store::{
    Campaign, CampaignUnit, ChecklistAnswer, Establishment, Hazard, HazardOrder, Inspection,
    RegisterEvent,
};

/// Most photos one inspection keeps.
pub const MAX_PHOTOS: usize = 6;
/// Most hazards one inspection records.
pub const MAX_HAZARDS: usize = 10;

/// What a campaign says.
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    pub name: String,
    pub kinds: Vec<String>,
    /// The units it covers (codes), each with its subtree; `unit` when none.
    pub units: Vec<String>,
    /// One unit it covers (the older form of `units`); the caller's by default.
    pub unit: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
}

/// What an inspection records. `answers` follow the kind's checklist, item by item.
#[derive(Default)]
pub struct InspectionInput {
    pub establishment_id: i64,
    pub inspected_on: String,
    pub inspectors: String,
    pub answers: Vec<String>,
    pub findings: String,
    /// Each hazard's description and severity.
    pub hazards: Vec<(String, String)>,
    pub photos: Vec<Upload>,
}

/// One unit's line of a campaign's progress.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProgressRow {
    pub unit_code: String,
    pub unit_name: String,
    pub total: i64,
    pub visited: i64,
    pub open_hazards: i64,
    pub overdue_orders: i64,
}

/// A campaign with its progress by unit and in all.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub units: Vec<ProgressRow>,
    pub total: ProgressRow,
    /// The establishments it covers, each with whether it was visited.
    pub establishments: Vec<EstablishmentStanding>,
    pub hazards: Vec<Hazard>,
    pub inspections: Vec<Inspection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EstablishmentStanding {
    #[serde(flatten)]
    pub establishment: Establishment,
    pub visited: bool,
    pub open_hazards: i64,
    pub overdue_orders: i64,
}

pub(crate) fn date(field: &str, s: &str, errs: &mut FieldErrors) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errs.insert(
                field.into(),
                if s.trim().is_empty() {
                    "required"
                } else {
                    "invalid_date"
                }
                .into(),
            );
            None
        }
    }
}

pub(crate) fn text(field: &str, s: &str, max: usize, required: bool, errs: &mut FieldErrors) {
    let n = s.trim().chars().count();
    if required && n == 0 {
        errs.insert(field.into(), "required".into());
    } else if n > max {
        errs.insert(field.into(), "too_long".into());
    }
}

pub(crate) fn done(errs: FieldErrors) -> AppResult<()> {
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errs))
    }
}

impl App {
    pub(crate) fn require_inspector(&self, who: &Caller) -> AppResult<()> {
        if may_inspect(who.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Where inspection photos are kept: beside the attachments, not among them (the
    /// attachment sweep removes files no attachment names).
    pub fn inspection_photo_dir(&self) -> PathBuf {
        self.config
            .attachments_dir
            .with_file_name("inspection-photos")
    }

    pub async fn establishments(
        &self,
        who: &Caller,
        kind: Option<&str>,
        unit: Option<&str>,
    ) -> AppResult<Vec<Establishment>> {
        let under = match unit.filter(|u| !u.is_empty()) {
            Some(code) => Some(self.store.unit_by_code(code).await?.path),
            None => None,
        };
        let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            // No establishment is of a kind this build does not know.
            Some(k) => match EstablishmentKind::parse(k) {
                Some(k) => Some(k),
                None => return Ok(vec![]),
            },
        };
        Ok(self
            .store
            .establishments(&who.scope(), kind, under.as_deref())
            .await?)
    }

    pub async fn establishment(&self, who: &Caller, id: i64) -> AppResult<Establishment> {
        Ok(self.store.establishment(&who.scope(), id).await?)
    }

    /// A kind's checklist: the admin's edit, else the default.
    pub async fn checklist(&self, kind: EstablishmentKind) -> AppResult<Vec<String>> {
        Ok(match self.store.checklist_edit(kind).await? {
            Some(items) => items,
            None => kind
                .default_checklist()
                .iter()
                .map(|s| s.to_string())
                .collect(),
        })
    }

    /// Replaces a kind's checklist (admins; one item a line, blank lines dropped).
    pub async fn set_checklist(
        &self,
        who: &Caller,
        kind: EstablishmentKind,
        items: &[String],
    ) -> AppResult<Vec<String>> {
        if !may_edit_checklists(who.role) {
            return Err(AppError::Forbidden);
        }
        let items: Vec<String> = items
            .iter()
            .flat_map(|i| i.lines())
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())
            .collect();
        if items.is_empty() {
            return Err(AppError::field("items", "required"));
        }
        if items.len() > 50 || items.iter().any(|i| i.chars().count() > 200) {
            return Err(AppError::field("items", "too_long"));
        }
        self.store.set_checklist(kind, &items, &who.actor()).await?;
        Ok(items)
    }

    /// Records an inspection of an establishment the campaign covers.
    pub async fn record_inspection(
        &self,
        who: &Caller,
        campaign_id: i64,
        i: &InspectionInput,
    ) -> AppResult<Inspection> {
        self.require_inspector(who)?;
        let scope = who.scope();
        let campaign = self.store.campaign(&scope, campaign_id).await?;
        let mut errs = FieldErrors::new();
        let est = match self.store.establishment(&scope, i.establishment_id).await {
            Ok(e) if campaign.kinds.contains(&e.kind) && campaign.covers(&e.unit_path) => Some(e),
            Ok(_) | Err(store::StoreError::NotFound) => {
                errs.insert("establishment".into(), "not_in_campaign".into());
                None
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(d) = date("inspected_on", &i.inspected_on, &mut errs) {
            let inside = d.to_string() >= campaign.starts_on && d.to_string() <= campaign.ends_on;
            if d > self.config.today() {
                errs.insert("inspected_on".into(), "date_in_future".into());
            } else if !inside {
                errs.insert("inspected_on".into(), "outside_campaign".into());
            }
        }
        text("inspectors", &i.inspectors, 200, true, &mut errs);
        text("findings", &i.findings, 4000, false, &mut errs);
        let mut answers = vec![];
        if let Some(e) = &est {
            let items = self.checklist(e.kind).await?;
            for (n, item) in items.iter().enumerate() {
                match i.answers.get(n).and_then(|a| Answer::parse(a.trim())) {
                    Some(a) => answers.push(ChecklistAnswer {
                        item: item.clone(),
                        answer: a,
                    }),
                    None => {
                        errs.insert("answers".into(), "answer_missing".into());
                    }
                }
            }
        }
        let mut hazards = vec![];
        for (d, s) in &i.hazards {
            if d.trim().is_empty() {
                continue;
            }
            if d.trim().chars().count() > 1000 {
                errs.insert("hazards".into(), "too_long".into());
            }
            match Severity::parse(s.trim()) {
                Some(s) => hazards.push((d.trim().to_string(), s)),
                None => {
                    errs.insert("hazards".into(), "severity_required".into());
                }
            }
        }
        if hazards.len() > MAX_HAZARDS {
            errs.insert("hazards".into(), "too_many".into());
        }
        if i.photos.len() > MAX_PHOTOS {
            errs.insert("photos".into(), "too_many".into());
        }
        done(errs)?;
        let est = est.ok_or(AppError::NotFound)?;
        let photos = self.save_photos(&i.photos).await?;
        let new = NewInspection {
            campaign_id,
            establishment: est,
            inspected_on: i.inspected_on.trim().into(),
            inspectors: i.inspectors.trim().into(),
            answers,
            findings: i.findings.trim().into(),
            photos,
            hazards,
        };
        let id = self.store.record_inspection(&new, &who.actor()).await?;
        // After the commit: a critical hazard that meets a plan's trigger raises a
        // proposal (a person decides); failing to propose does not undo the inspection.
        if let Err(e) = self.propose_hazard_plans(id).await {
            tracing::warn!(error = %e, inspection = id, "plan proposal failed");
        }
        Ok(self.store.inspection(&scope, id).await?)
    }

    /// Checks each photo (PNG or JPEG, by content, within the upload limit) and stores it
    /// under its SHA-256, the way attachments are stored. Returns the stored names.
    async fn save_photos(&self, photos: &[Upload]) -> AppResult<Vec<String>> {
        let dir = self.inspection_photo_dir();
        let mut out = vec![];
        for p in photos {
            if p.bytes.len() > self.config.max_upload_bytes {
                return Err(AppError::upload("file_too_large", &p.filename));
            }
            let (kind, _) =
                check(&p.filename, &p.bytes).map_err(|c| AppError::upload(c, &p.filename))?;
            if !kind.inline {
                return Err(AppError::upload("file_type_not_allowed", &p.filename));
            }
            let sha = hex::encode(Sha256::digest(&p.bytes));
            let path = path_for(&dir, &sha);
            if tokio::fs::metadata(&path).await.is_err() {
                let parent = path
                    .parent()
                    .ok_or_else(|| AppError::Internal("photo path".into()))?;
                tokio::fs::create_dir_all(parent).await?;
                let tmp = parent.join(format!(".{sha}.{}", crate::random_token()));
                tokio::fs::write(&tmp, &p.bytes).await?;
                tokio::fs::rename(&tmp, &path).await?;
            }
            out.push(format!("{sha}.{}", kind.ext));
        }
        Ok(out)
    }

    /// The bytes and type of an inspection's `n`th photo.
    pub async fn inspection_photo(
        &self,
        who: &Caller,
        id: i64,
        n: usize,
    ) -> AppResult<(Vec<u8>, &'static str)> {
        let i = self.store.inspection(&who.scope(), id).await?;
        let name = i.photos.get(n).ok_or(AppError::NotFound)?;
        let (sha, ext) = name.split_once('.').ok_or(AppError::NotFound)?;
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let mime = if ext == "png" {
            "image/png"
        } else {
            "image/jpeg"
        };
        let bytes = tokio::fs::read(path_for(&self.inspection_photo_dir(), sha))
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok((bytes, mime))
    }

    pub async fn inspection(&self, who: &Caller, id: i64) -> AppResult<Inspection> {
        Ok(self.store.inspection(&who.scope(), id).await?)
    }

    pub async fn hazard(&self, who: &Caller, id: i64) -> AppResult<Hazard> {
        Ok(self.store.hazard(&who.scope(), id).await?)
    }

    fn step(&self, h: &Hazard, step: HazardStep) -> AppResult<HazardState> {
        next_state(h.state, step).ok_or(AppError::BadRequest("hazard_state"))
    }

    /// Issues the rectification order (整改通知) for an open hazard: due `days` days from
    /// today (15 by default, at most 90).
    pub async fn issue_rectification(
        &self,
        who: &Caller,
        hazard: i64,
        days: Option<i64>,
        requirements: &str,
    ) -> AppResult<HazardOrder> {
        self.require_inspector(who)?;
        let h = self.store.hazard(&who.scope(), hazard).await?;
        let to = self.step(&h, HazardStep::IssueRectification)?;
        let days = days.unwrap_or(DEFAULT_RECTIFY_DAYS);
        let mut errs = FieldErrors::new();
        if !(1..=MAX_RECTIFY_DAYS).contains(&days) {
            errs.insert("days".into(), "days_out_of_range".into());
        }
        text("requirements", requirements, 2000, true, &mut errs);
        done(errs)?;
        let today = self.config.today();
        let due = rectify_due(today, days).to_string();
        let id = self
            .store
            .issue_hazard_order(
                &h,
                h.state,
                to,
                OrderKind::Rectification,
                &today.to_string(),
                Some(&due),
                requirements.trim(),
                &who.actor(),
            )
            .await?;
        Ok(self.store.hazard_order(&who.scope(), id).await?.0)
    }

    /// Records the re-inspection of a hazard under rectification: fixed, or not.
    pub async fn reinspect(
        &self,
        who: &Caller,
        hazard: i64,
        fixed: bool,
        notes: &str,
    ) -> AppResult<Hazard> {
        self.require_inspector(who)?;
        let h = self.store.hazard(&who.scope(), hazard).await?;
        let to = self.step(&h, HazardStep::Reinspect { fixed })?;
        let mut errs = FieldErrors::new();
        text("notes", notes, 2000, !fixed, &mut errs);
        done(errs)?;
        let today = self.config.today().to_string();
        self.store
            .reinspect_hazard(&h, to, &today, notes.trim(), &who.actor())
            .await?;
        Ok(self.store.hazard(&who.scope(), hazard).await?)
    }

    /// Issues the suspension order (停业整顿) for a hazard the re-inspection found not
    /// fixed.
    pub async fn issue_suspension(
        &self,
        who: &Caller,
        hazard: i64,
        requirements: &str,
    ) -> AppResult<HazardOrder> {
        self.require_inspector(who)?;
        let h = self.store.hazard(&who.scope(), hazard).await?;
        let to = self.step(&h, HazardStep::IssueSuspension)?;
        let mut errs = FieldErrors::new();
        text("requirements", requirements, 2000, true, &mut errs);
        done(errs)?;
        let today = self.config.today().to_string();
        let id = self
            .store
            .issue_hazard_order(
                &h,
                h.state,
                to,
                OrderKind::Suspension,
                &today,
                None,
                requirements.trim(),
                &who.actor(),
            )
            .await?;
        Ok(self.store.hazard_order(&who.scope(), id).await?.0)
    }

    /// An order with its hazard and establishment.
    pub async fn hazard_order(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<(HazardOrder, Hazard, Establishment)> {
        let scope = who.scope();
        let (o, h) = self.store.hazard_order(&scope, id).await?;
        let e = self.store.establishment(&scope, h.establishment_id).await?;
        Ok((o, h, e))
    }

    /// An establishment's history, oldest first.
    pub async fn establishment_events(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent<EstablishmentEvent>>> {
        self.store.establishment(&who.scope(), id).await?;
        Ok(self.store.register_events(id).await?)
    }
}
