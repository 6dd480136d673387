//! The history of the registers' entries (disputes, campaigns, establishments, plans,
//! incidents, leading groups, hotspots). Every change to an entry appends one row here,
//! inside the change's own transaction, so an entry's timeline can neither miss a change
//! nor show one that did not happen. Case events stay in `case_events`; this table is only
//! for entries that are not cases.
//!
//! Each register's events are a typed enum in `domain::register_event`; they are encoded
//! and decoded here only, through [`RegisterHistory`].

use crate::{now_ms, Actor, Result, Store};
use domain::register_event::RegisterHistory;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use sqlx::{Any, Row, Transaction};

/// One row of an entry's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterEvent<E> {
    pub id: i64,
    /// What happened, typed (the register's `Other` for a row this build cannot read).
    pub event: E,
    pub actor_name: String,
    /// When it happened (milliseconds since the epoch, UTC).
    pub at: i64,
}

impl<E: RegisterHistory> RegisterEvent<E> {
    /// The stored kind: `created`, `closed`, …
    pub fn kind(&self) -> String {
        self.event.kind()
    }
}

/// In the API: `id`, `kind`, `payload` (the stored JSON object), `actor_name`, `at`.
impl<E: RegisterHistory> Serialize for RegisterEvent<E> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let stored = self.event.stored();
        let mut r = s.serialize_struct("RegisterEvent", 5)?;
        r.serialize_field("id", &self.id)?;
        r.serialize_field("kind", &stored.kind)?;
        r.serialize_field("payload", &stored.payload)?;
        r.serialize_field("actor_name", &self.actor_name)?;
        r.serialize_field("at", &self.at)?;
        r.end()
    }
}

/// Appends one event to the history of entry `id` of the event's register, inside the
/// caller's transaction. `unit_path` is the path of the unit responsible for the entry,
/// so scoped readers can be checked.
pub(crate) async fn append_register_event<E: RegisterHistory>(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    unit_path: &str,
    event: &E,
    actor: &Actor,
) -> Result<i64> {
    let stored = event.stored();
    let row = sqlx::query(
        "INSERT INTO register_events
            (register, entry_id, unit_path, kind, payload, actor_id, actor_name, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(E::REGISTER)
    .bind(id)
    .bind(unit_path)
    .bind(&stored.kind)
    .bind(stored.payload.to_string())
    .bind(actor.id)
    .bind(actor.name.as_str())
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

impl Store {
    /// The history of entry `id` of register `E`, oldest first. The caller has already
    /// checked that it may read the entry. A row whose payload is not JSON reads as the
    /// register's `Other` with a null payload.
    pub async fn register_events<E: RegisterHistory>(
        &self,
        id: i64,
    ) -> Result<Vec<RegisterEvent<E>>> {
        let rows = sqlx::query(
            "SELECT id, kind, payload, actor_name, at FROM register_events
             WHERE register = $1 AND entry_id = $2 ORDER BY id",
        )
        .bind(E::REGISTER)
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let payload: String = r.try_get("payload")?;
                let payload = serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null);
                Ok(RegisterEvent {
                    id: r.try_get("id")?,
                    event: E::decode(&kind, &payload),
                    actor_name: r.try_get("actor_name")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}
