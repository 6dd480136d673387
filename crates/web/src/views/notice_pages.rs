//! Printing a notice, and the admin page that edits their templates.

use super::{
    csrf_ok, csrf_refused, error_page, refusal_page, render, status_page, tr, unit_options,
    urlencode, Nav, Opt,
};
use crate::api::cases::read_case_audited;
use crate::auth::PageUser;
use crate::error::ApiError;
use crate::i18n::{ReqLang, Tr};
use crate::notices::{notices_for, Notice};
use crate::state::AppState;
use app::model::{NoticeTemplate, TemplateSource, Unit};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::Permission;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    t: Tr,
    n: Notice,
    case_no: String,
    case_id: i64,
}

pub async fn print(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((id, seq)): Path<(i64, i64)>,
) -> Response {
    let t = tr(&state, lang);
    let c = match read_case_audited(&state, &who, id, "notice").await {
        Ok(c) => c,
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let events = match state.case_events(&who.scope(), id).await {
        Ok(e) => e,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let notices = match notices_for(&state, &t, &c, &events).await {
        Ok(n) => n,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let Some(n) = notices.into_iter().find(|n| n.seq == seq) else {
        return error_page(&t, Some(&who), &ApiError::NotFound);
    };
    render(&NoticePage {
        case_no: c.summary.case_no.clone(),
        case_id: id,
        n,
        t,
    })
}

pub struct Entry {
    pub kind: String,
    pub lang: String,
    pub title: String,
    pub body: String,
    /// Where the template comes from, in words.
    pub source: String,
    /// Whether the unit on the page has its own edit (which can be removed).
    pub own: bool,
}

#[derive(Template)]
#[template(path = "admin_notices.html")]
struct TemplatesPage {
    t: Tr,
    nav: Option<Nav>,
    csrf: String,
    unit: Unit,
    units: Vec<Opt>,
    entries: Vec<Entry>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct TemplatesQuery {
    done: Option<String>,
    unit: Option<String>,
}

pub async fn templates(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Query(q): Query<TemplatesQuery>,
) -> Response {
    let t = tr(&state, lang);
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let unit = match state
        .template_unit(&who.caller(), q.unit.as_deref())
        .await
        .map_err(ApiError::from)
    {
        Ok(u) => u,
        Err(ApiError::Forbidden) => return refusal_page(&t, &who, "sec-scope-template-other-unit"),
        Err(e) => return error_page(&t, Some(&who), &e),
    };
    let loaded = async {
        let units = state.units_under(&who.user.unit_path).await?;
        let templates = state.notice_templates_for(&unit).await?;
        Ok::<_, app::AppError>((units, templates))
    }
    .await;
    let (units, templates) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&t, Some(&who), &e.into()),
    };
    let entries = templates
        .into_iter()
        .map(|tpl| {
            let (source, own) = match &tpl.source {
                TemplateSource::Default => (t.t("sec-scope-template-default"), false),
                TemplateSource::Unit { code, .. } if *code == unit.code => {
                    (t.t("sec-scope-template-own"), true)
                }
                TemplateSource::Unit { name, .. } => {
                    (t.t1("sec-scope-template-inherited", "unit", name), false)
                }
            };
            Entry {
                kind: tpl.kind,
                lang: tpl.lang.as_str().to_string(),
                title: tpl.template.title,
                body: tpl.template.body,
                source,
                own,
            }
        })
        .collect();
    let page = TemplatesPage {
        nav: Nav::with_warnings(&state, &t, &who).await,
        csrf: who.csrf().to_string(),
        units: unit_options(&units),
        unit,
        entries,
        notice: q.done.map(|_| t.t("saved")),
        t,
    };
    render(&page)
}

pub async fn save_template(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path((kind, tlang)): Path<(String, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_refused(&t, &who);
    }
    if !who.can(Permission::Administer) {
        return error_page(&t, Some(&who), &ApiError::Forbidden);
    }
    let reset = f.contains_key("reset");
    let tpl = NoticeTemplate {
        title: f.get("title").cloned().unwrap_or_default(),
        body: if reset {
            String::new()
        } else {
            f.get("body").cloned().unwrap_or_default()
        },
    };
    let code = f.get("unit").map(String::as_str);
    let Some(tlang) = domain::annual::DocumentLang::parse(&tlang) else {
        return error_page(&t, Some(&who), &ApiError::NotFound);
    };
    match state
        .set_template(&who.caller(), code, &kind, tlang, &tpl)
        .await
        .map_err(ApiError::from)
    {
        Ok(unit) => Redirect::to(&format!(
            "/staff/admin/notices?done=1&unit={}",
            urlencode(&unit.code)
        ))
        .into_response(),
        Err(ApiError::Forbidden) => refusal_page(&t, &who, "sec-scope-template-other-unit"),
        Err(ApiError::Validation(errors)) => {
            let msg = errors
                .iter()
                .map(|(k, v)| format!("{} {}", t.t1("err-field", "field", k), t.code("err", v)))
                .collect::<Vec<_>>()
                .join(" ");
            status_page(&t, &who, StatusCode::UNPROCESSABLE_ENTITY, msg)
        }
        Err(e) => error_page(&t, Some(&who), &e),
    }
}
