//! Hearken's web layer: the JSON API (`api`), the staff pages (`views`), the public
//! portal (`portal`), authentication (`auth`) and the shared plumbing.

pub mod api;
pub mod auth;
pub mod config;
pub mod dates;
pub mod error;
pub mod i18n;
pub mod middleware;
pub mod notices;
pub mod portal;
pub mod state;
pub mod text_guard;
pub mod views;

/// The use cases' own modules, under the names the handlers know them by.
pub use app::{attachments, lifecycle as lifecycle_view};
/// Re-exported so that tests and the binary serve with the same axum.
pub use axum;
pub use config::WebConfig;
pub use state::{router, AppState};
