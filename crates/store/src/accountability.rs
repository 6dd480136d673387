//! Accountability records (问责, Arts. 42–46): an official who failed in a duty on a case,
//! the kind of failure, the facts, the decision and who decided it. Each record is
//! written with its audit row in one transaction. They concern officials, never
//! petitioners.

use crate::admin_changes::{audit_in, AuditNote};
use crate::audit::AuditSubject;
use crate::error::code;
use crate::{now_ms, Result, Scope, Store, StoreError, Unit};
use domain::supervision::{AccountabilityDecision, AccountabilityKind};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// What creating a record writes.
#[derive(Debug, Clone)]
pub struct NewAccountability {
    pub case_id: i64,
    /// The official's account, when they have one.
    pub official_user_id: Option<i64>,
    pub official_name: String,
    pub official_unit: Unit,
    pub kind: AccountabilityKind,
    pub facts: String,
    pub decision: AccountabilityDecision,
    /// Who decided it (a body or a person), as written.
    pub decided_by: String,
    pub decided_on: chrono::NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountabilityRecord {
    pub id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub official_user_id: Option<i64>,
    pub official_name: String,
    pub official_unit_code: String,
    pub official_unit_name: String,
    pub kind: AccountabilityKind,
    /// The article of the 2022 regulation.
    pub article: i64,
    pub facts: String,
    pub decision: AccountabilityDecision,
    pub decided_by: String,
    pub decided_on: String,
    pub recorded_by_name: String,
    pub created_at: i64,
}

const COLUMNS: &str = "a.id, a.case_id, c.case_no, a.official_user_id, a.official_name,
    n.code AS unit_code, n.name AS unit_name, a.kind, a.article, a.facts, a.decision,
    a.decided_by, a.decided_on, a.recorded_by_name, a.created_at
    FROM accountability_records a JOIN cases c ON c.id = a.case_id
    JOIN units n ON n.id = a.official_unit_id";

fn from_row(r: &AnyRow) -> Result<AccountabilityRecord> {
    Ok(AccountabilityRecord {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        case_no: r.try_get("case_no")?,
        official_user_id: r.try_get("official_user_id")?,
        official_name: r.try_get("official_name")?,
        official_unit_code: r.try_get("unit_code")?,
        official_unit_name: r.try_get("unit_name")?,
        kind: code(r, "kind", AccountabilityKind::parse)?,
        article: r.try_get("article")?,
        facts: r.try_get("facts")?,
        decision: code(r, "decision", AccountabilityDecision::parse)?,
        decided_by: r.try_get("decided_by")?,
        decided_on: r.try_get("decided_on")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Store {
    /// Writes a record and its audit row together.
    pub async fn create_accountability(
        &self,
        r: &NewAccountability,
        note: &AuditNote<'_>,
    ) -> Result<AccountabilityRecord> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO accountability_records (case_id, official_user_id, official_name,
                 official_unit_id, official_unit_path, kind, article, facts, decision,
                 decided_by, decided_on, recorded_by, recorded_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(r.case_id)
        .bind(r.official_user_id)
        .bind(&r.official_name)
        .bind(r.official_unit.id)
        .bind(&r.official_unit.path)
        .bind(r.kind.as_str())
        .bind(i64::from(r.kind.article()))
        .bind(&r.facts)
        .bind(r.decision.as_str())
        .bind(&r.decided_by)
        .bind(r.decided_on.to_string())
        .bind(note.actor.id)
        .bind(&note.actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        let note = AuditNote {
            target: format!("{} #{id}", note.target),
            ..note.clone()
        };
        audit_in(
            &mut tx,
            &note,
            AuditSubject::UnitPath(&r.official_unit.path),
        )
        .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE a.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let record = from_row(&row)?;
        tx.commit().await?;
        Ok(record)
    }

    /// Records about officials of units in the caller's subtree, newest first.
    pub async fn accountability_records(
        &self,
        scope: &Scope,
        limit: i64,
    ) -> Result<Vec<AccountabilityRecord>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} WHERE a.official_unit_path >= $1 AND a.official_unit_path < $2
             ORDER BY a.id DESC LIMIT $3"
        ))
        .bind(lo)
        .bind(hi)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One record about an official of a unit in the caller's subtree.
    pub async fn accountability_record(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<AccountabilityRecord> {
        let (lo, hi) = scope.bounds();
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} WHERE a.id = $1 AND a.official_unit_path >= $2
             AND a.official_unit_path < $3"
        ))
        .bind(id)
        .bind(lo)
        .bind(hi)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }
}
