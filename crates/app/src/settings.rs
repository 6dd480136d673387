//! Settings, by whom they belong to (`domain::may_change_settings`). The public portal's
//! contact block speaks for the whole installation, so only an admin of the root unit
//! changes it. Notice templates belong to a unit: a unit's admin edits the templates of
//! its own unit or of a unit below it, and an edit overrides the parent's for that
//! subtree.

use crate::{App, AppError, AppResult, Caller};
use domain::{may_change_settings, FieldErrors, SettingScope};
use std::collections::BTreeMap;
use store::{NoticeTemplate, StoreError, Unit, PORTAL_SETTING_KEYS};

/// The longest contact detail, title and body an admin may set.
pub const MAX_SETTING_CHARS: usize = 300;
const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 20_000;

/// Text an admin typed: no control characters except line breaks and tabs.
fn clean_text(s: &str, multi_line: bool) -> bool {
    s.chars()
        .all(|c| !c.is_control() || (multi_line && matches!(c, '\n' | '\t')))
}

impl Caller {
    /// Whether the caller may change installation-wide settings (the portal's contact
    /// block): an admin of the root of the tree.
    pub fn may_change_installation(&self) -> bool {
        may_change_settings(
            self.role,
            self.scope().is_root(),
            SettingScope::Installation,
        )
    }
}

impl App {
    /// Changes the portal's contact block: root admins only (`Forbidden` for anyone
    /// else). Every value is checked; an empty one hides its line.
    pub async fn set_portal(
        &self,
        who: &Caller,
        values: &BTreeMap<String, String>,
    ) -> AppResult<()> {
        if !who.may_change_installation() {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let mut clean = BTreeMap::new();
        for (k, v) in values {
            let v = v.trim();
            if !PORTAL_SETTING_KEYS.contains(&k.as_str()) {
                errors.insert(k.clone(), "unknown_setting".into());
            } else if v.chars().count() > MAX_SETTING_CHARS {
                errors.insert(k.clone(), "too_long".into());
            } else if !clean_text(v, false) {
                errors.insert(k.clone(), "invalid_characters".into());
            } else {
                clean.insert(k.clone(), v.to_string());
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(self.store.set_portal_settings(&clean, &who.actor()).await?)
    }

    /// The unit whose templates the admin means: its own unit, or a unit by code that
    /// must be in its subtree (`Forbidden` otherwise: it may not change another unit's
    /// templates).
    pub async fn template_unit(&self, who: &Caller, code: Option<&str>) -> AppResult<Unit> {
        let unit = match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => self.store.unit(who.unit_id).await?,
            Some(code) if code.chars().any(char::is_control) => {
                return Err(AppError::field("unit", "unknown_unit"))
            }
            Some(code) => match self.store.unit_by_code(code).await {
                Ok(u) => u,
                Err(StoreError::NotFound) => return Err(AppError::field("unit", "unknown_unit")),
                Err(e) => return Err(e.into()),
            },
        };
        let scope = SettingScope::Unit {
            in_callers_subtree: who.scope().contains(&unit.path),
        };
        if may_change_settings(who.role, who.scope().is_root(), scope) {
            Ok(unit)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Sets (or, with an empty body, removes) the template of the unit `unit_code` (the
    /// caller's own when `None`), with its audit row. Returns the unit.
    pub async fn set_template(
        &self,
        who: &Caller,
        unit_code: Option<&str>,
        kind: &str,
        lang: domain::annual::DocumentLang,
        tpl: &NoticeTemplate,
    ) -> AppResult<Unit> {
        let unit = self.template_unit(who, unit_code).await?;
        let tpl = NoticeTemplate {
            title: tpl.title.trim().to_string(),
            body: tpl.body.replace("\r\n", "\n"),
        };
        let mut errors = FieldErrors::new();
        if tpl.title.chars().count() > MAX_TITLE_CHARS {
            errors.insert("title".into(), "too_long".into());
        } else if !clean_text(&tpl.title, false) {
            errors.insert("title".into(), "invalid_characters".into());
        }
        if tpl.body.chars().count() > MAX_BODY_CHARS {
            errors.insert("body".into(), "too_long".into());
        } else if !clean_text(&tpl.body, true) {
            errors.insert("body".into(), "invalid_characters".into());
        }
        if !tpl.body.trim().is_empty() && tpl.title.is_empty() {
            errors.insert("title".into(), "required".into());
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        self.store
            .set_notice_template(&unit, kind, lang, &tpl, &who.actor())
            .await?;
        Ok(unit)
    }
}
