//! The user's own API tokens.

use super::{csrf_ok, csrf_refused, error_page, local_time, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    tokens: Vec<TokenRow>,
    secret: Option<String>,
    error: Option<String>,
}

async fn show(
    state: &AppState,
    t: Tr,
    who: &Principal,
    secret: Option<String>,
    error: Option<String>,
) -> Response {
    let tokens = match state.tokens(who.user.id).await {
        Ok(t) => t,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let page = TokensPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        tokens: tokens
            .into_iter()
            .map(|k| TokenRow {
                id: k.id,
                name: k.name,
                prefix: k.prefix,
                created: local_time(state, k.created_at),
                revoked: k.revoked_at.is_some(),
            })
            .collect(),
        secret,
        error,
        t,
    };
    render(&page)
}

pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    show(&state, tr(&state, lang), &who, None, None).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<TokenForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    match state
        .issue_token(&who.caller(), &f.name)
        .await
        .map_err(ApiError::from)
    {
        Ok((secret, _)) => show(&state, t, &who, Some(secret), None).await,
        Err(ApiError::Validation(errors)) => {
            let msg = super::forms::errors_line(&t, &errors);
            show(&state, t, &who, None, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<TokenForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    match state.revoke_token(who.user.id, id).await {
        Ok(()) => Redirect::to("/staff/tokens").into_response(),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}
