//! What the public portal reads without a login: the key a petitioner's query code is
//! checked against, and the office's published contact details.

use crate::audit::{audit_in, AuditSubject};
use crate::{now_ms, Actor, Result, Store};
use sqlx::Row;
use std::collections::BTreeMap;

/// A case as far as tracking needs it before the code is checked: its id and its code.
#[derive(Debug, Clone)]
pub struct TrackingKey {
    pub id: i64,
    pub query_code: String,
}

/// The contact details the portal's home page publishes, by key.
pub const PORTAL_SETTING_KEYS: &[&str] = &[
    "office_name",
    "visit_address",
    "visit_hours",
    "phone",
    "duty_phone",
    "letter_address",
    "email",
];

impl Store {
    /// The id and query code of the case with this number, in any unit. The caller
    /// compares the code in constant time, and answers a wrong number and a wrong code
    /// alike.
    pub async fn tracking_key(&self, case_no: &str) -> Result<Option<TrackingKey>> {
        let row = sqlx::query("SELECT id, query_code FROM cases WHERE case_no = $1")
            .bind(case_no)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| {
            Ok(TrackingKey {
                id: r.try_get("id")?,
                query_code: r.try_get("query_code")?,
            })
        })
        .transpose()
    }

    /// The published contact details; keys that were never set are absent.
    pub async fn portal_settings(&self) -> Result<BTreeMap<String, String>> {
        let rows = sqlx::query("SELECT key, value FROM portal_settings")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
            .collect()
    }

    /// Sets the published contact details (an empty value hides one; keys outside
    /// [`PORTAL_SETTING_KEYS`] are ignored), with one audit row naming the changed keys, in
    /// one transaction. These speak for the whole installation: the caller checks that
    /// the actor is an admin of the root unit.
    pub async fn set_portal_settings(
        &self,
        values: &BTreeMap<String, String>,
        actor: &Actor,
    ) -> Result<()> {
        let before = self.portal_settings().await?;
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let mut changed = vec![];
        for key in PORTAL_SETTING_KEYS {
            let Some(value) = values.get(*key) else {
                continue;
            };
            if before.get(*key).map(String::as_str).unwrap_or("") == value {
                continue;
            }
            sqlx::query(
                "INSERT INTO portal_settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(*key)
            .bind(value)
            .bind(now)
            .bind(actor.id)
            .execute(&mut *tx)
            .await?;
            changed.push(format!("{key}={value}"));
        }
        if !changed.is_empty() {
            audit_in(
                &mut tx,
                actor,
                "portal_settings_set",
                "portal",
                &changed.join("; ").chars().take(1000).collect::<String>(),
                AuditSubject::None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
