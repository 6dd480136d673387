//! A user's own account page: changing their own password. A user who must change it
//! (the one-time admin password, or after an admin's reset) is sent here first.

use super::{csrf_ok, csrf_refused, render, tr, Nav};
use crate::api::account::{change_own_password, PasswordChange};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    must_change: bool,
    errors: FieldErrors,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

async fn show(state: &AppState, t: Tr, who: &Principal, errors: FieldErrors) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PasswordPage {
        // Until the password is changed, the header offers only this page and logout.
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        must_change: who.user.must_change_password,
        errors,
        notice: None,
        t,
    };
    (status, render(&page)).into_response()
}

pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<Done>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q.done.map(|_| t.t("pq-account-password-changed"));
    let page = PasswordPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        csrf: who.csrf().to_string(),
        must_change: who.user.must_change_password,
        errors: FieldErrors::new(),
        notice,
        t,
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<PasswordForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    if f.new_password != f.confirm_password {
        let mut errors = FieldErrors::new();
        errors.insert(
            "confirm_password".into(),
            "password_confirm_mismatch".into(),
        );
        return show(&state, t, &who, errors).await;
    }
    let input = PasswordChange {
        current_password: f.current_password,
        new_password: f.new_password,
    };
    match change_own_password(&state, &who, &input).await {
        Ok(()) if who.user.must_change_password => {
            Redirect::to("/staff/cases?password_changed=1").into_response()
        }
        Ok(()) => Redirect::to("/staff/account/password?done=1").into_response(),
        Err(ApiError::Validation(errors)) => show(&state, t, &who, errors).await,
        Err(e) => super::error_page(&t, Some(&who), &e),
    }
}
