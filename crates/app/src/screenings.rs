//! Screening campaigns (排查): a leader or supervisor asks the units below to screen
//! their sectors for disputes over a date range; each covered unit answers with the
//! entries it registered or an explicit "nothing found".

use crate::disputes::text_in;
use crate::{App, AppError, AppResult, Caller};
use domain::dispute::{check_period, ScreeningAnswer, MAX_TEXT, MAX_TITLE};
use domain::register_event::ScreeningEvent;
use domain::{FieldErrors, Permission};
use store::{NewScreening, RegisterEvent, Screening, ScreeningRow};

/// What opening a campaign says.
#[derive(Debug, Clone, Default)]
pub struct ScreeningInput {
    pub title: String,
    /// The sectors screened, as free text (e.g. "建筑工地、劳动密集型企业").
    pub sectors: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Codes of the covered units, each strictly below the caller's unit.
    pub units: Vec<String>,
}

/// Most units one campaign covers.
pub const MAX_COVERED: usize = 500;

impl App {
    /// Campaigns the caller issued (or whose subtree did) or whose unit is covered.
    pub async fn screenings(&self, who: &Caller) -> AppResult<Vec<ScreeningRow>> {
        Ok(self.store.screenings(&who.scope()).await?)
    }

    /// The units below the caller's, which a campaign may cover (tree order).
    pub async fn units_below(&self, who: &Caller) -> AppResult<Vec<store::Unit>> {
        let mut units = self.store.units_under(&who.unit_path).await?;
        units.retain(|u| u.path != who.unit_path && !u.retired);
        units.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(units)
    }

    /// One campaign with its progress by unit.
    pub async fn screening(&self, who: &Caller, id: i64) -> AppResult<Screening> {
        Ok(self.store.screening(&who.scope(), id).await?)
    }

    /// A campaign's timeline.
    pub async fn screening_timeline(
        &self,
        who: &Caller,
        id: i64,
    ) -> AppResult<Vec<RegisterEvent<ScreeningEvent>>> {
        self.screening(who, id).await?;
        Ok(self.store.register_events(id).await?)
    }

    /// Opens a campaign for units below the caller's.
    pub async fn create_screening(&self, who: &Caller, i: &ScreeningInput) -> AppResult<Screening> {
        who.require(Permission::RunScreenings)?;
        let mut e = FieldErrors::new();
        let title = text_in(&mut e, "title", &i.title, MAX_TITLE, true);
        let sectors = text_in(&mut e, "sectors", &i.sectors, MAX_TEXT, false);
        let period = check_period(&i.starts_on, &i.ends_on);
        if let Err(p) = &period {
            e.extend(p.clone());
        }
        let mut codes: Vec<&str> = i
            .units
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        let mut units = vec![];
        if codes.is_empty() {
            e.insert("units".into(), "required".into());
        } else if codes.len() > MAX_COVERED {
            e.insert("units".into(), "too_many".into());
        }
        for c in codes {
            match self.store.unit_by_code(c).await {
                Ok(u) if u.path.starts_with(&who.unit_path) && u.path != who.unit_path => {
                    units.push(u)
                }
                _ => {
                    e.insert("units".into(), "not_below".into());
                }
            }
        }
        let (starts, ends) = match period {
            Ok(p) if e.is_empty() => p,
            _ => return Err(AppError::Validation(e)),
        };
        let s = NewScreening {
            issuer: self.store.unit(who.unit_id).await?,
            title,
            sectors,
            starts_on: starts.to_string(),
            ends_on: ends.to_string(),
            units,
        };
        let id = self.store.create_screening(&s, &who.actor()).await?;
        self.screening(who, id).await
    }

    /// The caller's unit answers a campaign that covers it: the entries it found, or
    /// "nothing found".
    pub async fn answer_screening(
        &self,
        who: &Caller,
        id: i64,
        answer: &str,
        note: &str,
        disputes: &[i64],
    ) -> AppResult<Screening> {
        let s = self.screening(who, id).await?;
        who.require(Permission::KeepDisputes)?;
        if !s.covered.iter().any(|u| u.unit_id == who.unit_id) {
            return Err(AppError::Forbidden);
        }
        let mut e = FieldErrors::new();
        let note = text_in(&mut e, "note", note, MAX_TEXT, false);
        let mut ids = disputes.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let answer = ScreeningAnswer::parse(answer.trim());
        match answer {
            None => {
                e.insert("answer".into(), "invalid".into());
            }
            Some(ScreeningAnswer::Found) if ids.is_empty() => {
                e.insert("disputes".into(), "required".into());
            }
            Some(ScreeningAnswer::NothingFound) if !ids.is_empty() => {
                e.insert("disputes".into(), "must_be_empty".into());
            }
            Some(_) => {}
        }
        for d in &ids {
            if self.dispute(who, *d).await.is_err() {
                e.insert("disputes".into(), "not_found".into());
            }
        }
        let today = self.config.today().to_string();
        let answer = match answer {
            Some(a) if e.is_empty() => a,
            _ => return Err(AppError::Validation(e)),
        };
        let unit = self.store.unit(who.unit_id).await?;
        self.store
            .answer_screening(
                id,
                &s.row.unit_path,
                &unit,
                answer,
                &note,
                &today,
                &ids,
                &who.actor(),
            )
            .await?;
        self.screening(who, id).await
    }
}
