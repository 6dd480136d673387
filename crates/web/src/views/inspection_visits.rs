//! Inspections as pages: the phone-friendly inspection form (checklist answers, photos,
//! findings, hazards with their severity), the inspection record, a hazard with its
//! orders and the forms for the next step, and the printable orders, filled from the
//! admin-editable notice templates.

use super::inspection_pages::{form_error, get, Fields};
use super::{csrf_ok, csrf_refused, error_page, render, tr, Nav};
use crate::auth::{PageUser, Principal};
use crate::dates::document_date_str;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::notices::{render as render_notice, template_lang};
use crate::state::AppState;
use app::attachments::Upload;
use app::inspections::{Establishment, Hazard, HazardOrder, Inspection, InspectionInput};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::inspection::{HazardState, Severity, DEFAULT_RECTIFY_DAYS};
use std::collections::HashMap;

/// How many hazard rows the form offers.
const HAZARD_ROWS: usize = 3;

pub struct ItemRow {
    pub n: usize,
    pub text: String,
    pub answer: String,
}

pub struct HazardRow {
    pub n: usize,
    pub description: String,
    pub severity: String,
}

#[derive(Template)]
#[template(path = "inspections_form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    campaign_id: i64,
    campaign_name: String,
    e: Establishment,
    kind_label: String,
    items: Vec<ItemRow>,
    hazards: Vec<HazardRow>,
    severities: Vec<(&'static str, String)>,
    inspected_on: String,
    inspectors: String,
    findings: String,
    error: Option<String>,
}

async fn form_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    campaign: i64,
    est: i64,
    typed: Option<(&HashMap<String, String>, String)>,
) -> Response {
    let caller = who.caller();
    let loaded = async {
        let c = state.campaign(&caller, campaign).await?;
        let e = state.establishment(&caller, est).await?;
        let items = state.checklist(e.kind).await?;
        Ok::<_, app::AppError>((c, e, items))
    }
    .await;
    let (c, e, items) = match loaded {
        Ok(x) => x,
        Err(err) => return error_page(&t, Some(who), &err.into()),
    };
    let value = |k: &str| {
        typed
            .as_ref()
            .and_then(|(f, _)| f.get(k).cloned())
            .unwrap_or_default()
    };
    let today = state.config.today().to_string();
    let page = FormPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        campaign_id: c.id,
        campaign_name: c.name,
        kind_label: t.code("insp-kind", &e.kind),
        items: items
            .into_iter()
            .enumerate()
            .map(|(n, text)| ItemRow {
                n,
                text,
                answer: {
                    let a = value(&format!("answer_{n}"));
                    if a.is_empty() {
                        "pass".into()
                    } else {
                        a
                    }
                },
            })
            .collect(),
        hazards: (0..HAZARD_ROWS)
            .map(|n| HazardRow {
                n,
                description: value(&format!("hazard_{n}")),
                severity: value(&format!("severity_{n}")),
            })
            .collect(),
        severities: Severity::ALL
            .iter()
            .map(|s| (s.as_str(), t.code("insp-severity", s.as_str())))
            .collect(),
        inspected_on: typed
            .as_ref()
            .map(|_| value("inspected_on"))
            .unwrap_or(today),
        inspectors: value("inspectors"),
        findings: value("findings"),
        error: typed.as_ref().map(|(_, m)| m.clone()),
        e,
        t,
    };
    let status = if page.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((campaign, est)): Path<(i64, i64)>,
) -> Response {
    form_page(&state, tr(&state, lang), &who, campaign, est, None).await
}

