//! Exports on the staff pages: the queue's export form starts one, its page shows the
//! progress (refreshing itself, no script needed) and then the download.

use super::{csrf_ok, csrf_refused, error_page, local_time, render, tr, Nav};
use crate::api::cases::ListQuery;
use crate::api::exports::{file_response, start_queue_export, ExportOptions};
use crate::auth::{PageUser, Principal};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::model::ExportJob;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::export::ExportStatus;
use serde::Deserialize;

/// One export as its row and its page show it.
pub struct ExportRow {
    pub id: i64,
    pub format: String,
    /// The filters in words.
    pub filters: String,
    /// The filters as the queue's query string.
    pub query: String,
    pub personal: bool,
    pub status: ExportStatus,
    pub done: i64,
    pub total: i64,
    /// Done as a whole percentage.
    pub percent: i64,
    pub created: String,
}

/// The filters of an export in words: "状态：办理中 · 问题属地：3301".
fn describe_filters(t: &Tr, params: &str) -> String {
    let uri: axum::http::Uri = match format!("/?{params}").parse() {
        Ok(u) => u,
        Err(_) => return params.to_string(),
    };
    let Ok(axum::extract::Query(pairs)) =
        axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
    else {
        return params.to_string();
    };
    pairs
        .iter()
        .map(|(k, v)| {
            let (label, value) = match k.as_str() {
                "state" | "channel" | "type" => (t.t(&format!("field-{k}")), t.code(k, v)),
                "sort" => (t.t("queue-sort"), t.t(&format!("queue-sort-{v}"))),
                "stage" => (t.t("pq-stage"), t.code("delay", v)),
                "due" => (t.t("sv-due-filter"), t.code("due", v)),
                "listed" => (t.t("sv-listed"), "✓".to_string()),
                "month" => (t.t("export-month"), v.clone()),
                "case_no" => (t.t("field-case-no"), v.clone()),
                "rate" => (t.t("export-rate"), t.code("stats-rate", v)),
                "rate_part" => (t.t("export-rate-part"), t.code("queue-rate-part", v)),
                "rate_unit" => (t.t("export-rate-unit"), v.clone()),
                "rate_from" => (t.t("export-rate-from"), v.clone()),
                "rate_to" => (t.t("export-rate-to"), v.clone()),
                other => (t.t(&format!("field-{other}")), v.clone()),
            };
            let colon = if t.is_en() { ": " } else { "：" };
            format!("{label}{colon}{value}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

impl ExportRow {
    fn of(state: &AppState, t: &Tr, j: ExportJob) -> ExportRow {
        let percent = if j.total_rows > 0 {
            (j.done_rows * 100 / j.total_rows).clamp(0, 100)
        } else if j.status == ExportStatus::Done {
            100
        } else {
            0
        };
        ExportRow {
            id: j.id,
            format: j.format.as_str().to_uppercase(),
            filters: describe_filters(t, &j.params),
            query: j.params,
            personal: j.personal,
            status: j.status,
            done: j.done_rows,
            total: j.total_rows,
            percent,
            created: local_time(state, j.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "exports.html")]
struct ExportsPage {
    t: Tr,
    nav: Option<Nav>,
    /// The export this page is about, if one.
    current: Option<ExportRow>,
    rows: Vec<ExportRow>,
}

async fn show_page(state: &AppState, t: Tr, who: &Principal, current: Option<i64>) -> Response {
    let caller = who.caller();
    let current = match current {
        None => None,
        Some(id) => match state.export_job(&caller, id).await {
            Ok(j) => Some(ExportRow::of(state, &t, j)),
            Err(e) => return error_page(&t, Some(who), &e.into()),
        },
    };
    let rows = match state.export_jobs(&caller).await {
        Ok(list) => list
            .into_iter()
            .map(|j| ExportRow::of(state, &t, j))
            .collect(),
        Err(e) => return error_page(&t, Some(who), &e.into()),
    };
    let page = ExportsPage {
        nav: Nav::with_warnings(state, &t, who).await,
        current,
        rows,
        t,
    };
    render(&page)
}

pub async fn list(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
) -> Response {
    show_page(&state, tr(&state, lang), &who, None).await
}

pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    show_page(&state, tr(&state, lang), &who, Some(id)).await
}

#[derive(Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    q: ListQuery,
    #[serde(flatten)]
    opts: ExportOptions,
}

pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Form(f): Form<ExportForm>,
) -> Response {
    let t = tr(&state, lang);
    if !csrf_ok(&who, &f.csrf) {
        return csrf_refused(&t, &who);
    }
    match start_queue_export(&state, &who, t.clone(), &f.q, &f.opts).await {
        Ok(job) => Redirect::to(&format!("/staff/exports/{}", job.id)).into_response(),
        Err(e) => error_page(&t, Some(&who), &e),
    }
}

pub async fn download(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    PageUser(who): PageUser,
    Path(id): Path<i64>,
) -> Response {
    match file_response(&state, &who, id).await {
        Ok(r) => r,
        Err(e) => error_page(&tr(&state, lang), Some(&who), &e),
    }
}
