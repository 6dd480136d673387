//! Registering, reading and correcting cases. Every change appends to `case_events` and
//! updates the `cases` projection in the same transaction.

use crate::error::code;
use crate::registration_write::{insert_registrations, NewRegistration};
use crate::{
    now_ms, Actor, Attachment, CaseEvent, CaseRecord, CaseSummary, NewAttachment, PetitionerRecord,
    Result, Scope, Store, StoreError, Unit,
};
use domain::{CaseNo, CaseState, CaseType, Channel, Event, QueryCode, Registration, Stage};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

pub(crate) const SUMMARY_COLUMNS: &str = "c.id, c.case_no, c.unit_id, n.code AS unit_code, n.name AS unit_name,
    c.channel, c.case_type, c.category, c.region, c.headcount, c.anonymous, c.respondent, c.state, c.stage,
    c.due_on, c.received_on, c.registered_at, c.version, substr(c.content, 1, 80) AS excerpt, c.listed";

pub(crate) fn summary_from_row(r: &AnyRow) -> Result<CaseSummary> {
    let anonymous: i64 = r.try_get("anonymous")?;
    let listed: i64 = r.try_get("listed")?;
    Ok(CaseSummary {
        listed: listed != 0,
        id: r.try_get("id")?,
        case_no: r.try_get("case_no")?,
        unit_id: r.try_get("unit_id")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        channel: code(r, "channel", Channel::parse)?,
        case_type: code(r, "case_type", CaseType::parse)?,
        category: r.try_get("category")?,
        region: r.try_get("region")?,
        headcount: r.try_get("headcount")?,
        anonymous: anonymous != 0,
        respondent: r.try_get("respondent")?,
        state: code(r, "state", CaseState::parse)?,
        stage: code(r, "stage", Stage::parse)?,
        due_on: r.try_get("due_on")?,
        received_on: r.try_get("received_on")?,
        registered_at: r.try_get("registered_at")?,
        version: r.try_get("version")?,
        excerpt: r.try_get("excerpt")?,
    })
}

/// What registration hands back: enough for the receipt.
#[derive(Debug, Clone)]
pub struct RegisterResult {
    pub id: i64,
    pub case_no: CaseNo,
    pub query_code: QueryCode,
}

/// A correction to a case's registration. `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CasePatch {
    pub category: Option<String>,
    pub region: Option<String>,
    pub respondent: Option<String>,
    pub content: Option<String>,
    pub demands: Option<String>,
}

pub(crate) async fn append_event(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    kind: &str,
    actor: &Actor,
    at: i64,
    payload: &serde_json::Value,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO case_events (case_id, kind, actor_id, actor_name, at, payload)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
    )
    .bind(case_id)
    .bind(kind)
    .bind(actor.id)
    .bind(&actor.name)
    .bind(at)
    .bind(payload.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("seq")?)
}

