//! Attachments: type and size checked, stored on disk by SHA-256.
//!
//! A file is written (and synced) before the transaction that inserts its row, so a crash
//! leaves at worst a file that no row references; [`crate::attachment_sweep`] removes such
//! files once they are an hour old. Writers hold [`gate`] for reading from the moment
//! they write a file until their row is committed; the sweep holds it for writing while it
//! decides about and removes a file, so it never removes a file that a transaction in this
//! process is about to reference.

use crate::error::ApiError;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use store::NewAttachment;
use tokio::sync::RwLock;

static GATE: LazyLock<RwLock<()>> = LazyLock::new(|| RwLock::new(()));

/// The lock between writers of attachments (shared) and the sweep (exclusive).
pub fn gate() -> &'static RwLock<()> {
    &GATE
}

/// The kinds of file a petition may carry, recognised by their first bytes rather than
/// by what the client claims.
pub fn sniff(bytes: &[u8], filename: &str) -> Option<&'static str> {
    let ext = filename
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "docx" => {
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }
            "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            _ => None,
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && matches!(ext.as_str(), "doc" | "xls") {
        return Some("application/msword");
    }
    if ext == "txt" && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        return Some("text/plain; charset=utf-8");
    }
    None
}

/// A file name safe to show and to send back in a header.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "attachment".into()
    } else {
        cleaned
    }
}

pub fn path_for(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// Checks and stores one uploaded file. The same content is stored once.
pub async fn save(
    dir: &Path,
    filename: &str,
    bytes: &[u8],
    max: usize,
) -> Result<NewAttachment, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::field("attachments", "empty_file"));
    }
    if bytes.len() > max {
        return Err(ApiError::field("attachments", "file_too_large"));
    }
    let filename = clean_filename(filename);
    let content_type = sniff(bytes, &filename)
        .ok_or_else(|| ApiError::field("attachments", "file_type_not_allowed"))?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    let path = path_for(dir, &sha256);
    if tokio::fs::metadata(&path).await.is_ok() {
        // The same content is already stored: make it young again, so that a sweep in
        // another instance sharing this folder does not take it while our row commits.
        let touched = path.clone();
        let _ = tokio::task::spawn_blocking(move || {
            std::fs::File::options()
                .append(true)
                .open(&touched)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()))
        })
        .await;
    } else {
        let parent = path
            .parent()
            .ok_or_else(|| ApiError::Internal("attachment path".into()))?;
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let tmp = parent.join(format!(".{sha256}.{}", crate::auth::random_token()));
        tokio::fs::write(&tmp, bytes)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let f = tokio::fs::File::open(&tmp)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        f.sync_all()
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    Ok(NewAttachment {
        sha256,
        filename,
        content_type: content_type.to_string(),
        size: bytes.len() as i64,
    })
}

/// Checks and stores every upload, in order. Call it holding [`gate`] for reading, and
/// keep holding it until the rows are committed.
pub async fn save_all(
    dir: &Path,
    files: &[crate::api::cases::Upload],
    max: usize,
) -> Result<Vec<NewAttachment>, ApiError> {
    let mut saved = Vec::with_capacity(files.len());
    for f in files {
        saved.push(save(dir, &f.filename, &f.bytes, max).await?);
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_recognised_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "x.pdf"), Some("application/pdf"));
        assert_eq!(sniff(b"%PDF-1.7 ...", "x.txt"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\x00", "evil.pdf"), None);
        assert_eq!(
            sniff(b"hello", "note.txt"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(sniff(b"<html>", "page.html"), None);
        assert_eq!(sniff(b"PK\x03\x04rest", "a.zip"), None);
    }

    #[test]
    fn filenames_lose_paths_and_quotes() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\x\\证据\".pdf"), "证据.pdf");
        assert_eq!(clean_filename(""), "attachment");
    }
}
