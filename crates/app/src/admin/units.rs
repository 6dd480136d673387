//! Creating, renaming, retiring and restoring units.

use super::change_detail;
use crate::{App, AppError, AppResult, Caller};
use domain::{Line, Permission, UnitCode, UnitLevel};
use serde::Deserialize;
use store::{AuditNote, NewUnit, Unit};

/// Longest unit name, in characters.
pub const MAX_UNIT_NAME_CHARS: usize = 100;

/// A new unit, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct UnitForm {
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// province | city | county | township | village | department
    pub level: String,
    /// The parent unit's code; required (the root exists already).
    pub parent: String,
}

/// A unit's new names, and whether it is retired (`None` leaves that as it is).
#[derive(Debug, Clone, Deserialize)]
pub struct UnitRename {
    pub name: String,
    pub name_en: String,
    pub retired: Option<bool>,
}

impl App {
    /// Creates a unit below one in the admin's subtree, with its audit row.
    pub async fn create_unit_checked(&self, who: &Caller, input: &UnitForm) -> AppResult<Unit> {
        who.require(Permission::Administer)?;
        let mut errors = domain::FieldErrors::new();
        let code = UnitCode::parse(&input.code);
        if code.is_none() {
            errors.insert("code".into(), "invalid_unit_code".into());
        }
        let name = match Line::required(&input.name, MAX_UNIT_NAME_CHARS) {
            Ok(n) => Some(n),
            Err(e) => {
                errors.insert("name".into(), e.code().into());
                None
            }
        };
        let name_en = match Line::parse(&input.name_en, MAX_UNIT_NAME_CHARS) {
            Ok(n) => Some(n),
            Err(e) => {
                errors.insert("name_en".into(), e.code().into());
                None
            }
        };
        let level = UnitLevel::parse(input.level.trim());
        if level.is_none() {
            errors.insert("level".into(), "invalid_level".into());
        }
        let parent = match self
            .unit_in_scope(&who.scope(), &input.parent, "parent")
            .await
        {
            Ok(p) => Some(p),
            Err(AppError::Validation(f)) => {
                errors.extend(f);
                None
            }
            Err(e) => return Err(e),
        };
        if parent.as_ref().is_some_and(|p| p.retired) {
            errors.insert("parent".into(), "unit_retired".into());
        }
        match (code, level, parent, name, name_en) {
            (Some(code), Some(level), Some(parent), Some(name), Some(name_en))
                if errors.is_empty() =>
            {
                let actor = who.actor();
                let note = AuditNote {
                    actor: &actor,
                    action: "unit_created",
                    target: code.as_str().to_string(),
                    detail: change_detail(&[
                        ("name", "".into(), name.as_str().into()),
                        ("parent", "".into(), parent.code.clone().into()),
                    ]),
                };
                let unit = self
                    .store
                    .create_unit_audited(
                        &NewUnit {
                            code: code.as_str().to_string(),
                            name: name.into_string(),
                            name_en: name_en.into_string(),
                            level,
                            parent_id: Some(parent.id),
                        },
                        &note,
                    )
                    .await
                    .map_err(|e| match e {
                        store::StoreError::Duplicate { .. } => {
                            AppError::field("code", "duplicate_unit_code")
                        }
                        e => e.into(),
                    })?;
                Ok(unit)
            }
            _ => Err(AppError::Validation(errors)),
        }
    }

    /// Renames a unit or retires it, with its audit row. Units are never deleted.
    pub async fn update_unit_checked(
        &self,
        who: &Caller,
        code: &str,
        input: &UnitRename,
    ) -> AppResult<Unit> {
        who.require(Permission::Administer)?;
        let unit = self
            .unit_in_scope(&who.scope(), code, "code")
            .await
            .map_err(|_| AppError::NotFound)?;
        let name = Line::required(&input.name, MAX_UNIT_NAME_CHARS)
            .map_err(|e| AppError::field("name", e.code()))?;
        let name_en = Line::parse(&input.name_en, MAX_UNIT_NAME_CHARS)
            .map_err(|e| AppError::field("name_en", e.code()))?;
        let (name, name_en) = (name.as_str(), name_en.as_str());
        let retired = input.retired.unwrap_or(unit.retired);
        if retired && unit.id == who.unit_id {
            return Err(AppError::field("retired", "cannot_retire_own_unit"));
        }
        let action = match (unit.retired, retired) {
            (false, true) => "unit_retired",
            (true, false) => "unit_restored",
            _ => "unit_updated",
        };
        let actor = who.actor();
        let note = AuditNote {
            actor: &actor,
            action,
            target: unit.code.clone(),
            detail: change_detail(&[
                ("name", unit.name.clone().into(), name.into()),
                ("name_en", unit.name_en.clone().into(), name_en.into()),
            ]),
        };
        Ok(self
            .store
            .update_unit_audited(unit.id, name, name_en, retired, &note)
            .await?)
    }
}
