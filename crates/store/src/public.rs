//! What the public portal reads without a login: the key a petitioner's query code is
//! checked against, and the office's published contact details.

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

    /// Sets one published contact detail (an empty value hides it).
    pub async fn set_portal_setting(&self, key: &str, value: &str, actor: &Actor) -> Result<()> {
        sqlx::query(
            "INSERT INTO portal_settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(key)
        .bind(value)
        .bind(now_ms())
        .bind(actor.id)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
