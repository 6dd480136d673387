//! Attachments: type and size checked, stored on disk by SHA-256.
//!
//! A file is accepted only when its content is one of the allowed kinds and its name's
//! extension names that same kind; the stored name takes its extension from the
//! detected kind, so a PDF can never be stored, or downloaded, as `证据.bat`. Downloads
//! are attachments except PNG and JPEG images, which are shown inline as images.
//!
//! The allow-list is eight formats recognised by their first bytes; a general detector
//! crate (such as `infer`) would recognise hundreds we refuse anyway, so these few checks
//! stay here, tested, with no new dependency.
//!
//! A file is written (and synced) before the transaction that inserts its row, so a crash
//! leaves at worst a file that no row references; [`crate::attachment_sweep`] removes such
//! files once they are an hour old. Writers hold [`gate`] for reading from the moment
//! they write a file until their row is committed; the sweep holds it for writing while it
//! decides about and removes a file, so it never removes a file that a transaction in this
//! process is about to reference.

use crate::error::AppError;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use store::NewAttachment;
use tokio::sync::RwLock;

/// A file taken from a request, not yet stored.
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

static GATE: LazyLock<RwLock<()>> = LazyLock::new(|| RwLock::new(()));

/// The lock between writers of attachments (shared) and the sweep (exclusive).
pub fn gate() -> &'static RwLock<()> {
    &GATE
}

/// One kind of file a petition may carry.
#[derive(Debug, PartialEq, Eq)]
pub struct FileKind {
    pub mime: &'static str,
    /// The extension a stored or downloaded name gets.
    pub ext: &'static str,
    /// Every extension a client's file name may carry for this kind.
    pub extensions: &'static [&'static str],
    /// Shown in the browser (images) rather than downloaded.
    pub inline: bool,
}

const fn kind(
    mime: &'static str,
    ext: &'static str,
    extensions: &'static [&'static str],
    inline: bool,
) -> FileKind {
    FileKind {
        mime,
        ext,
        extensions,
        inline,
    }
}

pub const PDF: FileKind = kind("application/pdf", "pdf", &["pdf"], false);
pub const PNG: FileKind = kind("image/png", "png", &["png"], true);
pub const JPEG: FileKind = kind("image/jpeg", "jpg", &["jpg", "jpeg"], true);
pub const DOCX: FileKind = kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    &["docx"],
    false,
);
pub const XLSX: FileKind = kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    &["xlsx"],
    false,
);
pub const DOC: FileKind = kind("application/msword", "doc", &["doc"], false);
pub const XLS: FileKind = kind("application/vnd.ms-excel", "xls", &["xls"], false);
pub const TXT: FileKind = kind("text/plain; charset=utf-8", "txt", &["txt"], false);

/// Every allowed kind.
pub const KINDS: &[&FileKind] = &[&PDF, &PNG, &JPEG, &DOCX, &XLSX, &DOC, &XLS, &TXT];

/// A file name's extension, lower-cased; `None` when it has none.
fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() || !stem.is_empty()).then(|| ext.trim().to_ascii_lowercase())
}

/// The name without its extension.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The kind the content is, by its first bytes. Formats that share a container (Word
/// and Excel in a zip or an OLE file) are told apart by the name's extension and, for
/// the zip formats, by the part they must contain. Plain text must be UTF-8, without NUL,
/// and named `.txt`.
pub fn detect(bytes: &[u8], ext: Option<&str>) -> Option<&'static FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(&PDF);
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some(&PNG);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(&JPEG);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match ext {
            Some("docx") if contains(bytes, b"word/") => Some(&DOCX),
            Some("xlsx") if contains(bytes, b"xl/") => Some(&XLSX),
            _ => None,
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return match ext {
            Some("doc") => Some(&DOC),
            Some("xls") => Some(&XLS),
            _ => None,
        };
    }
    if ext == Some("txt") && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        return Some(&TXT);
    }
    None
}

/// A kind by its MIME type (as stored).
pub fn kind_of_mime(mime: &str) -> Option<&'static FileKind> {
    KINDS.iter().copied().find(|k| k.mime == mime)
}

/// Checks one upload by its content and name. The answer is the kind and the name to
/// store: the client's name with the kind's extension. A name's extension must be one
/// of the kind's (`file_type_mismatch`); a name without one gets the kind's. Content of
/// no allowed kind is `file_type_not_allowed`.
pub fn check(filename: &str, bytes: &[u8]) -> Result<(&'static FileKind, String), &'static str> {
    if bytes.is_empty() {
        return Err("empty_file");
    }
    let name = clean_filename(filename);
    let ext = extension(&name);
    let kind = detect(bytes, ext.as_deref()).ok_or("file_type_not_allowed")?;
    let stem = match ext.as_deref() {
        None => name.as_str(),
        Some(e) if kind.extensions.contains(&e) => stem(&name),
        Some(_) => return Err("file_type_mismatch"),
    };
    let stem = stem.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if stem.is_empty() { "attachment" } else { stem };
    Ok((kind, format!("{stem}.{}", kind.ext)))
}

/// Characters that reorder text on screen (U+202E makes `证据<U+202E>fdp.bat` read as
/// `证据tab.pdf`) or that
/// no file system accepts.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A file name safe to show and to send back in a header.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !unsafe_char(*c))
        .take(120)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "attachment".into()
    } else {
        cleaned.to_string()
    }
}

