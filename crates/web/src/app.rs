//! The application state and the router.

use crate::config::WebConfig;
use crate::i18n::I18n;
use crate::{api, middleware, portal, views};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::{Category, Store};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub i18n: Arc<I18n>,
    /// A hash to verify against when the user does not exist, so both paths take as long.
    pub dummy_hash: String,
    /// This instance's search index, kept up by `search_indexer`.
    pub search: Arc<search::SearchIndex>,
    categories: Arc<Mutex<Option<CachedCategories>>>,
}

/// The category tree and when it was read.
type CachedCategories = (Instant, Arc<Vec<Category>>);

/// How long the category tree is cached; another instance's change shows up within this.
const CATEGORY_TTL: Duration = Duration::from_secs(10);

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Result<AppState, String> {
        let search = search::SearchIndex::open_or_create(&config.search_dir)
            .map_err(|e| format!("search index in {}: {e}", config.search_dir.display()))?;
        Ok(AppState {
            store,
            config: Arc::new(config),
            i18n: I18n::load()?,
            dummy_hash: crate::auth::password::hash("no such user, no such password")?,
            search: Arc::new(search),
            categories: Arc::default(),
        })
    }

    /// The category tree, from a short-lived cache (every registration checks it).
    pub async fn categories(&self) -> Result<Arc<Vec<Category>>, store::StoreError> {
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
}

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes(&state))
        .merge(views::routes(&state))
        .merge(portal::routes())
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/{*path}", get(middleware::static_file))
        .fallback(middleware::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::text_guard::reject_control_characters,
        ))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(
                serde_json::json!({ "status": "ready", "database": state.store.backend().name() }),
            ),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable" })),
            )
        }
    }
}
