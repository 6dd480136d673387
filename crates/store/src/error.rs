use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// Not there, or not in the caller's scope: the two are deliberately the same.
    #[error("not_found")]
    NotFound,
    /// Someone else changed the record first (optimistic concurrency).
    #[error("version_conflict")]
    Conflict { current_version: i64 },
    /// A unique constraint refused the value.
    #[error("duplicate")]
    Duplicate { constraint: String },
    /// The input refers to something that does not exist (a unit, a category).
    #[error("invalid_reference")]
    InvalidReference { field: &'static str },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("data error: {0}")]
    Data(String),
    /// A stored code (a state, a stage, a channel, a role…) that this build does not know:
    /// the database was written by a newer build, or edited by hand.
    #[error("unknown value '{value}' in column {column}")]
    UnknownValue { column: &'static str, value: String },
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Duplicate`].
    pub(crate) fn from_sqlx(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Duplicate {
                    constraint: db.constraint().unwrap_or("unique").to_string(),
                };
            }
            if db.is_foreign_key_violation() {
                return StoreError::InvalidReference { field: "reference" };
            }
        }
        StoreError::Database(e)
    }
}

/// A text column that holds one of the domain's codes, decoded once, here: an unknown
/// code is a [`StoreError::UnknownValue`] naming the column and the value.
pub(crate) fn code<T>(
    r: &sqlx::any::AnyRow,
    column: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    use sqlx::Row;
    let value: String = r.try_get(column)?;
    parse(&value).ok_or(StoreError::UnknownValue { column, value })
}

/// A text column that holds a code or `''` for none: `''` is `None`, an unknown code a
/// [`StoreError::UnknownValue`].
pub(crate) fn code_or_empty<T>(
    r: &sqlx::any::AnyRow,
    column: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    use sqlx::Row;
    let value: String = r.try_get(column)?;
    if value.is_empty() {
        return Ok(None);
    }
    parse(&value)
        .map(Some)
        .ok_or(StoreError::UnknownValue { column, value })
}

/// A nullable text column that holds a code: `NULL` is `None`, an unknown code a
/// [`StoreError::UnknownValue`].
pub(crate) fn code_opt<T>(
    r: &sqlx::any::AnyRow,
    column: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, StoreError> {
    use sqlx::Row;
    let value: Option<String> = r.try_get(column)?;
    value
        .map(|value| parse(&value).ok_or(StoreError::UnknownValue { column, value }))
        .transpose()
}

/// Writes an optional code as the API always showed it: the code, or `""` for none.
pub(crate) fn serialize_code_or_empty<T: AsRef<str>, S: serde::Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_ref().map_or("", |c| c.as_ref()))
}