/// Records an attachment already written to disk, with its `attachment_added` event,
/// inside the caller's transaction.
pub(crate) async fn insert_attachment(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    a: &NewAttachment,
    actor: &Actor,
    now: i64,
) -> Result<Attachment> {
    let id: i64 = sqlx::query(
        "INSERT INTO attachments (case_id, sha256, filename, content_type, size, uploaded_at, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(case_id)
    .bind(&a.sha256)
    .bind(&a.filename)
    .bind(&a.content_type)
    .bind(a.size)
    .bind(now)
    .bind(actor.id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    let event = Event::AttachmentAdded {
        filename: a.filename.clone(),
        sha256: a.sha256.clone(),
        size: a.size,
    };
    append(tx, case_id, &event, actor, now).await?;
    Ok(Attachment {
        id,
        sha256: a.sha256.clone(),
        filename: a.filename.clone(),
        content_type: a.content_type.clone(),
        size: a.size,
        uploaded_at: now,
    })
}

/// Appends a typed event: its kind and payload are encoded by [`Event`] alone.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    event: &Event,
    actor: &Actor,
    at: i64,
) -> Result<i64> {
    append_event(tx, case_id, event.kind(), actor, at, &event.payload()).await
}

/// Bumps the case's version, which takes its row lock for the rest of the transaction:
/// every change to a case does, so that the events of one case commit in the order of
/// their `seq` and a form opened before the change is refused as stale (for changes that
/// do not update the case row themselves).
pub(crate) async fn bump_version(tx: &mut Transaction<'_, Any>, case_id: i64) -> Result<()> {
    sqlx::query("UPDATE cases SET version = version + 1 WHERE id = $1")
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Registers a validated petition in `unit`. It is acknowledged only once committed.
    /// On SQLite, registrations that arrive together share one transaction and one
    /// sync to disk (group commit); each still succeeds or fails on its own.
    pub async fn register_case(
        &self,
        reg: &Registration,
        unit: &Unit,
        query_code: &QueryCode,
        year: i32,
        due: Option<(chrono::NaiveDate, bool)>,
        actor: &Actor,
    ) -> Result<RegisterResult> {
        self.register(NewRegistration {
            reg: reg.clone(),
            unit: unit.clone(),
            query_code: query_code.clone(),
            year,
            due,
            actor: actor.clone(),
            attachments: vec![],
        })
        .await
    }

    /// Registers a validated petition with its attachments, all in one transaction: the
    /// attachments' files must already be on disk, so a crash leaves at worst a file no
    /// row references (see the attachment sweep), never a case without its attachments.
    pub async fn register(&self, job: NewRegistration) -> Result<RegisterResult> {
        match &self.batcher {
            Some(b) => b.submit(job).await,
            None => {
                let mut tx = self.write.begin().await?;
                let mut results = insert_registrations(&mut tx, std::slice::from_ref(&job)).await?;
                tx.commit().await?;
                results
                    .pop()
                    .ok_or_else(|| StoreError::Data("registration wrote nothing".into()))
            }
        }
    }

    /// What group commit has done since the store was opened (all zero without it).
    pub fn registration_batches(&self) -> crate::BatchCounts {
        self.batcher
            .as_ref()
            .map(|b| b.counts())
            .unwrap_or_default()
    }

    /// A case's queue row, if it is in scope.
    pub async fn case_summary(&self, scope: &Scope, id: i64) -> Result<CaseSummary> {
        let (lo, hi) = scope.bounds();
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM cases c JOIN units n ON n.id = c.unit_id
             WHERE c.id = $1 AND c.unit_path >= $2 AND c.unit_path < $3"
        ))
        .bind(id)
        .bind(lo)
        .bind(hi)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        summary_from_row(&row)
    }

    /// A whole case with its petitioners and attachments, if it is in scope. The caller
    /// must write the audit record for the personal data this returns.
    pub async fn case(&self, scope: &Scope, id: i64) -> Result<CaseRecord> {
        let (lo, hi) = scope.bounds();
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, c.query_code, c.content, c.demands, c.registered_by, c.lifecycle
             FROM cases c JOIN units n ON n.id = c.unit_id
             WHERE c.id = $1 AND c.unit_path >= $2 AND c.unit_path < $3"
        ))
        .bind(id)
        .bind(lo)
        .bind(hi)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let summary = summary_from_row(&row)?;
        let petitioners = sqlx::query(
            "SELECT name, phone, id_number, address, representative FROM case_petitioners
             WHERE case_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            let rep: i64 = r.try_get("representative")?;
            Ok(PetitionerRecord {
                name: r.try_get("name")?,
                phone: r.try_get("phone")?,
                id_number: r.try_get("id_number")?,
                address: r.try_get("address")?,
                representative: rep != 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let attachments = self.attachments_of(id).await?;
        Ok(CaseRecord {
            summary,
            query_code: row.try_get("query_code")?,
            content: row.try_get("content")?,
            demands: row.try_get("demands")?,
            petitioners,
            attachments,
            registered_by: row.try_get("registered_by")?,
            lifecycle: row.try_get("lifecycle")?,
        })
    }

    /// The id of the case with this number, if it is in scope.
    pub async fn case_id_by_no(&self, scope: &Scope, case_no: &str) -> Result<i64> {
        let (lo, hi) = scope.bounds();
        let row = sqlx::query(
            "SELECT id FROM cases WHERE case_no = $1 AND unit_path >= $2 AND unit_path < $3",
        )
        .bind(case_no)
        .bind(lo)
        .bind(hi)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(row.try_get("id")?)
    }

    /// The case's timeline, oldest first.
    pub async fn case_events(&self, scope: &Scope, id: i64) -> Result<Vec<CaseEvent>> {
        self.case_summary(scope, id).await?;
        let rows = sqlx::query(
            "SELECT seq, case_id, kind, actor_id, actor_name, at, payload FROM case_events
             WHERE case_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let payload: String = r.try_get("payload")?;
                Ok(CaseEvent {
                    seq: r.try_get("seq")?,
                    case_id: r.try_get("case_id")?,
                    kind: r.try_get("kind")?,
                    actor_id: r.try_get("actor_id")?,
                    actor_name: r.try_get("actor_name")?,
                    at: r.try_get("at")?,
                    payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                })
            })
            .collect()
    }

    /// Corrects a case's registration if it is still at `expected_version`. A concurrent
    /// edit that came first makes this fail with [`StoreError::Conflict`]; nothing is
    /// overwritten silently.
    pub async fn correct_case(
        &self,
        scope: &Scope,
        id: i64,
        expected_version: i64,
        patch: &CasePatch,
        actor: &Actor,
    ) -> Result<CaseRecord> {
        let current = self.case(scope, id).await?;
        // The version check below then also proves the row is the one just read, whose
        // fields the volume tally moves the case from.
        if current.summary.version != expected_version {
            return Err(StoreError::Conflict {
                current_version: current.summary.version,
            });
        }
        let now = now_ms();
        let mut changed = std::collections::BTreeMap::new();
        let s = &current.summary;
        let mut note = |field: &str, old: &str, new: &Option<String>| {
            if let Some(n) = new {
                if n != old {
                    changed.insert(
                        field.to_string(),
                        domain::event::Change {
                            from: old.to_string(),
                            to: n.clone(),
                        },
                    );
                }
            }
        };
        note("category", &s.category, &patch.category);
        note("region", &s.region, &patch.region);
        note("respondent", &s.respondent, &patch.respondent);
        note("content", &current.content, &patch.content);
        note("demands", &current.demands, &patch.demands);

        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE cases SET category = $1, region = $2, respondent = $3, content = $4, demands = $5,
                 updated_at = $6, version = version + 1
             WHERE id = $7 AND version = $8",
        )
        .bind(patch.category.as_ref().unwrap_or(&s.category))
        .bind(patch.region.as_ref().unwrap_or(&s.region))
        .bind(patch.respondent.as_ref().unwrap_or(&s.respondent))
        .bind(patch.content.as_ref().unwrap_or(&current.content))
        .bind(patch.demands.as_ref().unwrap_or(&current.demands))
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            tx.rollback().await?;
            let latest = self.case_summary(scope, id).await?;
            return Err(StoreError::Conflict {
                current_version: latest.version,
            });
        }
        append(&mut tx, id, &Event::Corrected(changed), actor, now).await?;
        let before = crate::volume_tallies::facts_of(s)?;
        let after = domain::volume::VolumeFacts {
            category: patch.category.clone().unwrap_or_else(|| s.category.clone()),
            region: patch.region.clone().unwrap_or_else(|| s.region.clone()),
            ..before.clone()
        };
        crate::volume_tallies::record_move(&mut tx, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        self.case(scope, id).await
    }

    /// Records an attachment already written to disk under its SHA-256.
    pub async fn add_attachment(
        &self,
        scope: &Scope,
        case_id: i64,
        a: &NewAttachment,
        actor: &Actor,
    ) -> Result<Attachment> {
        self.case_summary(scope, case_id).await?;
        let mut tx = self.write.begin().await?;
        bump_version(&mut tx, case_id).await?;
        let added = insert_attachment(&mut tx, case_id, a, actor, now_ms()).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Whether any attachment row references the file stored under `sha256`.
    pub async fn attachment_file_referenced(&self, sha256: &str) -> Result<bool> {
        let row = sqlx::query("SELECT 1 AS one FROM attachments WHERE sha256 = $1 LIMIT 1")
            .bind(sha256)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.is_some())
    }

    async fn attachments_of(&self, case_id: i64) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(
            "SELECT id, sha256, filename, content_type, size, uploaded_at FROM attachments
             WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Attachment {
                    id: r.try_get("id")?,
                    sha256: r.try_get("sha256")?,
                    filename: r.try_get("filename")?,
                    content_type: r.try_get("content_type")?,
                    size: r.try_get("size")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                })
            })
            .collect()
    }

    /// One attachment of a case in scope, by id.
    pub async fn attachment(
        &self,
        scope: &Scope,
        case_id: i64,
        attachment_id: i64,
    ) -> Result<Attachment> {
        self.case_summary(scope, case_id).await?;
        self.attachments_of(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == attachment_id)
            .ok_or(StoreError::NotFound)
    }

    /// The number of cases and events, for health pages and tests.
    pub async fn counts(&self) -> Result<(i64, i64)> {
        let cases: i64 = sqlx::query("SELECT COUNT(*) AS n FROM cases")
            .fetch_one(&self.read)
            .await?
            .try_get("n")?;
        let events: i64 = sqlx::query("SELECT COUNT(*) AS n FROM case_events")
            .fetch_one(&self.read)
            .await?
            .try_get("n")?;
        Ok((cases, events))
    }
}
