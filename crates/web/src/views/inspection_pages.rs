//! Safety inspection campaigns as pages: the campaigns with the form for a new one, the
//! establishments register with its import (a refused file shows every error by row and
//! column, and nothing is kept), a campaign's progress with its export, and the
//! checklists an admin edits.

use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::establishment_import::RowError;
use app::inspections::{Campaign, CampaignInput, CampaignView, Establishment};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::inspection::{may_edit_checklists, may_inspect, EstablishmentKind};

pub use super::forms::{get, Fields};

/// A refused form as one line in the user's language.
pub fn form_error(t: &Tr, e: &ApiError) -> String {
    super::forms::refusal_line(
        t,
        e,
        super::forms::Labels {
            field: "insp-field",
            err: "insp-err",
        },
    )
}

/// A kind as a select option, with its label in the user's language.
pub struct KindOpt {
    pub code: &'static str,
    pub label: String,
    pub checked: bool,
}

pub fn kind_options(t: &Tr, checked: &[String]) -> Vec<KindOpt> {
    EstablishmentKind::ALL
        .iter()
        .map(|k| KindOpt {
            code: k.as_str(),
            label: t.code("insp-kind", k.as_str()),
            checked: checked.iter().any(|c| c == k.as_str()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "inspections_home.html")]
struct HomePage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    campaigns: Vec<Campaign>,
    may_inspect: bool,
    may_edit: bool,
    kinds: Vec<KindOpt>,
    error: Option<String>,
    name: String,
    starts_on: String,
    ends_on: String,
    /// The units the campaign may cover, and whether each is ticked.
    units: Vec<(app::inspections::CampaignUnit, bool)>,
}

fn all(f: &Fields, key: &str) -> Vec<String> {
    f.iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .collect()
}

async fn home_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    error: Option<String>,
    form: Option<&Fields>,
) -> Response {
    let campaigns = match state.campaigns(&who.caller()).await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let today = state.config.today().to_string();
    let value = |k: &str, d: &str| form.map_or_else(|| d.to_string(), |f| get(f, k).to_string());
    let checked: Vec<String> = form.map(|f| all(f, "kinds")).unwrap_or_default();
    let ticked: Vec<String> = form.map(|f| all(f, "units")).unwrap_or_default();
    let units = if who.role().is_some_and(may_inspect) {
        match state.campaign_unit_choices(&who.caller()).await {
            Ok(u) => u,
            Err(e) => return error_page(&t, Some(who), &e.into()),
        }
    } else {
        vec![]
    };
    let units = units
        .into_iter()
        .map(|u| {
            let on = ticked.contains(&u.code);
            let u = app::inspections::CampaignUnit {
                name: if t.is_en() && !u.name_en.is_empty() {
                    u.name_en
                } else {
                    u.name
                },
                code: u.code,
                path: u.path,
            };
            (u, on)
        })
        .collect();
    let failed = error.is_some();
    let page = HomePage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        campaigns,
        may_inspect: who.role().is_some_and(may_inspect),
        may_edit: who.role().is_some_and(may_edit_checklists),
        kinds: kind_options(&t, &checked),
        error,
        name: value("name", ""),
        starts_on: value("starts_on", &today),
        ends_on: value("ends_on", &today),
        units,
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn home(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    home_page(&state, tr(&state, lang), &who, None, None).await
}

pub async fn create_campaign(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let input = CampaignInput {
        name: get(&f, "name").into(),
        kinds: all(&f, "kinds"),
        units: all(&f, "units"),
        unit: None,
        starts_on: get(&f, "starts_on").into(),
        ends_on: get(&f, "ends_on").into(),
    };
    match state.create_campaign(&who.caller(), &input).await {
        Ok(c) => Redirect::to(&format!("/staff/inspections/campaigns/{}", c.id)).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                home_page(&state, t, &who, Some(msg), Some(&f)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

/// One refused row as the import page shows it.
pub struct ErrorLine {
    pub row: usize,
    pub column: String,
    /// "第 7 行 “类型” 列：…" / "Row 7, column “kind”: …"
    pub sentence: String,
}

pub fn error_line(t: &Tr, e: &RowError) -> ErrorLine {
    let column = t.code("insp-col", &e.column);
    let message = t.code("insp-err", &e.code);
    let sentence = if e.row == 0 {
        t.t1("insp-import-error-file", "message", &message)
    } else {
        t.targs(
            "insp-import-error",
            &[
                ("row", &e.row.to_string()),
                ("column", &column),
                ("message", &message),
            ],
        )
    };
    ErrorLine {
        row: e.row,
        column,
        sentence,
    }
}

#[derive(Template)]
#[template(path = "inspections_establishments.html")]
struct EstablishmentsPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    rows: Vec<(Establishment, String)>,
    may_import: bool,
    errors: Vec<ErrorLine>,
    notice: Option<String>,
    kinds: Vec<KindOpt>,
    kind: String,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    kind: Option<String>,
    imported: Option<usize>,
}

async fn establishments_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    kind: Option<String>,
    notice: Option<String>,
    errors: Vec<RowError>,
) -> Response {
    let kind = kind.filter(|k| EstablishmentKind::parse(k).is_some());
    let list = match state
        .establishments(&who.caller(), kind.as_deref(), None)
        .await
    {
        Ok(l) => l,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let failed = !errors.is_empty();
    let page = EstablishmentsPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        rows: list
            .into_iter()
            .map(|e| {
                let k = t.code("insp-kind", &e.kind);
                (e, k)
            })
            .collect(),
        may_import: who.role().is_some_and(may_inspect),
        errors: errors.iter().map(|e| error_line(&t, e)).collect(),
        notice,
        kinds: kind_options(&t, &[]),
        kind: kind.unwrap_or_default(),
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn establishments(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q
        .imported
        .map(|n| t.t1("insp-imported", "n", &n.to_string()));
    establishments_page(&state, t, &who, q.kind, notice, vec![]).await
}

/// The import form: a CSV or XLSX file, all rows or none.
pub async fn import(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    mut mp: Multipart,
) -> Response {
    let t = tr(&state, lang);
    let mut csrf = String::new();
    let mut file = vec![];
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) if name == "file" => file = b.to_vec(),
                    Ok(b) if name == "csrf" => csrf = String::from_utf8_lossy(&b).into_owned(),
                    Ok(_) => {}
                    Err(_) => return error_page(&t, Some(&who), &ApiError::TooLarge),
                }
            }
            Ok(None) => break,
            Err(_) => return error_page(&t, Some(&who), &ApiError::TooLarge),
        }
    }
    if !csrf_ok(&who, &csrf) {
        return csrf_refused(&t, &who);
    }
    if file.is_empty() {
        let e = RowError {
            row: 0,
            column: "file".into(),
            code: "file_required".into(),
        };
        return establishments_page(&state, t, &who, None, None, vec![e]).await;
    }
    match state.import_establishments(&who.caller(), &file).await {
        Ok(r) if r.errors.is_empty() => Redirect::to(&format!(
            "/staff/inspections/establishments?imported={}",
            r.imported
        ))
        .into_response(),
        Ok(r) => establishments_page(&state, t, &who, None, None, r.errors).await,
        Err(e) => error_page(&t, Some(&who), &e.into()),
    }
}

