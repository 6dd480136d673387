//! Exports of a queue to XLSX or CSV, as background jobs.
//!
//! Starting an export records the job (and, when it carries petitioners' names and phones,
//! its audit row, in the same transaction) and returns at once. A task then walks the
//! queue page by page in the order of registration, hands each page to a writer on a
//! blocking thread, and records its progress after every page; the page that started it
//! shows that progress. The XLSX writer keeps rows on disk as it goes (constant memory),
//! so a large export costs the same memory as a small one. The file is written under a
//! temporary name and renamed when complete, so a half-written file is never offered.

use crate::table_file::Table;
use crate::{App, AppError, AppResult, Caller};
pub use domain::export::ExportFormat;
use domain::export::{ExportSource, ExportStatus};
use domain::Permission;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use store::{AuditNote, CaseFilter, CaseSummary, Cursor, ExportJob, NewExport, Order, VolumeBy};
use tokio::sync::mpsc;

/// Rows fetched, written and reported at a time.
const PAGE_ROWS: i64 = 500;

/// Gives the label of a `(group, code)` pair.
pub type CodeLabel = Box<dyn Fn(&str, &str) -> String + Send + Sync>;

/// The words of an export, in the caller's language: column headings and the labels of
/// coded values. The web layer fills it from its translations.
pub struct ExportLabels {
    /// One heading per column of [`COLUMNS`], then [`PERSONAL_COLUMNS`].
    pub headings: HashMap<&'static str, String>,
    /// The label of a code: `(group, code)`, with groups `channel`, `type`, `state`,
    /// `stage` and `category`.
    pub label: CodeLabel,
}

/// The columns of a queue export, by key.
pub const COLUMNS: [&str; 14] = [
    "case_no",
    "received_on",
    "channel",
    "type",
    "category",
    "region",
    "unit",
    "respondent",
    "headcount",
    "state",
    "stage",
    "due_on",
    "registered_at",
    "excerpt",
];

/// Where the head count sits in a row: written as a number in XLSX.
const HEADCOUNT_COLUMN: usize = 8;

/// The columns added when the export carries personal data.
pub const PERSONAL_COLUMNS: [&str; 2] = ["petitioners", "phones"];

/// What a queue export takes.
pub struct QueueExport {
    pub filter: CaseFilter,
    /// The filters as the queue's query string, kept with the job so its page can say
    /// what was exported and link back to it.
    pub params: String,
    pub format: ExportFormat,
    /// Whether to include petitioners' names and phones (refused for roles that may not).
    pub personal: bool,
    pub labels: ExportLabels,
}

impl App {
    /// Starts exporting the queue that `export.filter` selects in the caller's scope.
    /// Returns the job at once; it runs in the background.
    pub async fn start_queue_export(
        &self,
        caller: &Caller,
        mut export: QueueExport,
    ) -> AppResult<ExportJob> {
        caller.require(Permission::ReadCases)?;
        if export.personal && !caller.can(Permission::ExportPersonalData) {
            return Err(AppError::Forbidden);
        }
        export.filter.order = Order::Registered;
        let scope = caller.scope();
        let total = self
            .store
            .volume(&scope, &export.filter, VolumeBy::State)
            .await?
            .iter()
            .map(|r| r.count)
            .sum();
        let job = NewExport {
            user_id: caller.id,
            source: ExportSource::Queue,
            format: export.format,
            params: export.params.clone(),
            personal: export.personal,
            total_rows: total,
        };
        let actor = caller.actor();
        let audit = export.personal.then(|| AuditNote {
            actor: &actor,
            action: "personal_data_exported",
            target: format!("queue?{}", export.params),
            detail: serde_json::json!({ "rows": total, "format": export.format.as_str() })
                .to_string(),
        });
        let id = self.store.start_export(&job, audit).await?;
        tokio::fs::create_dir_all(&self.config.exports_dir).await?;
        let app = self.clone();
        tokio::spawn(async move {
            let file = format!("{id}.{}", export.format.as_str());
            let outcome = app.run_queue_export(id, scope, export, &file).await;
            let (done, result) = match &outcome {
                Ok(done) => (*done, Ok(file.as_str())),
                Err(e) => {
                    tracing::warn!(export = id, error = %e, "export failed");
                    (0, Err("export_failed"))
                }
            };
            if let Err(e) = app.store.finish_export(id, done, result).await {
                tracing::warn!(export = id, error = %e, "could not record the end of an export");
            }
        });
        Ok(self.store.export_job(caller.id, id).await?)
    }

