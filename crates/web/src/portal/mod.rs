//! The public portal. Until it is built, `/` introduces Hearken and links to the staff login.

use crate::app::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
