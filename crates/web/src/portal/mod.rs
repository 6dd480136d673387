//! The public portal. Until it is built, `/` introduces Hearken and links to the staff login.

use crate::app::AppState;
use crate::i18n::{ReqLang, Tr};
use crate::views::{render, tr, Nav};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

#[derive(Template)]
#[template(path = "portal_index.html")]
struct IndexPage {
    t: Tr,
    nav: Option<Nav>,
}

async fn index(State(state): State<AppState>, ReqLang(lang): ReqLang) -> Response {
    render(&IndexPage {
        t: tr(&state, lang),
        nav: None,
    })
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(index))
}
