//! Notice templates: the shipped defaults (data/notices.toml) and admins' edits, kept per
//! unit. A notice uses the template of the nearest unit up the tree from the unit that
//! issued it, else the default; so a unit's edit reaches its own subtree and nothing else.

use crate::audit::{audit_in, AuditSubject};
use crate::{now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::annual::DocumentLang;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::BTreeMap;

const DEFAULTS: &str = include_str!("../../../data/notices.toml");

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct NoticeTemplate {
    pub title: String,
    pub body: String,
}

/// Where a unit's template comes from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum TemplateSource {
    /// The shipped default.
    Default,
    /// The unit's own edit, or the nearest edit of a unit above it.
    Unit { code: String, name: String },
}

/// A template as a unit sees it, and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct UnitTemplate {
    pub kind: String,
    pub lang: DocumentLang,
    #[serde(flatten)]
    pub template: NoticeTemplate,
    pub source: TemplateSource,
}

type Defaults = BTreeMap<String, BTreeMap<String, NoticeTemplate>>;

fn defaults() -> Result<Defaults> {
    toml::from_str(DEFAULTS).map_err(|e| StoreError::Data(format!("notices.toml: {e}")))
}

/// The kinds of notice that ship, sorted.
pub fn notice_kinds() -> Result<Vec<String>> {
    Ok(defaults()?.into_keys().collect())
}

impl Store {
    /// The template for `kind` in `lang` (`zh` or `en`) for a notice issued by the unit at
    /// `unit_path`: the nearest edit up the tree, else the default.
    pub async fn notice_template(
        &self,
        unit_path: &str,
        kind: &str,
        lang: DocumentLang,
    ) -> Result<NoticeTemplate> {
        Ok(self.notice_template_from(unit_path, kind, lang).await?.0)
    }

    /// [`Store::notice_template`], with where it comes from.
    pub async fn notice_template_from(
        &self,
        unit_path: &str,
        kind: &str,
        lang: DocumentLang,
    ) -> Result<(NoticeTemplate, TemplateSource)> {
        let chain = Scope::new(unit_path).unit_ids();
        if !chain.is_empty() {
            let marks = (0..chain.len())
                .map(|i| format!("${}", i + 3))
                .collect::<Vec<_>>()
                .join(", ");
            let q = format!(
                "SELECT t.unit_id, t.title, t.body, u.code, u.name FROM notice_templates t
                 JOIN units u ON u.id = t.unit_id
                 WHERE t.kind = $1 AND t.lang = $2 AND t.unit_id IN ({marks})"
            );
            let mut query = sqlx::query(&q).bind(kind).bind(lang.as_str());
            for id in &chain {
                query = query.bind(*id);
            }
            let rows = query.fetch_all(&self.read).await?;
            // The nearest unit is the deepest one in the chain.
            let mut best: Option<(usize, &sqlx::any::AnyRow)> = None;
            for r in &rows {
                let id: i64 = r.try_get("unit_id")?;
                let depth = chain.iter().position(|c| *c == id).unwrap_or(0);
                if best.is_none_or(|(d, _)| depth > d) {
                    best = Some((depth, r));
                }
            }
            if let Some((_, r)) = best {
                return Ok((
                    NoticeTemplate {
                        title: r.try_get("title")?,
                        body: r.try_get("body")?,
                    },
                    TemplateSource::Unit {
                        code: r.try_get("code")?,
                        name: r.try_get("name")?,
                    },
                ));
            }
        }
        let t = defaults()?
            .get(kind)
            .and_then(|by_lang| by_lang.get(lang.as_str()))
            .cloned()
            .ok_or(StoreError::NotFound)?;
        Ok((t, TemplateSource::Default))
    }

    /// Every template as `unit` sees it, by kind then language.
    pub async fn notice_templates_for(&self, unit: &Unit) -> Result<Vec<UnitTemplate>> {
        let mut out = vec![];
        for kind in notice_kinds()? {
            for lang in DocumentLang::ALL {
                let (template, source) =
                    self.notice_template_from(&unit.path, &kind, *lang).await?;
                out.push(UnitTemplate {
                    kind: kind.clone(),
                    lang: *lang,
                    template,
                    source,
                });
            }
        }
        Ok(out)
    }

    /// Sets `unit`'s template for its subtree; an empty body removes the unit's edit, so
    /// the parent's (or the default) applies again. The audit row is written in the same
    /// transaction. `NotFound` for a kind or language that does not ship.
    pub async fn set_notice_template(
        &self,
        unit: &Unit,
        kind: &str,
        lang: DocumentLang,
        t: &NoticeTemplate,
        actor: &Actor,
    ) -> Result<()> {
        if !defaults()?
            .get(kind)
            .is_some_and(|l| l.contains_key(lang.as_str()))
        {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.write.begin().await?;
        let target = format!("{}:{kind}:{}", unit.code, lang.as_str());
        if t.body.trim().is_empty() {
            sqlx::query(
                "DELETE FROM notice_templates WHERE unit_id = $1 AND kind = $2 AND lang = $3",
            )
            .bind(unit.id)
            .bind(kind)
            .bind(lang.as_str())
            .execute(&mut *tx)
            .await?;
            let subject = AuditSubject::UnitPath(&unit.path);
            audit_in(
                &mut tx,
                actor,
                "notice_template_reset",
                &target,
                "",
                subject,
            )
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO notice_templates (unit_id, kind, lang, title, body, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (unit_id, kind, lang) DO UPDATE SET title = excluded.title,
                     body = excluded.body, updated_at = excluded.updated_at,
                     updated_by = excluded.updated_by",
            )
            .bind(unit.id)
            .bind(kind)
            .bind(lang.as_str())
            .bind(&t.title)
            .bind(&t.body)
            .bind(now_ms())
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
            let detail: String = t.title.chars().take(100).collect();
            let subject = AuditSubject::UnitPath(&unit.path);
            audit_in(
                &mut tx,
                actor,
                "notice_template_set",
                &target,
                &detail,
                subject,
            )
            .await?;
        }
        tx.commit().await?;
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
