//! Hearken's Chinese full-text index of cases.
//!
//! One tantivy index per `serve` instance, in `<data>/search`, fed by tailing the event
//! feed. Three kinds of field carry the same text:
//!
//! - `words`: jieba words, for ranking and for related-case suggestions;
//! - `uni` and `bi`: every character and every pair of neighbouring characters, with
//!   positions, so any substring of one or more characters (a one-character surname, a
//!   two-character place, a part of a case number) is found exactly: a query of n ≥ 3
//!   characters is the phrase of its n − 1 bigrams.
//!
//! Petitioners' names go in fields of their own (`names_uni`, `names_bi`) that a search
//! only reads when the caller's role may read personal data; they never appear in a
//! snippet. The feed cursor the index has reached is stored in each commit's payload, so
//! a restart resumes where it stopped.

mod concepts;
mod doc;
mod grams;
mod index;
mod matter;
mod query;
mod schema;
mod search;
mod similar;
mod snippet;

pub use doc::CaseDoc;
pub use index::{Opened, SearchIndex, Status};
pub use query::ParsedQuery;
pub use search::{Filters, Hit, Page, SearchRequest, Similar, SimilarRequest, Sort};
pub use snippet::snippet;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index is being (re)built; `percent` of the feed has been read.
    #[error("the search index is being built ({percent}%)")]
    Building { percent: u8 },
    #[error("the search query is empty")]
    EmptyQuery,
    #[error("invalid cursor")]
    BadCursor,
    #[error("invalid date: {0}")]
    BadDate(String),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;
