//! Admin pages: units and users. They call the same checked functions as the API.

use super::admin_users::NewUserValues;
use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::api::admin::{
    create_unit_checked, create_user_checked, reset_password_checked, update_user_checked,
    UnitInput, UserInput, UserUpdate,
};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{FieldErrors, Permission, UnitLevel};
use serde::Deserialize;

pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub level: domain::UnitLevel,
    pub depth: usize,
    pub retired: bool,
}

#[derive(Template)]
#[template(path = "admin_units.html")]
struct UnitsPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    units: Vec<UnitRow>,
    levels: Vec<String>,
    error_list: Vec<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

async fn units_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    errors: FieldErrors,
    notice: Option<String>,
) -> Response {
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(who), &ApiError::Forbidden);
    }
    let units = match state.units_under(&who.user.unit_path).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let base = units
        .first()
        .map(|u| u.path.matches('/').count())
        .unwrap_or(0);
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = UnitsPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        units: units
            .into_iter()
            .map(|u| UnitRow {
                depth: u.path.matches('/').count().saturating_sub(base),
                code: u.code,
                name: u.name,
                level: u.level,
                retired: u.retired,
            })
            .collect(),
        levels: UnitLevel::ALL
            .iter()
            .map(|l| l.as_str().to_string())
            .collect(),
        error_list: super::admin_users::named_errors(&t, &errors),
        notice,
        t,
    };
    (status, render(&page)).into_response()
}

pub async fn units(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<Done>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q.done.map(|_| t.t("saved"));
    units_page(&state, t, &who, FieldErrors::new(), notice).await
}

#[derive(Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    parent: String,
}

pub async fn add_unit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<UnitForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    let input = UnitInput {
        code: f.code,
        name: f.name,
        name_en: f.name_en,
        level: f.level,
        parent: f.parent,
    };
    match create_unit_checked(&state, &who, &input).await {
        Ok(_) => Redirect::to("/staff/admin/units?done=1").into_response(),
        Err(ApiError::Validation(errors)) => units_page(&state, t, &who, errors, None).await,
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    password: String,
    #[serde(default)]
    active: Option<String>,
}

impl UserForm {
    fn display_name_opt(&self) -> Option<String> {
        Some(self.display_name.trim().to_string()).filter(|d| !d.is_empty())
    }
}

/// After a change on a user's page: back to it, with the errors if any.
async fn after(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    r: Result<(), ApiError>,
) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/staff/admin/users/{id}?done=1")).into_response(),
        Err(ApiError::Validation(errors)) => {
            super::admin_users::show_user(state, t, who, id, errors, None).await
        }
        Err(e) => error_page(&t, Some(who), &e),
    }
}

pub async fn add_user(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<UserForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    let input = UserInput {
        username: f.username,
        display_name: f.display_name,
        role: f.role,
        unit: f.unit,
        password: f.password,
    };
    match create_user_checked(&state, &who, &input).await {
        Ok(u) => Redirect::to(&format!("/staff/admin/users/{}?done=1", u.id)).into_response(),
        // Everything typed comes back but the password, with each problem named.
        Err(ApiError::Validation(errors)) => {
            let kept = NewUserValues {
                username: input.username,
                display_name: input.display_name,
                role: input.role,
                unit: input.unit.unwrap_or_default(),
            };
            let q = super::admin_users::ListQuery::default();
            super::admin_users::users_page(&state, t, &who, &q, kept, errors).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

pub async fn update_user(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<UserForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    let input = UserUpdate {
        display_name: f.display_name_opt(),
        role: Some(f.role),
        unit: f.unit,
        active: Some(f.active.is_some()),
    };
    let r = update_user_checked(&state, &who, id, &input)
        .await
        .map(|_| ());
    after(&state, t, &who, id, r).await
}

pub async fn reset_password(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Form(f): Form<UserForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    let r = reset_password_checked(&state, &who, id, &f.password).await;
    after(&state, t, &who, id, r).await
}
