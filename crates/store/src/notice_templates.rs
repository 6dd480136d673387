//! Notice templates: the shipped defaults (data/notices.toml) and an admin's edits.

use crate::{now_ms, Actor, Result, Store, StoreError};
use serde::Deserialize;
use sqlx::Row;
use std::collections::BTreeMap;

const DEFAULTS: &str = include_str!("../../../data/notices.toml");

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct NoticeTemplate {
    pub title: String,
    pub body: String,
}

type Defaults = BTreeMap<String, BTreeMap<String, NoticeTemplate>>;

fn defaults() -> Result<Defaults> {
    toml::from_str(DEFAULTS).map_err(|e| StoreError::Data(format!("notices.toml: {e}")))
}

/// The kinds of notice that ship, in file order is not kept, so sorted.
pub fn notice_kinds() -> Result<Vec<String>> {
    Ok(defaults()?.into_keys().collect())
}

impl Store {
    /// The template for `kind` in `lang` (`zh` or `en`): the admin's, else the default.
    pub async fn notice_template(&self, kind: &str, lang: &str) -> Result<NoticeTemplate> {
        let row =
            sqlx::query("SELECT title, body FROM notice_templates WHERE kind = $1 AND lang = $2")
                .bind(kind)
                .bind(lang)
                .fetch_optional(&self.read)
                .await?;
        if let Some(r) = row {
            return Ok(NoticeTemplate {
                title: r.try_get("title")?,
                body: r.try_get("body")?,
            });
        }
        defaults()?
            .get(kind)
            .and_then(|by_lang| by_lang.get(lang))
            .cloned()
            .ok_or(StoreError::NotFound)
    }

    /// Replaces a template; an empty body goes back to the default.
    pub async fn set_notice_template(
        &self,
        kind: &str,
        lang: &str,
        t: &NoticeTemplate,
        actor: &Actor,
    ) -> Result<()> {
        if !defaults()?.get(kind).is_some_and(|l| l.contains_key(lang)) {
            return Err(StoreError::NotFound);
        }
        if t.body.trim().is_empty() {
            sqlx::query("DELETE FROM notice_templates WHERE kind = $1 AND lang = $2")
                .bind(kind)
                .bind(lang)
                .execute(&self.write)
                .await?;
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO notice_templates (kind, lang, title, body, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (kind, lang) DO UPDATE SET title = excluded.title, body = excluded.body,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(kind)
        .bind(lang)
        .bind(&t.title)
        .bind(&t.body)
        .bind(now_ms())
        .bind(&actor.name)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_ships_in_both_languages() {
        let d = defaults().expect("notices.toml parses");
        assert!(d.len() >= 8);
        for (kind, langs) in &d {
            assert!(
                langs.contains_key("zh") && langs.contains_key("en"),
                "{kind}"
            );
        }
    }
}
