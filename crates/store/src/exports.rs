//! Export jobs: who asked for which rows in which format, how far the job has got, and
//! the file it made. Starting an export that carries petitioners' personal data writes
//! its audit row in the same transaction.

use crate::admin_changes::{audit_in, AuditNote};
use crate::audit::AuditSubject;
use crate::{now_ms, Result, Store, StoreError};
use domain::export::{ExportFormat, ExportSource, ExportStatus};
use sqlx::Row;

/// An export job, as its page and `GET /api/v1/exports/{id}` show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportJob {
    pub id: i64,
    pub user_id: i64,
    /// What is exported: `queue`.
    pub source: ExportSource,
    /// `xlsx` or `csv`.
    pub format: ExportFormat,
    /// The filters, as the query string the queue takes.
    pub params: String,
    /// Whether petitioners' names and phones are included.
    pub personal: bool,
    pub status: ExportStatus,
    pub done_rows: i64,
    pub total_rows: i64,
    /// The file's name in this instance's exports folder, once done.
    pub file_name: Option<String>,
    pub error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// A new export job.
#[derive(Debug, Clone)]
pub struct NewExport {
    pub user_id: i64,
    pub source: ExportSource,
    pub format: ExportFormat,
    pub params: String,
    pub personal: bool,
    pub total_rows: i64,
}

/// One petitioner's name and phone, for an export that may carry them.
#[derive(Debug, Clone)]
pub struct ExportPetitioner {
    pub case_id: i64,
    pub name: String,
    pub phone: Option<String>,
}

const EXPORT_COLUMNS: &str = "id, user_id, source, format, params, personal, status, done_rows, \
     total_rows, file_name, error, created_at, finished_at";

fn export_from_row(r: &sqlx::any::AnyRow) -> Result<ExportJob> {
    let personal: i64 = r.try_get("personal")?;
    Ok(ExportJob {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        source: crate::error::code(r, "source", ExportSource::parse)?,
        format: crate::error::code(r, "format", ExportFormat::parse)?,
        params: r.try_get("params")?,
        personal: personal != 0,
        status: crate::error::code(r, "status", ExportStatus::parse)?,
        done_rows: r.try_get("done_rows")?,
        total_rows: r.try_get("total_rows")?,
        file_name: r.try_get("file_name")?,
        error: r.try_get("error")?,
        created_at: r.try_get("created_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

impl Store {
    /// Records a running export. `audit` is written in the same transaction (every export
    /// that carries personal data must have one).
    pub async fn start_export(&self, job: &NewExport, audit: Option<AuditNote<'_>>) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let row = sqlx::query(
            "INSERT INTO exports (user_id, source, format, params, personal, status, total_rows,
                 created_at)
             VALUES ($1, $2, $3, $4, $5, 'running', $6, $7) RETURNING id",
        )
        .bind(job.user_id)
        .bind(job.source.as_str())
        .bind(job.format.as_str())
        .bind(&job.params)
        .bind(i64::from(job.personal))
        .bind(job.total_rows)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        if let Some(note) = audit {
            audit_in(&mut tx, &note, AuditSubject::User(job.user_id)).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a running export's progress on.
    pub async fn export_progress(&self, id: i64, done_rows: i64) -> Result<()> {
        sqlx::query("UPDATE exports SET done_rows = $1 WHERE id = $2 AND status = 'running'")
            .bind(done_rows)
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Ends an export: `done` with its file, or `failed` with the reason.
    pub async fn finish_export(
        &self,
        id: i64,
        done_rows: i64,
        outcome: std::result::Result<&str, &str>,
    ) -> Result<()> {
        let (status, file, error) = match outcome {
            Ok(file) => (ExportStatus::Done, Some(file), None),
            Err(reason) => (ExportStatus::Failed, None, Some(reason)),
        };
        sqlx::query(
            "UPDATE exports SET status = $1, file_name = $2, error = $3, done_rows = $4,
                 finished_at = $5
             WHERE id = $6",
        )
        .bind(status.as_str())
        .bind(file)
        .bind(error)
        .bind(done_rows)
        .bind(now_ms())
        .bind(id)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// One export of this user's.
    pub async fn export_job(&self, user_id: i64, id: i64) -> Result<ExportJob> {
        let row = sqlx::query(&format!(
            "SELECT {EXPORT_COLUMNS} FROM exports WHERE id = $1 AND user_id = $2"
        ))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        export_from_row(&row)
    }

    /// This user's latest exports, newest first.
    pub async fn export_jobs(&self, user_id: i64, limit: i64) -> Result<Vec<ExportJob>> {
        sqlx::query(&format!(
            "SELECT {EXPORT_COLUMNS} FROM exports WHERE user_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(export_from_row)
        .collect()
    }

    /// The petitioners' names and phones of these cases, in each case's order. The caller
    /// has already checked the cases are in scope (they came from the scoped queue).
    pub async fn export_petitioners(&self, case_ids: &[i64]) -> Result<Vec<ExportPetitioner>> {
        if case_ids.is_empty() {
            return Ok(vec![]);
        }
        let marks: Vec<String> = (1..=case_ids.len()).map(|i| format!("${i}")).collect();
        let text = format!(
            "SELECT case_id, name, phone FROM case_petitioners WHERE case_id IN ({})
             ORDER BY case_id, position",
            marks.join(", ")
        );
        let mut q = sqlx::query(&text);
        for id in case_ids {
            q = q.bind(*id);
        }
        q.fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                Ok(ExportPetitioner {
                    case_id: r.try_get("case_id")?,
                    name: r.try_get("name")?,
                    phone: r.try_get("phone")?,
                })
            })
            .collect()
    }
}
