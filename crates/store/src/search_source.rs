//! What the search index reads: the searchable text of cases named by the event feed.
//! Not scoped: only the indexer calls it, and search applies the caller's scope.

use crate::error::code;
use crate::{Result, Store};
use sqlx::Row;
use std::collections::HashMap;

/// One case's searchable text and filter values.
#[derive(Debug, Clone)]
pub struct CaseText {
    pub id: i64,
    pub case_no: String,
    pub unit_path: String,
    pub state: domain::CaseState,
    pub channel: domain::Channel,
    pub case_type: domain::CaseType,
    pub category: String,
    pub region: String,
    pub received_on: String,
    pub registered_at: i64,
    pub respondent: String,
    pub content: String,
    pub demands: String,
    /// Replies, notes and reasons written in the case's events, oldest first.
    pub notes: Vec<String>,
    /// The petitioners' names (personal data).
    pub names: Vec<String>,
}

/// Payload keys whose text a clerk wrote on the case.
const NOTE_KEYS: &[&str] = &["text", "note", "reason", "summary", "opinion", "result"];

fn collect_notes(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match v {
                    serde_json::Value::String(s) if NOTE_KEYS.contains(&k.as_str()) => {
                        if !s.trim().is_empty() && !out.contains(s) {
                            out.push(s.clone());
                        }
                    }
                    _ => collect_notes(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_notes(i, out)),
        _ => {}
    }
}

pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

impl Store {
    /// The searchable text of these cases (those that exist), in no particular order.
    pub async fn case_texts(&self, ids: &[i64]) -> Result<Vec<CaseText>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let list = placeholders(1, ids.len());
        let sql = format!(
            "SELECT id, case_no, unit_path, state, channel, case_type, category, region,
                    received_on, registered_at, respondent, content, demands
             FROM cases WHERE id IN ({list})"
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        let mut texts: HashMap<i64, CaseText> = HashMap::new();
        for r in q.fetch_all(&self.read).await? {
            let id: i64 = r.try_get("id")?;
            texts.insert(
                id,
                CaseText {
                    id,
                    case_no: r.try_get("case_no")?,
                    unit_path: r.try_get("unit_path")?,
                    state: code(&r, "state", domain::CaseState::parse)?,
                    channel: code(&r, "channel", domain::Channel::parse)?,
                    case_type: code(&r, "case_type", domain::CaseType::parse)?,
                    category: r.try_get("category")?,
                    region: r.try_get("region")?,
                    received_on: r.try_get("received_on")?,
                    registered_at: r.try_get("registered_at")?,
                    respondent: r.try_get("respondent")?,
                    content: r.try_get("content")?,
                    demands: r.try_get("demands")?,
                    notes: vec![],
                    names: vec![],
                },
            );
        }
        let sql = format!(
            "SELECT case_id, name FROM case_petitioners WHERE case_id IN ({list})
             ORDER BY case_id, position"
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        for (id, name) in q.fetch_all(&self.read).await? {
            if let Some(t) = texts.get_mut(&id) {
                t.names.push(name);
            }
        }
        let sql = format!(
            "SELECT case_id, payload FROM case_events WHERE case_id IN ({list}) ORDER BY seq"
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        for (id, payload) in q.fetch_all(&self.read).await? {
            if let (Some(t), Ok(v)) = (
                texts.get_mut(&id),
                serde_json::from_str::<serde_json::Value>(&payload),
            ) {
                collect_notes(&v, &mut t.notes);
            }
        }
        Ok(texts.into_values().collect())
    }

    /// The highest event sequence number written so far (0 with none): how far the feed
    /// reaches, for the index's progress and to tell an index of another database.
    pub async fn last_event_seq(&self) -> Result<i64> {
        let (seq,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM case_events")
            .fetch_one(&self.read)
            .await?;
        Ok(seq)
    }
}