#[derive(Template)]
#[template(path = "inspections_campaign.html")]
struct CampaignPage {
    t: Tr,
    nav: Option<Nav>,
    v: CampaignView,
    kinds: String,
    progress_line: String,
    may_inspect: bool,
}

pub async fn campaign(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    let v = match state.campaign_view(&who.caller(), id).await {
        Ok(v) => v,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let kinds = v
        .campaign
        .kinds
        .iter()
        .map(|k| t.code("insp-kind", k))
        .collect::<Vec<_>>()
        .join("、");
    let n = &v.total;
    let progress_line = t.targs(
        "insp-progress-line",
        &[
            ("visited", &n.visited.to_string()),
            ("total", &n.total.to_string()),
            ("hazards", &n.open_hazards.to_string()),
            ("overdue", &n.overdue_orders.to_string()),
        ],
    );
    let page = CampaignPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        progress_line,
        v,
        kinds,
        may_inspect: who.role().is_some_and(may_inspect),
        t,
    };
    render(&page)
}

pub async fn export(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    match crate::api::inspections::progress_file(&state, &who, &t, id, Some("xlsx")).await {
        Ok(r) => r,
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

pub struct ChecklistEntry {
    pub kind: &'static str,
    pub label: String,
    pub items: String,
}

#[derive(Template)]
#[template(path = "inspections_checklists.html")]
struct ChecklistsPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    entries: Vec<ChecklistEntry>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn checklists_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    notice: Option<String>,
    error: Option<(String, &'static str, String)>,
) -> Response {
    if !who.role().is_some_and(may_edit_checklists) {
        return error_page(&t, Some(who), &ApiError::Forbidden);
    }
    let mut entries = vec![];
    for k in EstablishmentKind::ALL {
        let items = match state.checklist(*k).await {
            Ok(i) => i.join("\n"),
            Err(e) => return error_page(&t, Some(who), &e.into()),
        };
        let items = match &error {
            Some((_, kind, typed)) if *kind == k.as_str() => typed.clone(),
            _ => items,
        };
        entries.push(ChecklistEntry {
            kind: k.as_str(),
            label: t.code("insp-kind", k.as_str()),
            items,
        });
    }
    let failed = error.is_some();
    let page = ChecklistsPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        entries,
        notice,
        error: error.map(|(m, _, _)| m),
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn checklists(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<SavedQuery>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q.saved.map(|_| t.t("insp-checklist-saved"));
    checklists_page(&state, t, &who, notice, None).await
}

pub async fn save_checklist(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(kind): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let Some(kind) = EstablishmentKind::parse(&kind) else {
        return error_page(&t, Some(&who), &ApiError::NotFound);
    };
    let typed = get(&f, "items").to_string();
    match state
        .set_checklist(&who.caller(), kind, std::slice::from_ref(&typed))
        .await
    {
        Ok(_) => Redirect::to("/staff/inspections/checklists?saved=1").into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_)) {
                let msg = form_error(&t, &e);
                checklists_page(&state, t, &who, None, Some((msg, kind.as_str(), typed))).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}
