//! The web state (the application, the HTTP settings, translations) and the router.

use crate::config::WebConfig;
use crate::i18n::I18n;
use crate::{api, middleware, portal, views};
use app::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    /// The use cases. `AppState` dereferences to it, so handlers call `state.register(…)`.
    pub app: App,
    pub config: Arc<WebConfig>,
    pub i18n: Arc<I18n>,
    /// A hash to verify against when the user does not exist, so both paths take as long.
    pub dummy_hash: String,
    /// This instance's search index, kept up by `app::search_indexer`.
    pub search: Arc<search::SearchIndex>,
}

impl AppState {
    /// The state over the search index in `config.search_dir`, opened (or created) here.
    pub fn new(app: App, config: WebConfig) -> Result<AppState, String> {
        let dir = &config.core.search_dir;
        let search = search::SearchIndex::open_or_create(dir)
            .map_err(|e| format!("search index in {}: {e}", dir.display()))?;
        AppState::with_index(app, config, Arc::new(search))
    }

    /// The state over a search index the caller opened (and keeps up, through
    /// [`App::spawn_search_indexer`]).
    pub fn with_index(
        app: App,
        config: WebConfig,
        search: Arc<search::SearchIndex>,
    ) -> Result<AppState, String> {
        Ok(AppState {
            app,
            config: Arc::new(config),
            i18n: I18n::load()?,
            dummy_hash: crate::auth::password::hash("no such user, no such password")?,
            search,
        })
    }
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
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
    match state.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready", "database": state.database_name() })),
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
