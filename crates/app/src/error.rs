//! One error type for every use case. Codes are stable snake_case; a store failure keeps
//! its source.

use domain::{DomainError, FieldErrors};
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("forbidden")]
    Forbidden,
    #[error("not_found")]
    NotFound,
    #[error("validation_failed")]
    Validation(FieldErrors),
    /// An uploaded file was refused: a validation error of `attachments` that names the file.
    #[error("validation_failed: {filename}: {code}")]
    Upload {
        code: &'static str,
        filename: String,
    },
    #[error("{0}")]
    BadRequest(&'static str),
    #[error("version_conflict")]
    Conflict { current_version: i64 },
    #[error("illegal_transition")]
    IllegalTransition {
        action: domain::lifecycle::Action,
        stage: domain::Stage,
    },
    #[error("duplicate")]
    Duplicate(String),
    /// The store failed for a reason the caller cannot fix.
    #[error("store: {0}")]
    Store(#[source] StoreError),
    /// A file could not be written or read.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A validation error of one field.
    pub fn field(field: &str, code: &str) -> Self {
        let mut f = FieldErrors::new();
        f.insert(field.into(), code.into());
        AppError::Validation(f)
    }

    /// A refused upload, naming the file as the client sent it (cleaned for display).
    pub fn upload(code: &'static str, filename: &str) -> Self {
        AppError::Upload {
            code,
            filename: crate::attachments::clean_filename(filename),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { current_version } => AppError::Conflict { current_version },
            StoreError::Duplicate { constraint } => AppError::Duplicate(constraint),
            StoreError::InvalidReference { field } => AppError::field(field, "invalid_reference"),
            other => AppError::Store(other),
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Validation(e.fields())
    }
}
