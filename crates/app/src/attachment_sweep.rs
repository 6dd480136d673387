//! The attachment sweep. Files are written before their rows commit (see
//! [`crate::attachments`]), so a crash, a failed registration or a rejected upload can
//! leave a file that no row references. The sweep removes such files, and unfinished
//! temporary files, once they are older than [`MIN_AGE`]; it runs when the server starts
//! and then every hour. A referenced file is never removed.

use crate::attachments::gate;
use std::path::Path;
use std::time::{Duration, SystemTime};
use store::{Store, StoreError};

/// How old an unreferenced file must be before the sweep removes it: far longer than any
/// registration takes to commit.
pub const MIN_AGE: Duration = Duration::from_secs(3600);
/// How often the sweep runs.
const EVERY: Duration = Duration::from_secs(3600);

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Files looked at.
    pub checked: usize,
    /// Files removed.
    pub removed: usize,
}

fn is_sha256(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn older_than(meta: &std::fs::Metadata, min_age: Duration) -> bool {
    meta.modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age >= min_age)
}

fn io(e: std::io::Error, path: &Path) -> StoreError {
    StoreError::Data(format!("{}: {e}", path.display()))
}

/// Removes the files under `dir` that no attachment row references and that are older
/// than `min_age`.
pub async fn sweep(store: &Store, dir: &Path, min_age: Duration) -> Result<Swept, StoreError> {
    let mut swept = Swept::default();
    let mut shards = match tokio::fs::read_dir(dir).await {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(swept),
        Err(e) => return Err(io(e, dir)),
    };
    while let Some(shard) = shards.next_entry().await.map_err(|e| io(e, dir))? {
        let shard_path = shard.path();
        if !shard
            .file_type()
            .await
            .map_err(|e| io(e, &shard_path))?
            .is_dir()
        {
            continue;
        }
        let mut files = tokio::fs::read_dir(&shard_path)
            .await
            .map_err(|e| io(e, &shard_path))?;
        while let Some(file) = files.next_entry().await.map_err(|e| io(e, &shard_path))? {
            let path = file.path();
            let name = file.file_name().to_string_lossy().into_owned();
            let temporary = name.starts_with('.');
            if !temporary && !is_sha256(&name) {
                continue;
            }
            swept.checked += 1;
            // Decide and remove under the exclusive gate: no writer in this process is
            // between writing a file and committing its row meanwhile.
            let _sweeping = gate().write().await;
            let Ok(meta) = tokio::fs::metadata(&path).await else {
                continue;
            };
            if !meta.is_file() || !older_than(&meta, min_age) {
                continue;
            }
            if !temporary && store.attachment_file_referenced(&name).await? {
                continue;
            }
            match tokio::fs::remove_file(&path).await {
                Ok(()) => swept.removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e, &path)),
            }
        }
    }
    Ok(swept)
}

/// Sweeps `dir` now and then every hour, for as long as the server runs.
pub fn spawn(store: Store, dir: std::path::PathBuf) {
    tokio::spawn(async move {
        loop {
            match sweep(&store, &dir, MIN_AGE).await {
                Ok(s) if s.removed > 0 => {
                    tracing::info!(removed = s.removed, checked = s.checked, "attachment sweep")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "attachment sweep failed"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hash_names_are_attachment_files() {
        assert!(is_sha256(&"ab".repeat(32)));
        assert!(!is_sha256(&"AB".repeat(32)));
        assert!(!is_sha256("notes.txt"));
    }
}