    /// One of the caller's exports.
    pub async fn export_job(&self, caller: &Caller, id: i64) -> AppResult<ExportJob> {
        Ok(self.store.export_job(caller.id, id).await?)
    }

    /// The caller's latest exports, newest first.
    pub async fn export_jobs(&self, caller: &Caller) -> AppResult<Vec<ExportJob>> {
        Ok(self.store.export_jobs(caller.id, 20).await?)
    }

    /// A finished export's file. `NotFound` while it runs, if it failed, or if the file
    /// was made by another instance (each keeps its own).
    pub async fn export_file(&self, caller: &Caller, id: i64) -> AppResult<(ExportJob, PathBuf)> {
        let job = self.store.export_job(caller.id, id).await?;
        let path = job
            .file_name
            .as_deref()
            .filter(|_| job.status == ExportStatus::Done)
            .map(|f| self.config.exports_dir.join(f))
            .ok_or(AppError::NotFound)?;
        if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Err(AppError::NotFound);
        }
        Ok((job, path))
    }

    /// Walks the queue and feeds the writer; returns how many rows were written.
    async fn run_queue_export(
        &self,
        id: i64,
        scope: store::Scope,
        export: QueueExport,
        file: &str,
    ) -> AppResult<i64> {
        let final_path = self.config.exports_dir.join(file);
        let temp_path = self.config.exports_dir.join(format!("{file}.part"));
        let (tx, rx) = mpsc::channel::<Vec<Vec<String>>>(2);
        let labels = Arc::new(export.labels);
        let writer = {
            let (path, labels, personal) = (temp_path.clone(), labels.clone(), export.personal);
            let format = export.format;
            tokio::task::spawn_blocking(move || write_file(format, &path, &labels, personal, rx))
        };
        let mut after: Option<Cursor> = None;
        let mut done = 0i64;
        loop {
            let page = self
                .store
                .list_cases(&scope, &export.filter, after.take(), PAGE_ROWS)
                .await?;
            let names = if export.personal {
                let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
                petitioners_by_case(self.store.export_petitioners(&ids).await?)
            } else {
                HashMap::new()
            };
            let rows: Vec<Vec<String>> = page
                .items
                .iter()
                .map(|c| row_of(c, &labels, export.personal.then(|| names.get(&c.id))))
                .collect();
            done += rows.len() as i64;
            if tx.send(rows).await.is_err() {
                break;
            }
            self.store.export_progress(id, done).await?;
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        drop(tx);
        writer
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??;
        tokio::fs::rename(&temp_path, &final_path).await?;
        Ok(done)
    }
}

/// Names and phones per case, each joined with "、" in the order the case lists them.
fn petitioners_by_case(list: Vec<store::ExportPetitioner>) -> HashMap<i64, (String, String)> {
    let mut by_case: HashMap<i64, (Vec<String>, Vec<String>)> = HashMap::new();
    for p in list {
        let entry = by_case.entry(p.case_id).or_default();
        entry.0.push(p.name);
        if let Some(phone) = p.phone.filter(|s| !s.is_empty()) {
            entry.1.push(phone);
        }
    }
    by_case
        .into_iter()
        .map(|(id, (names, phones))| (id, (names.join("、"), phones.join("、"))))
        .collect()
}

