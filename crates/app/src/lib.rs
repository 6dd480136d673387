//! Hearken's application layer: every use case, between the adapters (the web layer and
//! the command line) and the store. It owns the office's configuration (time zone,
//! calendar, rule set), the [`Caller`] a use case acts for, and one error type,
//! [`AppError`], that keeps its source.

mod access;
pub mod accountability;
mod action_people;
pub mod actions;
pub mod admin;
pub mod annual;
pub mod appointments;
pub mod attachment_sweep;
pub mod attachments;
pub mod bootstrap;
mod caller;
mod clock;
mod config;
pub mod disputes;
pub mod duty;
mod error;
pub mod establishment_import;
pub mod exports;
pub mod hazard_plans;
pub mod hotspots;
pub mod inspection_campaigns;
pub mod inspections;
pub mod jobs;
pub mod leading_groups;
pub mod lifecycle;
pub mod links;
pub mod model;
pub mod notices;
pub mod ownership;
pub mod password;
pub mod petitioner;
pub mod plans;
mod reception;
pub mod registration;
pub mod report_history;
pub mod report_reminders;
pub mod reports;
pub mod routing;
pub mod screenings;
pub mod search_indexer;
pub mod settings;
pub mod stats;
pub mod supervision;
pub mod table_file;
mod tallies;
pub mod today;
pub mod tokens;
pub mod track;

pub use action_people::{DRAFT_RETURNED, ROUTED_IN, SIGN_OFF_REQUESTED};
pub use caller::Caller;
pub use clock::Clock;
pub use config::Config;
pub use error::{AppError, AppResult};

use rand::RngCore;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::{Category, Store};

/// The application: the store, the configuration and the caches every use case shares.
/// Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    config: Arc<Config>,
    categories: Arc<Mutex<Option<CachedCategories>>>,
}

/// The category tree and when it was read.
type CachedCategories = (Instant, Arc<Vec<Category>>);

/// How long the category tree is cached; another instance's change shows up within this.
const CATEGORY_TTL: Duration = Duration::from_secs(10);

impl App {
    pub fn new(store: Store, config: Config) -> App {
        App {
            store,
            config: Arc::new(config),
            categories: Arc::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The category tree, from a short-lived cache (every registration checks it).
    pub async fn categories(&self) -> AppResult<Arc<Vec<Category>>> {
        if let Ok(guard) = self.categories.lock() {
            if let Some((at, cats)) = guard.as_ref() {
                if at.elapsed() < CATEGORY_TTL {
                    return Ok(cats.clone());
                }
            }
        }
        let fresh = Arc::new(self.store.categories().await?);
        if let Ok(mut guard) = self.categories.lock() {
            *guard = Some((Instant::now(), fresh.clone()));
        }
        Ok(fresh)
    }

    /// Keeps `index` up with the event feed, in the background (see [`search_indexer`]).
    pub fn spawn_search_indexer(
        &self,
        index: Arc<search::SearchIndex>,
    ) -> tokio::task::JoinHandle<()> {
        search_indexer::spawn(self.store.clone(), index)
    }

    /// The database's name, for the readiness check.
    pub fn database_name(&self) -> &'static str {
        self.store.backend().name()
    }
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}