/// Records the inspection from the form (multipart: the fields and the `photos`).
pub async fn record(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((campaign, est)): Path<(i64, i64)>,
    mut mp: Multipart,
) -> Response {
    let t = tr(&state, lang);
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut photos = vec![];
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let filename = field.file_name().unwrap_or("photo").to_string();
                match field.bytes().await {
                    Ok(b) if name == "photos" => {
                        if !b.is_empty() {
                            photos.push(Upload {
                                filename,
                                bytes: b.to_vec(),
                            });
                        }
                    }
                    Ok(b) => {
                        fields.insert(name, String::from_utf8_lossy(&b).into_owned());
                    }
                    Err(_) => return error_page(&t, Some(&who), &ApiError::TooLarge),
                }
            }
            Ok(None) => break,
            Err(_) => return error_page(&t, Some(&who), &ApiError::TooLarge),
        }
    }
    let f = |k: &str| fields.get(k).cloned().unwrap_or_default();
    if !csrf_ok(&who, &f("csrf")) {
        return csrf_refused(&t, &who);
    }
    let count: usize = f("items").parse().unwrap_or(0).min(100);
    let input = InspectionInput {
        establishment_id: est,
        inspected_on: f("inspected_on"),
        inspectors: f("inspectors"),
        answers: (0..count).map(|n| f(&format!("answer_{n}"))).collect(),
        findings: f("findings"),
        hazards: (0..HAZARD_ROWS)
            .map(|n| (f(&format!("hazard_{n}")), f(&format!("severity_{n}"))))
            .collect(),
        photos,
    };
    match state
        .record_inspection(&who.caller(), campaign, &input)
        .await
    {
        Ok(i) => {
            Redirect::to(&format!("/staff/inspections/visits/{}?recorded=1", i.id)).into_response()
        }
        Err(e) => {
            let e: ApiError = e.into();
            match &e {
                ApiError::Validation(_) => {
                    let msg = form_error(&t, &e);
                    form_page(&state, t, &who, campaign, est, Some((&fields, msg))).await
                }
                ApiError::Upload { code, filename } => {
                    let msg = format!("{filename}: {}", t.code("err", code));
                    form_page(&state, t, &who, campaign, est, Some((&fields, msg))).await
                }
                _ => error_page(&t, Some(&who), &e),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "inspections_visit.html")]
struct VisitPage {
    t: Tr,
    nav: Option<Nav>,
    i: Inspection,
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct Flags {
    recorded: Option<String>,
    done: Option<String>,
}

pub async fn visit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<Flags>,
) -> Response {
    let t = tr(&state, lang);
    let i = match state.inspection(&who.caller(), id).await {
        Ok(i) => i,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let page = VisitPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        notice: q.recorded.map(|_| t.t("insp-recorded")),
        i,
        t,
    };
    render(&page)
}

pub async fn photo(
    State(state): State<AppState>,
    PageUser(who): PageUser,
    Path((id, n)): Path<(i64, usize)>,
) -> Response {
    match state.inspection_photo(&who.caller(), id, n).await {
        Ok((bytes, mime)) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "private, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "inspections_hazard.html")]
struct HazardPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    h: Hazard,
    default_days: i64,
    notice: Option<String>,
    error: Option<String>,
    /// Plans this hazard (graded critical) proposed, with the activate button.
    proposals: Vec<app::hazard_plans::HazardBanner>,
}

async fn hazard_page(
    state: &AppState,
    t: Tr,
    who: &Principal,
    id: i64,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let h = match state.hazard(&who.caller(), id).await {
        Ok(h) => h,
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let failed = error.is_some();
    let proposals = state
        .hazard_banners(&who.caller(), id)
        .await
        .unwrap_or_default();
    let page = HazardPage {
        nav: Nav::with_warnings(state, &t, who).await,
        csrf: who.csrf().to_string(),
        proposals,
        h,
        default_days: DEFAULT_RECTIFY_DAYS,
        notice,
        error,
        t,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (status, render(&page)).into_response()
}

pub async fn hazard(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<Flags>,
) -> Response {
    let t = tr(&state, lang);
    let notice = q.done.map(|_| t.t("insp-saved"));
    hazard_page(&state, t, &who, id, notice, None).await
}

/// One of a hazard's steps from its page: `rectification`, `reinspection` or
/// `suspension`.
pub async fn step(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, step)): Path<(i64, String)>,
    Form(f): Form<Fields>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, get(&f, "csrf")) {
        return csrf_refused(&t, &who);
    }
    let caller = who.caller();
    let done = match step.as_str() {
        "rectification" => {
            let days = match get(&f, "days").trim() {
                "" => None,
                d => Some(d.parse::<i64>().unwrap_or(0)),
            };
            state
                .issue_rectification(&caller, id, days, get(&f, "requirements"))
                .await
                .map(|_| ())
        }
        "reinspection" => state
            .reinspect(&caller, id, get(&f, "fixed") == "yes", get(&f, "notes"))
            .await
            .map(|_| ()),
        "suspension" => state
            .issue_suspension(&caller, id, get(&f, "requirements"))
            .await
            .map(|_| ()),
        _ => Err(app::AppError::NotFound),
    };
    match done {
        Ok(()) => Redirect::to(&format!("/staff/inspections/hazards/{id}?done=1")).into_response(),
        Err(e) => {
            let e: ApiError = e.into();
            if matches!(e, ApiError::Validation(_) | ApiError::BadRequest(_)) {
                let msg = form_error(&t, &e);
                hazard_page(&state, t, &who, id, None, Some(msg)).await
            } else {
                error_page(&t, Some(&who), &e)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "inspections_order_print.html")]
struct PrintPage {
    t: Tr,
    o: HazardOrder,
    hazard_id: i64,
    office: String,
    title: String,
    paragraphs: Vec<String>,
    date_text: String,
}

/// The order filled from its template: the nearest edit up the tree from the
/// establishment's unit, else the default.
pub async fn print(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    let t = tr(&state, lang);
    let caller = who.caller();
    let loaded = async {
        let (o, h, e) = state.hazard_order(&caller, id).await?;
        let i = state.inspection(&caller, h.inspection_id).await?;
        let tpl = state
            .notice_template(&e.unit_path, o.kind.as_str(), template_lang(&t))
            .await?;
        Ok::<_, app::AppError>((o, h, e, i, tpl))
    }
    .await;
    let (o, h, e, i, tpl) = match loaded {
        Ok(x) => x,
        Err(err) => return error_page(&t, Some(&who), &err.into()),
    };
    let doc = |s: &str| document_date_str(t.lang, s);
    let mut v: HashMap<&str, String> = HashMap::new();
    v.insert("office", e.unit_name.clone());
    v.insert("order_no", o.order_no.clone());
    v.insert("establishment", e.name.clone());
    v.insert("licence_no", e.licence_no.clone());
    v.insert("address", e.address.clone());
    v.insert("hazard", h.description.clone());
    v.insert("severity", t.code("insp-severity", &h.severity));
    v.insert("inspected_on", doc(&i.inspected_on));
    v.insert("requirements", o.requirements.clone());
    v.insert("due", o.due_on.as_deref().map(doc).unwrap_or_default());
    v.insert("date", doc(&o.issued_on));
    v.insert(
        "reinspected_on",
        h.reinspected_on.as_deref().map(doc).unwrap_or_default(),
    );
    v.insert("notes", h.reinspection_notes.clone());
    let (title, paragraphs) = render_notice(&tpl, &v);
    let page = PrintPage {
        office: e.unit_name,
        hazard_id: h.id,
        date_text: doc(&o.issued_on),
        title,
        paragraphs,
        o,
        t,
    };
    render(&page)
}