/// One case as the cells of a row, in the order of [`COLUMNS`] (then the personal ones).
fn row_of(
    c: &CaseSummary,
    labels: &ExportLabels,
    personal: Option<Option<&(String, String)>>,
) -> Vec<String> {
    let registered = chrono::DateTime::from_timestamp_millis(c.registered_at)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    let mut row = vec![
        c.case_no.clone(),
        c.received_on.clone(),
        (labels.label)("channel", c.channel.as_str()),
        (labels.label)("type", c.case_type.as_str()),
        (labels.label)("category", &c.category),
        c.region.clone(),
        c.unit_name.clone(),
        c.respondent.clone(),
        c.headcount.to_string(),
        (labels.label)("state", c.state.as_str()),
        (labels.label)("stage", c.stage.as_str()),
        c.due_on.clone().unwrap_or_default(),
        registered,
        c.excerpt.clone(),
    ];
    if let Some(p) = personal {
        let (names, phones) = p.cloned().unwrap_or_default();
        row.push(names);
        row.push(phones);
    }
    row
}

fn headings(labels: &ExportLabels, personal: bool) -> Vec<String> {
    let extra: &[&str] = if personal { &PERSONAL_COLUMNS } else { &[] };
    COLUMNS
        .iter()
        .chain(extra)
        .map(|k| {
            labels
                .headings
                .get(k)
                .cloned()
                .unwrap_or_else(|| k.to_string())
        })
        .collect()
}

/// Writes the file from the pages the channel brings, on a blocking thread.
fn write_file(
    format: ExportFormat,
    path: &Path,
    labels: &ExportLabels,
    personal: bool,
    mut rx: mpsc::Receiver<Vec<Vec<String>>>,
) -> AppResult<()> {
    let head = headings(labels, personal);
    let table = Table {
        headings: &head,
        numeric: &[HEADCOUNT_COLUMN],
    };
    let rows = std::iter::from_fn(|| rx.blocking_recv()).flatten();
    crate::table_file::write_file(format, path, &table, rows)
}

/// How long a finished export's file is kept.
pub const KEEP_FILES: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// Whether a name is one an export writes: `{id}.xlsx`, `{id}.csv`, or either `.part`.
fn is_export_file(name: &str) -> bool {
    let name = name.strip_suffix(".part").unwrap_or(name);
    name.rsplit_once('.').is_some_and(|(id, ext)| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_digit())
            && ExportFormat::parse(ext).is_some()
    })
}

/// Deletes export files older than `keep` from `dir`; returns how many went. Exports hold
/// case data (sometimes personal data): they are not kept longer than they are needed.
pub fn sweep_files(dir: &Path, keep: std::time::Duration) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_export_file) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > keep);
        if old {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Sweeps the exports folder at start and hourly.
pub fn spawn_sweep(dir: std::path::PathBuf) {
    tokio::spawn(async move {
        loop {
            let d = dir.clone();
            match tokio::task::spawn_blocking(move || sweep_files(&d, KEEP_FILES)).await {
                Ok(Ok(n)) if n > 0 => tracing::info!(removed = n, "export files swept"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "export sweep failed"),
                Err(e) => tracing::warn!(error = %e, "export sweep stopped"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_export_files_are_swept_and_nothing_else() {
        let dir = std::env::temp_dir().join(format!("hearken-export-sweep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let week_ago =
            std::time::SystemTime::now() - KEEP_FILES - std::time::Duration::from_secs(60);
        let make = |name: &str, old: bool| {
            let f = std::fs::File::create(dir.join(name)).expect("file");
            if old {
                f.set_modified(week_ago).expect("age it");
            }
        };
        make("1.xlsx", true);
        make("2.csv.part", true);
        make("3.csv", false);
        make("notes.txt", true);
        assert_eq!(sweep_files(&dir, KEEP_FILES).expect("sweep"), 2);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .expect("read")
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        left.sort();
        assert_eq!(left, ["3.csv", "notes.txt"]);
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert_eq!(sweep_files(&dir, KEEP_FILES).expect("a missing folder"), 0);
    }
}
