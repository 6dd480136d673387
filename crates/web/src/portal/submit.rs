//! Online submission (网上信访): the citizen's form, its receipt (回执) with the case
//! number and the query code, printable and downloadable. A submission is a real case
//! in the intake office's queue (the petition office an admin set for the jurisdiction,
//! or for the region the citizen chose), with channel `online`.

use super::limit::{self, Bucket};
use super::{
    csrf_token, csrf_valid, instance, limited_page, message_page, track_cookie, with_cookie,
    MAX_FILES,
};
use crate::api::cases::{check_uploads, Upload};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::{category_options, render, tr, Opt};
use app::model::{Actor, RegisterResult};
use askama::Template;
use axum::extract::{ConnectInfo, Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::registration::NewPetitioner;
use domain::{CaseType, FieldErrors, NewCase, RegionCode};
use serde::Deserialize;
use std::net::SocketAddr;

/// A petition as a citizen (or an app) sends it. Contact details are optional where the
/// law allows anonymity (suggestions and accusations).
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
pub struct PublicPetition {
    #[serde(default, rename = "type")]
    pub case_type: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub respondent: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub demands: String,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    /// The honeypot: people leave it empty.
    #[serde(default)]
    pub website: String,
}

impl PublicPetition {
    fn to_new_case(&self) -> NewCase {
        let contact = [&self.name, &self.phone, &self.address]
            .iter()
            .any(|v| !v.trim().is_empty());
        // Anonymous means no contact details are kept, even if some were typed.
        let petitioners = if self.anonymous || !contact {
            vec![]
        } else {
            vec![NewPetitioner {
                name: self.name.clone(),
                phone: Some(self.phone.clone()),
                id_number: None,
                address: Some(self.address.clone()),
            }]
        };
        NewCase {
            channel: domain::Channel::Online.as_str().into(),
            case_type: self.case_type.clone(),
            category: self.category.clone(),
            region: self.region.clone(),
            petitioners,
            anonymous: self.anonymous,
            respondent: Some(self.respondent.clone()),
            content: self.content.clone(),
            demands: Some(self.demands.clone()),
            ..NewCase::default()
        }
    }
}

/// The registration's field names, as the portal form and the public API name them.
fn flat_errors(errors: FieldErrors) -> FieldErrors {
    errors
        .into_iter()
        .map(|(k, v)| {
            let k = match k.as_str() {
                "petitioners" | "petitioners[0].name" => "name".to_string(),
                "petitioners[0].phone" => "phone".into(),
                "petitioners[0].address" => "address".into(),
                _ => k,
            };
            (k, v)
        })
        .collect()
}

/// The actor of a public submission: no account, and no address kept.
pub fn portal_actor() -> Actor {
    Actor {
        id: None,
        name: "portal".into(),
        ip: String::new(),
    }
}

/// The unit an online petition from `region` lands in: the intake office configured for
/// the most specific matching region prefix, else the jurisdiction's intake office, else
/// (nothing configured yet) the root unit.
pub async fn intake_unit(state: &AppState, region: &str) -> ApiResult<app::model::Unit> {
    if let Some(u) = state.intake_unit_for(region).await? {
        return Ok(u);
    }
    state
        .root_unit()
        .await?
        .ok_or_else(|| ApiError::Internal("no root unit".into()))
}

/// Checks and registers a public petition with its attachments in the intake office.
pub async fn register_public(
    state: &AppState,
    p: &PublicPetition,
    files: &[Upload],
) -> ApiResult<RegisterResult> {
    if !p.website.trim().is_empty() {
        return Err(ApiError::BadRequest("rejected"));
    }
    if files.len() > MAX_FILES {
        return Err(ApiError::field("attachments", "too_many_files"));
    }
    check_uploads(state, files)?;
    let reg = match state
        .validate_registration(&p.to_new_case())
        .await
        .map_err(ApiError::from)
    {
        Ok(r) => r,
        Err(ApiError::Validation(f)) => return Err(ApiError::Validation(flat_errors(f))),
        Err(e) => return Err(e),
    };
    let unit = intake_unit(state, reg.region.as_str()).await?;
    let actor = portal_actor();
    Ok(state.register_in(&reg, &unit, &actor, files).await?)
}

/// The form's fields in the order it shows them.
const SUBMIT_ORDER: &[&str] = &[
    "form",
    "type",
    "category",
    "region",
    "respondent",
    "content",
    "demands",
    "attachments",
    "anonymous",
    "name",
    "phone",
    "address",
];

#[derive(Template)]
#[template(path = "portal_submit.html")]
struct SubmitPage {
    t: Tr,
    current: &'static str,
    csrf: String,
    f: PublicPetition,
    errors: FieldErrors,
    error_items: Vec<(String, String)>,
    /// The refused file an `attachments` error is about.
    bad_file: Option<String>,
    had_files: bool,
    types: Vec<String>,
    categories: Vec<Opt>,
    regions: Vec<Opt>,
    max_mb: String,
}

async fn show(
    state: &AppState,
    t: Tr,
    headers: &HeaderMap,
    f: PublicPetition,
    errors: FieldErrors,
    bad_file: Option<String>,
    had_files: bool,
) -> Response {
    let (cats, units) = match (state.categories().await, state.units_under("/").await) {
        (Ok(c), Ok(u)) => (c, u),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "portal submit form");
            return message_page(
                &t,
                StatusCode::INTERNAL_SERVER_ERROR,
                t.t("status-500"),
                t.t("err-internal-error"),
                "/",
            );
        }
    };
    let regions = units
        .iter()
        .filter(|u| RegionCode::parse(&u.code).is_some())
        .take(500)
        .map(|u| Opt {
            code: u.code.clone(),
            label: if t.is_en() && !u.name_en.is_empty() {
                u.name_en.clone()
            } else {
                u.name.clone()
            },
        })
        .collect();
    let (csrf, set) = csrf_token(state, headers);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SubmitPage {
        current: "submit",
        csrf,
        f,
        error_items: super::error_items(&t, &errors, SUBMIT_ORDER)
            .into_iter()
            .map(|(field, text)| match &bad_file {
                Some(n) if field == "attachments" => {
                    let named = format!("{}{text}", t.t1("sec-scope-bad-file", "file", n));
                    (field, named)
                }
                _ => (field, text),
            })
            .collect(),
        errors,
        bad_file,
        had_files,
        types: CaseType::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        categories: category_options(&t, &cats),
        regions,
        max_mb: (state.config.max_upload_bytes / (1024 * 1024)).to_string(),
        t,
    };
    with_cookie(set, (status, render(&page)).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
) -> Response {
    let f = PublicPetition {
        case_type: domain::CaseType::Claim.as_str().into(),
        ..PublicPetition::default()
    };
    show(
        &state,
        tr(&state, lang),
        &headers,
        f,
        FieldErrors::new(),
        None,
        false,
    )
    .await
}

pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let t = tr(&state, lang);
    let inst = instance(&state);
    if let Err(l) = limit::peek(&inst, Bucket::Submit, addr.ip()) {
        return limited_page(&t, l, "/submit");
    }
    let (fields, files) = match crate::views::read_form(mp).await {
        Ok(x) => x,
        Err(_) => {
            return message_page(
                &t,
                StatusCode::PAYLOAD_TOO_LARGE,
                t.t("status-413"),
                t.t("portal-submit-too-large"),
                "/submit",
            )
        }
    };
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let f = PublicPetition {
        case_type: get("type"),
        category: get("category"),
        region: get("region"),
        respondent: get("respondent"),
        content: get("content"),
        demands: get("demands"),
        anonymous: fields.contains_key("anonymous"),
        name: get("name"),
        phone: get("phone"),
        address: get("address"),
        website: get("website"),
    };
    let had_files = !files.is_empty();
    if !csrf_valid(&headers, &get("csrf")) {
        let mut e = FieldErrors::new();
        e.insert("form".into(), "csrf_mismatch".into());
        return show(&state, t, &headers, f, e, None, had_files).await;
    }
    match register_public(&state, &f, &files).await {
        Ok(r) => {
            limit::record(&inst, Bucket::Submit, addr.ip());
            let cookie = track_cookie(&state, r.case_no.as_str(), r.query_code.as_str());
            (
                [(header::SET_COOKIE, cookie)],
                Redirect::to("/submit/receipt"),
            )
                .into_response()
        }
        Err(e @ (ApiError::Validation(_) | ApiError::Upload { .. })) => {
            let (errors, bad_file) = e.form_errors().unwrap_or_default();
            show(&state, t, &headers, f, errors, bad_file, had_files).await
        }
        Err(ApiError::BadRequest("rejected")) => {
            limit::record(&inst, Bucket::Submit, addr.ip());
            message_page(
                &t,
                StatusCode::BAD_REQUEST,
                t.t("portal-rejected-title"),
                t.t("portal-rejected-text"),
                "/submit",
            )
        }
        Err(e) => {
            if let ApiError::Internal(d) = &e {
                tracing::error!(error = %d, "portal submission");
            }
            message_page(
                &t,
                e.status(),
                t.code("status", e.status().as_str()),
                t.code("err", e.code()),
                "/submit",
            )
        }
    }
}
