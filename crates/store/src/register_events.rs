//! The history of the registers' entries (disputes, campaigns, establishments, plans,
//! incidents, leading groups). Every change to an entry appends one row here, inside the
//! change's own transaction, so an entry's timeline can neither miss a change nor show one
//! that did not happen. Case events stay in `case_events`; this table is only for entries
//! that are not cases.

use crate::{now_ms, Actor, Result, Store};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// Which entry an event belongs to: the register's name and the entry's id in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    /// `dispute`, `screening`, `inspection_campaign`, `establishment`, `plan`,
    /// `incident`, `leading_group`, …
    pub register: &'a str,
    pub id: i64,
}

/// One row of an entry's timeline.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegisterEvent {
    pub id: i64,
    pub kind: String,
    /// The change's details, as the JSON object the register wrote.
    pub payload: serde_json::Value,
    pub actor_name: String,
    /// When it happened (milliseconds since the epoch, UTC).
    pub at: i64,
}

/// Appends one event to an entry's history inside the caller's transaction. `unit_path`
/// is the path of the unit responsible for the entry, so scoped readers can be checked.
pub(crate) async fn append_register_event(
    tx: &mut Transaction<'_, Any>,
    entry: EntryRef<'_>,
    unit_path: &str,
    kind: &str,
    payload: &serde_json::Value,
    actor: &Actor,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO register_events
            (register, entry_id, unit_path, kind, payload, actor_id, actor_name, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(entry.register)
    .bind(entry.id)
    .bind(unit_path)
    .bind(kind)
    .bind(payload.to_string())
    .bind(actor.id)
    .bind(actor.name.as_str())
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

impl Store {
    /// An entry's history, oldest first. The caller has already checked that it may read
    /// the entry.
    pub async fn register_events(&self, entry: EntryRef<'_>) -> Result<Vec<RegisterEvent>> {
        let rows = sqlx::query(
            "SELECT id, kind, payload, actor_name, at FROM register_events
             WHERE register = $1 AND entry_id = $2 ORDER BY id",
        )
        .bind(entry.register)
        .bind(entry.id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let payload: String = r.try_get("payload")?;
                Ok(RegisterEvent {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                    actor_name: r.try_get("actor_name")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}
