//! Admin pages that list many things: users as a paged, searchable list with a page per
//! user; a page per unit to rename or retire it; retiring routing rules.

use super::{csrf_ok, csrf_refused, error_page, render, tr, unit_options, Nav, Opt};
use crate::api::admin::{update_unit_checked, UnitNames};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::model::{Unit, User};
use app::AppError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{FieldErrors, Permission, Role};
use serde::Deserialize;
use std::collections::HashMap;

const PAGE: i64 = 50;

/// What was typed into the add-user form, kept when it comes back with errors.
#[derive(Default, Clone)]
pub struct NewUserValues {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit: String,
}

/// Field errors named in the reader's language: "用户名：用户名已存在。".
pub fn named_errors(t: &Tr, errors: &FieldErrors) -> Vec<String> {
    errors
        .iter()
        .map(|(field, code)| {
            let label = match field.as_str() {
                "username" => t.t("field-username"),
                "display_name" => t.t("field-name"),
                "role" => t.t("field-role"),
                "unit" => t.t("field-unit"),
                "password" => t.t("login-password"),
                "name" => t.t("field-name"),
                "code" => t.t("field-code"),
                "parent" => t.t("field-parent"),
                "level" => t.t("field-level"),
                "retired" => t.t("pq-retired"),
                other => other.to_string(),
            };
            format!("{label}：{}", t.code("err", code))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    users: Vec<User>,
    search: String,
    count: String,
    prev_url: Option<String>,
    next_url: Option<String>,
    units: Vec<Opt>,
    roles: Vec<String>,
    f: NewUserValues,
    errors: FieldErrors,
    error_list: Vec<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: i64,
    done: Option<String>,
}

/// The user list: one page of 50, searchable by username or name, and the add form.
pub async fn users_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    q: &ListQuery,
    f: NewUserValues,
    errors: FieldErrors,
) -> Response {
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(who), &ApiError::Forbidden);
    }
    let page_no = q.page.max(0);
    let (found, units) = match (
        state
            .users_page(&who.user.unit_path, &q.q, page_no * PAGE, PAGE)
            .await,
        state.units_under(&who.user.unit_path).await,
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return error_page(&t, Some(who), &e.into()),
    };
    let link = |p: i64| {
        format!(
            "/staff/admin/users?q={}&page={p}",
            super::urlencode(q.q.trim())
        )
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let live: Vec<Unit> = units.into_iter().filter(|u| !u.retired).collect();
    let page = UsersPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        count: t.t1("pq-users-count", "n", &super::queue::grouped(found.total)),
        prev_url: (page_no > 0).then(|| link(page_no - 1)),
        next_url: ((page_no + 1) * PAGE < found.total).then(|| link(page_no + 1)),
        users: found.users,
        search: q.q.trim().to_string(),
        units: unit_options(&live),
        roles: Role::ALL.iter().map(|r| r.as_str().to_string()).collect(),
        error_list: named_errors(&t, &errors),
        f,
        errors,
        notice: q.done.as_ref().map(|_| t.t("saved")),
        t,
    };
    (status, render(&page)).into_response()
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = tr(&state, lang);
    users_page(
        &state,
        t,
        &who,
        &q,
        NewUserValues::default(),
        FieldErrors::new(),
    )
    .await
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    u: User,
    units: Vec<Opt>,
    roles: Vec<String>,
    errors: FieldErrors,
    error_list: Vec<String>,
    notice: Option<String>,
}

/// One user's page: role, unit, name and whether active, and a password reset.
pub async fn show_user(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    errors: FieldErrors,
    notice: Option<String>,
) -> Response {
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(who), &ApiError::Forbidden);
    }
    let u = match state.user(id).await {
        Ok(u) if who.scope().contains(&u.unit_path) => u,
        Ok(_) | Err(AppError::NotFound) => return error_page(&t, Some(who), &ApiError::NotFound),
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let units = match state.units_under(&who.user.unit_path).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    // A retired unit is offered only to the users already in it.
    let units: Vec<Unit> = units
        .into_iter()
        .filter(|n| !n.retired || n.id == u.unit_id)
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = UserPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        u,
        units: unit_options(&units),
        roles: Role::ALL.iter().map(|r| r.as_str().to_string()).collect(),
        error_list: named_errors(&t, &errors),
        errors,
        notice,
        t,
    };
    (status, render(&page)).into_response()
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn user_page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q.done.map(|_| t.t("saved"));
    show_user(&state, t, &who, id, FieldErrors::new(), notice).await
}

#[derive(Template)]
#[template(path = "admin_unit.html")]
struct UnitPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    unit: Unit,
    name: String,
    name_en: String,
    error_list: Vec<String>,
}

async fn show_unit(
    state: &AppState,
    t: Tr,
    who: &Principal,
    code: &str,
    typed: Option<(String, String)>,
    errors: FieldErrors,
) -> Response {
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(who), &ApiError::Forbidden);
    }
    let unit = match state.unit_by_code(code).await {
        Ok(u) if who.scope().contains(&u.path) => u,
        Ok(_) | Err(AppError::NotFound) => return error_page(&t, Some(who), &ApiError::NotFound),
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let (name, name_en) = typed.unwrap_or_else(|| (unit.name.clone(), unit.name_en.clone()));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = UnitPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        unit,
        name,
        name_en,
        error_list: named_errors(&t, &errors),
        t,
    };
    (status, render(&page)).into_response()
}

pub async fn unit_page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(code): Path<String>,
) -> Response {
    let t = tr(&state, lang);
    show_unit(&state, t, &who, &code, None, FieldErrors::new()).await
}

/// Saves a unit's names, or retires it (`retire=1`) or brings it back (`retire=0`).
pub async fn update_unit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(code): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    if !csrf_ok(&who, &get("csrf")) {
        return csrf_refused(&t, &who);
    }
    let input = UnitNames {
        name: get("name"),
        name_en: get("name_en"),
        retired: f.get("retire").map(|v| v == "1"),
    };
    match update_unit_checked(&state, &who, &code, &input).await {
        Ok(_) => Redirect::to("/staff/admin/units?done=1").into_response(),
        Err(ApiError::Validation(errors)) => {
            show_unit(
                &state,
                t,
                &who,
                &code,
                Some((input.name, input.name_en)),
                errors,
            )
            .await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

/// Retires a routing rule or brings it back, from the routing page.
pub async fn retire_rule(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    if !csrf_ok(&who, &get("csrf")) {
        return csrf_refused(&t, &who);
    }
    let retired = get("retired") != "0";
    match state
        .set_routing_rule_retired(
            &who.caller(),
            &get("category"),
            &get("region_prefix"),
            retired,
        )
        .await
    {
        Ok(_) => Redirect::to("/staff/admin/routing").into_response(),
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}
