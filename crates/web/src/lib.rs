//! Hearken's web layer: the JSON API (`api`), the staff pages (`views`), the public
//! portal (`portal`), authentication (`auth`) and the shared plumbing.

pub mod api;
pub mod app;
pub mod attachment_sweep;
pub mod attachments;
pub mod auth;
pub mod bootstrap;
pub mod config;
pub mod dates;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod lifecycle_view;
pub mod middleware;
pub mod notices;
pub mod portal;
pub mod registration;
pub mod search_indexer;
pub mod text_guard;
pub mod views;

pub use app::{router, AppState};
/// Re-exported so that tests and the binary serve with the same axum.
pub use axum;
pub use config::WebConfig;
