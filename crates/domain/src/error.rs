//! Domain errors. Each code is stable snake_case and doubles as an i18n key.

use std::collections::BTreeMap;

/// Field name → error code, e.g. `"petitioners[0].phone" → "invalid_phone"`.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Input failed validation; nothing may be stored.
    #[error("validation_failed")]
    Validation(FieldErrors),
    #[error("invalid_value")]
    InvalidValue {
        field: &'static str,
        code: &'static str,
    },
}

impl DomainError {
    /// The stable code, used as the API `error` and as the i18n key.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Validation(_) => "validation_failed",
            DomainError::InvalidValue { code, .. } => code,
        }
    }

    /// Field errors, if any.
    pub fn fields(&self) -> FieldErrors {
        match self {
            DomainError::Validation(f) => f.clone(),
            DomainError::InvalidValue { field, code } => {
                let mut f = FieldErrors::new();
                f.insert((*field).to_string(), (*code).to_string());
                f
            }
        }
    }
}
