//! The routing table page: category × region → the unit usually responsible.

use super::{
    category_label, category_options, csrf_ok, csrf_refused, error_page, render, tr, unit_options,
    Nav, Opt,
};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;

pub struct RuleRow {
    pub category: String,
    pub category_code: String,
    pub region_prefix: String,
    pub region_name: String,
    pub unit: String,
    pub retired: bool,
}

#[derive(Template)]
#[template(path = "admin_routing.html")]
struct RoutingPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    rules: Vec<RuleRow>,
    categories: Vec<Opt>,
    units: Vec<Opt>,
    regions: Vec<Opt>,
    error: Option<String>,
}

async fn show(state: &AppState, t: Tr, who: &Principal, error: Option<String>) -> Response {
    if !who.can(domain::Permission::ManageRouting) {
        return error_page(&t, Some(who), &ApiError::Forbidden);
    }
    let (rules, cats, units) = match (
        state.routing_rules().await,
        state.categories().await,
        state.units_under(&who.user.unit_path).await,
    ) {
        (Ok(r), Ok(c), Ok(u)) => (r, c, u),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return error_page(&t, Some(who), &e.into())
        }
    };
    let regions = super::regions::Regions::load(state).await;
    let page = RoutingPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        rules: rules
            .into_iter()
            .map(|r| RuleRow {
                category: category_label(&t, &cats, &r.category),
                category_code: r.category,
                region_name: regions.prefix_name(&r.region_prefix),
                region_prefix: r.region_prefix,
                unit: format!("{} ({})", r.unit_name, r.unit_code),
                retired: r.retired,
            })
            .collect(),
        categories: category_options(&t, &cats),
        units: unit_options(&units.into_iter().filter(|u| !u.retired).collect::<Vec<_>>()),
        regions: regions.prefix_options(3),
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
    show(&state, tr(&state, lang), &who, None).await
}

pub async fn save(
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
    let saved = state
        .save_routing_rule(
            &who.caller(),
            &get("category"),
            &get("region_prefix"),
            &get("unit"),
        )
        .await;
    match saved.map_err(ApiError::from) {
        Ok(()) => Redirect::to("/staff/admin/routing").into_response(),
        Err(ApiError::Validation(errors)) => {
            let msg = super::forms::errors_line(&t, &errors);
            show(&state, t, &who, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}