/// The name a stored attachment is downloaded under: its stored name, with the
/// extension of its stored type (older rows may carry another).
pub fn download_name(filename: &str, mime: &str) -> String {
    let name = clean_filename(filename);
    match kind_of_mime(mime) {
        Some(k) if extension(&name).is_some_and(|e| k.extensions.contains(&e.as_str())) => name,
        Some(k) => {
            let base = match extension(&name) {
                Some(_) => stem(&name),
                None => name.as_str(),
            };
            format!("{}.{}", base.trim_end_matches('.'), k.ext)
        }
        None => name,
    }
}

/// `Content-Disposition` for a download: `inline` for images, else `attachment`; an
/// ASCII `filename` for old clients and the UTF-8 name as `filename*` (RFC 5987/6266).
pub fn content_disposition(kind: Option<&FileKind>, name: &str) -> String {
    let how = if kind.is_some_and(|k| k.inline) {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%' | ';') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
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
) -> Result<NewAttachment, AppError> {
    if bytes.len() > max {
        return Err(AppError::upload("file_too_large", filename));
    }
    let (kind, stored_name) = check(filename, bytes).map_err(|c| AppError::upload(c, filename))?;
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
            .ok_or_else(|| AppError::Internal("attachment path".into()))?;
        tokio::fs::create_dir_all(parent).await?;
        let tmp = parent.join(format!(".{sha256}.{}", crate::random_token()));
        tokio::fs::write(&tmp, bytes).await?;
        let f = tokio::fs::File::open(&tmp).await?;
        f.sync_all().await?;
        tokio::fs::rename(&tmp, &path).await?;
    }
    Ok(NewAttachment {
        sha256,
        filename: stored_name,
        content_type: kind.mime.to_string(),
        size: bytes.len() as i64,
    })
}

/// Checks and stores every upload, in order. Call it holding [`gate`] for reading, and
/// keep holding it until the rows are committed.
pub async fn save_all(
    dir: &Path,
    files: &[Upload],
    max: usize,
) -> Result<Vec<NewAttachment>, AppError> {
    let mut saved = Vec::with_capacity(files.len());
    for f in files {
        saved.push(save(dir, &f.filename, &f.bytes, max).await?);
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_BYTES: &[u8] = b"\x89PNG\r\n\x1a\n rest";

    #[test]
    fn types_are_recognised_by_content() {
        assert_eq!(detect(b"%PDF-1.7 ...", Some("pdf")), Some(&PDF));
        assert_eq!(detect(b"MZ\x90\x00", Some("pdf")), None);
        assert_eq!(detect(b"hello", Some("txt")), Some(&TXT));
        assert_eq!(detect(b"<html>", Some("html")), None);
        assert_eq!(detect(b"PK\x03\x04rest", Some("zip")), None);
        assert_eq!(
            detect(b"PK\x03\x04rest", Some("docx")),
            None,
            "no word/ part"
        );
        assert_eq!(
            detect(b"PK\x03\x04..word/document.xml", Some("docx")),
            Some(&DOCX)
        );
        assert_eq!(detect(PNG_BYTES, None), Some(&PNG));
    }

    #[test]
    fn the_extension_must_name_the_detected_type() {
        for bad in ["证据.bat", "证据.hta", "证据.html", "证据.pdf.exe", "x.txt"] {
            assert_eq!(check(bad, b"%PDF-1.7"), Err("file_type_mismatch"), "{bad}");
        }
        assert_eq!(
            check("证据.bat", b"@echo off"),
            Err("file_type_not_allowed")
        );
        assert_eq!(
            check("证据.PDF", b"%PDF-1.7"),
            Ok((&PDF, "证据.pdf".into()))
        );
        assert_eq!(
            check("照片.jpeg", b"\xFF\xD8\xFF\xE0"),
            Ok((&JPEG, "照片.jpg".into()))
        );
        assert_eq!(
            check("扫描件", b"%PDF-1.7"),
            Ok((&PDF, "扫描件.pdf".into()))
        );
        assert_eq!(
            check(".pdf", b"%PDF-1.7"),
            Ok((&PDF, "attachment.pdf".into()))
        );
        assert_eq!(check("a.pdf", b""), Err("empty_file"));
    }

    #[test]
    fn reordering_characters_cannot_disguise_an_extension() {
        // U+202E turns "证据\u{202E}fdp.bat" into "证据tab.pdf" on screen.
        assert_eq!(
            check("证据\u{202E}fdp.bat", b"%PDF-1.7"),
            Err("file_type_mismatch")
        );
        assert_eq!(clean_filename("证据\u{202E}fdp.pdf"), "证据fdp.pdf");
    }

    #[test]
    fn filenames_lose_paths_and_quotes() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\x\\证据\".pdf"), "证据.pdf");
        assert_eq!(clean_filename(""), "attachment");
    }

    #[test]
    fn downloads_are_named_by_their_type() {
        assert_eq!(download_name("证据.bat", "application/pdf"), "证据.pdf");
        assert_eq!(download_name("证据.pdf", "application/pdf"), "证据.pdf");
        assert_eq!(download_name("a.jpeg", "image/jpeg"), "a.jpeg");
        assert_eq!(
            content_disposition(Some(&PDF), "证据 1.pdf"),
            "attachment; filename=\"__ 1.pdf\"; filename*=UTF-8''%E8%AF%81%E6%8D%AE%201.pdf"
        );
        assert!(content_disposition(Some(&PNG), "a.png").starts_with("inline;"));
        assert!(content_disposition(None, "a").starts_with("attachment;"));
    }
}
