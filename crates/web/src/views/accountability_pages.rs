//! Accountability records (问责) as pages: the list with the form for supervisors and
//! leaders, and one record.

use super::supervision_orders::form_error;
use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav, Opt};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::accountability::AccountabilityInput;
use app::model::AccountabilityRecord;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::supervision::{AccountabilityDecision, AccountabilityKind};
use domain::Role;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "accountability.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    rows: Vec<AccountabilityRecord>,
    may_create: bool,
    csrf: String,
    kinds: Vec<Opt>,
    decisions: Vec<Opt>,
    /// The form's values, kept after a refusal.
    v: HashMap<String, String>,
    error: Option<String>,
    today: String,
}

fn kinds(t: &Tr) -> Vec<Opt> {
    AccountabilityKind::ALL
        .iter()
        .map(|k| Opt {
            code: k.as_str().to_string(),
            label: t.targs(
                "sv-acc-kind-option",
                &[
                    ("kind", &t.code("acc-kind", k.as_str())),
                    ("article", &k.article().to_string()),
                ],
            ),
        })
        .collect()
}

fn decisions(t: &Tr) -> Vec<Opt> {
    AccountabilityDecision::ALL
        .iter()
        .map(|d| Opt {
            code: d.as_str().to_string(),
            label: t.code("acc-decision", d.as_str()),
        })
        .collect()
}

async fn show_list(
    state: &AppState,
    t: Tr,
    who: &Principal,
    v: HashMap<String, String>,
    error: Option<String>,
) -> Response {
    let rows = match state.accountability_records(&who.caller()).await {
        Ok(r) => r,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let failed = error.is_some();
    let page = ListPage {
        nav: Nav::with_warnings(state, &t, who).await,
        rows,
        may_create: who
            .role()
            .is_some_and(|r| matches!(r, Role::Supervisor | Role::Leader)),
        csrf: who.csrf().to_string(),
        kinds: kinds(&t),
        decisions: decisions(&t),
        v,
        error,
        today: state.config.today().to_string(),
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    let t = tr(&state, lang);
    show_list(&state, t, &who, HashMap::new(), None).await
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    let g = |k: &str| f.get(k).cloned().unwrap_or_default();
    let input = AccountabilityInput {
        case_no: g("case_no"),
        official_user: g("official_user"),
        official_name: g("official_name"),
        official_unit: g("official_unit"),
        kind: g("kind"),
        facts: g("facts"),
        decision: g("decision"),
        decided_by: g("decided_by"),
        decided_on: g("decided_on"),
    };
    match state.record_accountability(&who.caller(), &input).await {
        Ok(r) => Redirect::to(&format!(
            "/staff/supervision/accountability/{}?saved=1",
            r.id
        ))
        .into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                show_list(&state, t, &who, f, Some(msg)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "accountability_record.html")]
struct RecordPage {
    t: Tr,
    nav: Option<Nav>,
    r: AccountabilityRecord,
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct Flags {
    saved: Option<String>,
}

pub async fn record(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    Query(q): Query<Flags>,
) -> Response {
    let t = tr(&state, lang);
    let r = match state.accountability_record(&who.caller(), id).await {
        Ok(r) => r,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = RecordPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        notice: q.saved.map(|_| t.t("sv-acc-saved")),
        r,
        t,
    };
    render(&page)
}
