//! The intake offices page: where online petitions land (the root unit's admin sets it).

use super::{csrf_ok, csrf_refused, error_page, render, tr, unit_options, Nav, Opt};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;

pub struct OfficeRow {
    /// The region's name and code, or "the whole jurisdiction".
    pub region: String,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "admin_intake.html")]
struct IntakePage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    offices: Vec<OfficeRow>,
    units: Vec<Opt>,
    regions: Vec<Opt>,
    error: Option<String>,
}

async fn show(state: &AppState, t: Tr, who: &Principal, error: Option<String>) -> Response {
    match state.is_root_admin(&who.caller()).await {
        Ok(true) => {}
        Ok(false) => return error_page(&t, Some(who), &ApiError::Forbidden),
        Err(e) => return error_page(&t, Some(who), &e.into()),
    }
    let (offices, units) = match (
        state.intake_offices().await,
        state.units_under(&who.user.unit_path).await,
    ) {
        (Ok(o), Ok(u)) => (o, u),
        (Err(e), _) | (_, Err(e)) => return error_page(&t, Some(who), &e.into()),
    };
    let region_name = |prefix: &str| {
        if prefix.is_empty() {
            return t.t("intake-everywhere");
        }
        match units.iter().find(|u| u.code == prefix) {
            Some(u) => format!("{} ({prefix})", u.name),
            None => prefix.to_string(),
        }
    };
    let regions = std::iter::once(Opt {
        code: String::new(),
        label: t.t("intake-everywhere"),
    })
    .chain(
        units
            .iter()
            .filter(|u| domain::RegionCode::parse(&u.code).is_some())
            .map(|u| Opt {
                code: u.code.trim_end_matches("00").to_string(),
                label: format!("{} ({})", u.name, u.code),
            }),
    )
    .collect();
    let page = IntakePage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        offices: offices
            .iter()
            .map(|o| OfficeRow {
                region: region_name(&o.region_prefix),
                unit: format!("{} ({})", o.unit_name, o.unit_code),
            })
            .collect(),
        units: unit_options(&units),
        regions,
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
        .save_intake_office(&who.caller(), &get("region_prefix"), &get("unit"))
        .await;
    match saved.map_err(ApiError::from) {
        Ok(()) => Redirect::to("/staff/admin/intake?saved=1").into_response(),
        Err(ApiError::Validation(errors)) => {
            let msg = super::forms::errors_line(&t, &errors);
            show(&state, t, &who, Some(msg)).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}
