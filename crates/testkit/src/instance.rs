//! A second `serve` instance on the same database and data folder, as after a restart.

use crate::TestApp;
use std::net::SocketAddr;

/// Another instance: its state, where it serves, and its search indexer (if started).
pub struct Instance {
    pub state: web::AppState,
    pub base: String,
    pub indexer: Option<tokio::task::AbortHandle>,
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Starts this instance's search indexer.
    pub fn start_indexer(&mut self) {
        let handle = self
            .state
            .app
            .spawn_search_indexer(self.state.search.clone());
        self.indexer = Some(handle.abort_handle());
    }
}

impl TestApp {
    /// Stops this instance's search indexer and lets go of its index, as a shutdown does.
    pub fn stop_indexer(&self) {
        self.indexer.abort();
        self.state.search.release_writer();
    }

    /// Starts another instance on the same database and configuration (so the same
    /// search index folder), served on a port of its own, without its indexer.
    pub async fn restart(&self) -> Instance {
        let state = web::AppState::new(
            app::App::new(self.store.clone(), self.config.core.clone()),
            self.config.clone(),
        )
        .expect("second state");
        let app = web::router(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = web::axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        Instance {
            state,
            base: format!("http://{addr}"),
            indexer: None,
        }
    }
}
