//! The registration form. A form with errors comes back with everything typed kept.

use super::{
    category_options, csrf_ok, csrf_refused, error_page, render, tr, unit_options, Nav, Opt,
};
use crate::api::cases::check_uploads;
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::registration::{NewPetitioner, RepresentativeRef};
use domain::{CaseType, Channel, FieldErrors, NewCase, Permission};
use std::collections::HashMap;

const ROWS: usize = 5;

#[derive(Default, Clone)]
pub struct PetitionerRow {
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub address: String,
    pub rep: bool,
    pub errors: HashMap<String, String>,
}

#[derive(Default)]
pub struct FormValues {
    pub channel: String,
    pub case_type: String,
    pub category: String,
    pub region: String,
    pub unit: String,
    pub received_on: String,
    pub anonymous: bool,
    pub headcount: String,
    pub petitioners: Vec<PetitionerRow>,
    pub respondent: String,
    pub content: String,
    pub demands: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    f: FormValues,
    errors: FieldErrors,
    /// The refused file an `attachments` error is about.
    bad_file: Option<String>,
    had_files: bool,
    channels: Vec<String>,
    types: Vec<String>,
    categories: Vec<Opt>,
    units: Vec<Opt>,
    regions: Vec<Opt>,
    region_name: String,
}

async fn show(
    state: &AppState,
    t: Tr,
    who: &crate::auth::Principal,
    f: FormValues,
    errors: FieldErrors,
    bad_file: Option<String>,
    had_files: bool,
) -> Response {
    let regions = super::regions::Regions::load(state).await;
    let region_name = regions
        .get(&f.region)
        .map(|r| r.chain.clone())
        .unwrap_or_default();
    let cats = match state.categories().await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let units = match state.units_under(&who.user.unit_path).await {
        Ok(u) => u,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = RegisterPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        f,
        errors,
        bad_file,
        had_files,
        channels: Channel::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        types: CaseType::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        categories: category_options(&t, &cats),
        units: unit_options(
            &units
                .iter()
                .filter(|u| !u.retired)
                .cloned()
                .collect::<Vec<_>>(),
        ),
        regions: regions.code_options(),
        region_name,
        t,
    };
    (status, render(&page)).into_response()
}

pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    if !who.can(Permission::Register) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let f = FormValues {
        channel: domain::Channel::Visit.as_str().into(),
        case_type: domain::CaseType::Claim.as_str().into(),
        unit: who.user.unit_code.clone(),
        received_on: state.config.today().to_string(),
        headcount: "1".into(),
        petitioners: vec![PetitionerRow::default(); ROWS],
        ..Default::default()
    };
    show(&state, t, &who, f, FieldErrors::new(), None, false).await
}

fn to_input(f: &FormValues) -> NewCase {
    let mut petitioners = vec![];
    let mut reps = vec![];
    for row in f.petitioners.iter().filter(|r| {
        !(r.name.trim().is_empty()
            && r.phone.trim().is_empty()
            && r.id_number.trim().is_empty()
            && r.address.trim().is_empty())
    }) {
        if row.rep {
            reps.push(RepresentativeRef::Index(petitioners.len()));
        }
        petitioners.push(NewPetitioner {
            name: row.name.clone(),
            phone: Some(row.phone.clone()),
            id_number: Some(row.id_number.clone()),
            address: Some(row.address.clone()),
        });
    }
    NewCase {
        channel: f.channel.clone(),
        case_type: f.case_type.clone(),
        category: f.category.clone(),
        region: f.region.clone(),
        unit: Some(f.unit.clone()),
        headcount: f.headcount.trim().parse().ok(),
        representatives: reps,
        anonymous: f.anonymous,
        respondent: Some(f.respondent.clone()),
        content: f.content.clone(),
        demands: Some(f.demands.clone()),
        received_on: Some(f.received_on.clone()),
        petitioners,
    }
}

/// Field errors for petitioners refer to the filled rows; map them back to form rows.
fn attach_row_errors(f: &mut FormValues, errors: &FieldErrors) {
    let filled: Vec<usize> = f
        .petitioners
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            !(r.name.trim().is_empty()
                && r.phone.trim().is_empty()
                && r.id_number.trim().is_empty()
                && r.address.trim().is_empty())
        })
        .map(|(i, _)| i)
        .collect();
    for (key, code) in errors {
        let Some(rest) = key.strip_prefix("petitioners[") else {
            continue;
        };
        let Some((idx, field)) = rest.split_once("].") else {
            continue;
        };
        if let Some(row) = idx
            .parse::<usize>()
            .ok()
            .and_then(|i| filled.get(i))
            .and_then(|i| f.petitioners.get_mut(*i))
        {
            row.errors.insert(field.to_string(), code.clone());
        }
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    mp: Multipart,
) -> Response {
    let t = tr(&state, lang);
    let (fields, files) = match super::read_form(mp).await {
        Ok(x) => x,
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    if !csrf_ok(&who, &get("csrf")) {
        return csrf_refused(&t, &who);
    }
    let mut f = FormValues {
        channel: get("channel"),
        case_type: get("type"),
        category: get("category"),
        region: get("region"),
        unit: get("unit"),
        received_on: get("received_on"),
        anonymous: fields.contains_key("anonymous"),
        headcount: get("headcount"),
        petitioners: (0..ROWS)
            .map(|i| PetitionerRow {
                name: get(&format!("p{i}_name")),
                phone: get(&format!("p{i}_phone")),
                id_number: get(&format!("p{i}_id_number")),
                address: get(&format!("p{i}_address")),
                rep: fields.contains_key(&format!("p{i}_rep")),
                errors: HashMap::new(),
            })
            .collect(),
        respondent: get("respondent"),
        content: get("content"),
        demands: get("demands"),
    };
    let had_files = !files.is_empty();
    if let Err(e) = check_uploads(&state, &files) {
        return match e.form_errors() {
            Some((errors, bad_file)) => show(&state, t, &who, f, errors, bad_file, had_files).await,
            None => error_page(&t, Some(&who), &e),
        };
    }
    let input = to_input(&f);
    match state
        .register(&who.caller(), &input, &files)
        .await
        .map_err(ApiError::from)
    {
        Ok((result, _)) => {
            link_chosen(&state, &who, result.id, &fields).await;
            Redirect::to(&format!("/staff/cases/{}/receipt", result.id)).into_response()
        }
        Err(ApiError::Validation(errors)) => {
            attach_row_errors(&mut f, &errors);
            show(&state, t, &who, f, errors, None, had_files).await
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

/// Links the new case to the related cases the clerk chose on the form (`link_{id}` =
/// kind). The case is registered whatever happens here; a link that cannot be made is
/// logged, and the clerk can make it on the case page.
async fn link_chosen(
    state: &AppState,
    who: &crate::auth::Principal,
    id: i64,
    fields: &HashMap<String, String>,
) {
    for (key, kind) in fields {
        let Some(other) = key
            .strip_prefix("link_")
            .and_then(|o| o.parse::<i64>().ok())
        else {
            continue;
        };
        let Some(kind) = domain::LinkKind::parse(kind.trim()) else {
            continue;
        };
        if let Err(e) = state.link_cases(&who.caller(), id, other, kind).await {
            tracing::warn!(case = id, other, error = %e, "linking a related case after registering");
        }
    }
}
