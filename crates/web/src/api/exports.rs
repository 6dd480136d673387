//! Exports of the queue to XLSX or CSV: start one, watch its progress, download the file.

use super::cases::ListQuery;
use super::extract::{ApiPath, ApiQuery};
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::{category_label, queue::filter_query};
use app::exports::{ExportFormat, ExportLabels, QueueExport, COLUMNS, PERSONAL_COLUMNS};
use app::model::ExportJob;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Json;
use domain::export::ExportStatus;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportOptions {
    /// `xlsx` (the default) or `csv`.
    #[param(pattern = "^(xlsx|csv)?$")]
    pub format: Option<String>,
    /// `true` to include petitioners' names and phones; refused (403) for roles that may
    /// not take personal data out, and audited.
    #[param(pattern = "^(true|false)?$")]
    pub personal: Option<String>,
}

/// The `format` parameter of an export: XLSX unless it says `csv`.
pub fn parse_format(format: Option<&str>) -> ApiResult<ExportFormat> {
    match format.unwrap_or("").trim() {
        "" => Ok(ExportFormat::Xlsx),
        f => ExportFormat::parse(f).ok_or_else(|| ApiError::field("format", "invalid_format")),
    }
}

impl ExportOptions {
    pub fn format(&self) -> ApiResult<ExportFormat> {
        parse_format(self.format.as_deref())
    }

    pub fn personal(&self) -> ApiResult<bool> {
        match self.personal.as_deref().unwrap_or("").trim() {
            "" | "false" => Ok(false),
            "true" | "on" => Ok(true),
            _ => Err(ApiError::field("personal", "invalid_flag")),
        }
    }
}

/// Column headings and code labels in the caller's language.
async fn labels(state: &AppState, t: Tr) -> ApiResult<ExportLabels> {
    let cats = state.categories().await?;
    let headings = COLUMNS
        .iter()
        .chain(PERSONAL_COLUMNS.iter())
        .map(|k| (*k, t.t(&format!("export-col-{}", k.replace('_', "-")))))
        .collect();
    Ok(ExportLabels {
        headings,
        label: Box::new(move |group, code| match group {
            "category" => category_label(&t, &cats, code),
            _ => t.code(group, code),
        }),
    })
}

/// Starts exporting the queue that `q` selects; shared by the API and the queue page.
pub async fn start_queue_export(
    state: &AppState,
    who: &Principal,
    t: Tr,
    q: &ListQuery,
    opts: &ExportOptions,
) -> ApiResult<ExportJob> {
    let filter = q.filter(state).await?;
    let export = QueueExport {
        filter,
        params: filter_query(q),
        format: opts.format()?,
        personal: opts.personal()?,
        labels: labels(state, t).await?,
    };
    Ok(state.start_queue_export(&who.caller(), export).await?)
}

fn job_json(job: &ExportJob) -> serde_json::Value {
    serde_json::json!({
        "id": job.id,
        "source": job.source,
        "format": job.format,
        "filters": job.params,
        "personal": job.personal,
        "status": job.status,
        "done": job.done_rows,
        "total": job.total_rows,
        "file": (job.status == ExportStatus::Done).then(|| format!("/api/v1/exports/{}/file", job.id)),
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    })
}

#[utoipa::path(post, path = "/api/v1/exports", tag = "cases", params(ListQuery, ExportOptions),
    responses((status = 202, description = "The export has started: `id`, `status` (`running`, `done` or `failed`), `done` and `total` rows; poll `GET /api/v1/exports/{id}`"),
        (status = 403, description = "`personal=true` for a role that may not export personal data", body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
    ApiQuery(opts): ApiQuery<ExportOptions>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let t = crate::views::tr(&state, lang);
    let job = start_queue_export(&state, &who, t, &q, &opts).await?;
    Ok((StatusCode::ACCEPTED, Json(job_json(&job))))
}

#[utoipa::path(get, path = "/api/v1/exports", tag = "cases",
    responses((status = 200, description = "Your latest exports, newest first")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    let jobs = state.export_jobs(&who.caller()).await?;
    Ok(Json(serde_json::json!({
        "items": jobs.iter().map(job_json).collect::<Vec<_>>(),
    })))
}

#[utoipa::path(get, path = "/api/v1/exports/{id}", tag = "cases", params(("id" = i64, Path, description = "Export id")),
    responses((status = 200, description = "The export and its progress"), (status = 404, description = "Not one of your exports", body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(job_json(&state.export_job(&who.caller(), id).await?)))
}

/// A finished export's file, as a download.
pub async fn file_response(state: &AppState, who: &Principal, id: i64) -> ApiResult<Response> {
    let (job, path) = state.export_file(&who.caller(), id).await?;
    let format = job.format;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| ApiError::Internal(format!("export {id}: {e}")))?;
    file_download(format, &format!("hearken-cases-{id}"), bytes)
}

/// A file to download, named `{name}.{xlsx|csv}`.
pub fn file_download(format: ExportFormat, name: &str, bytes: Vec<u8>) -> ApiResult<Response> {
    Response::builder()
        .header(header::CONTENT_TYPE, format.media_type())
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.{}\"", format.as_str()),
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(Body::from(bytes))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

#[utoipa::path(get, path = "/api/v1/exports/{id}/file", tag = "cases", params(("id" = i64, Path, description = "Export id")),
    responses((status = 200, description = "The file"), (status = 404, description = "Not finished, failed, or not one of your exports", body = crate::error::ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    file_response(&state, &who, id).await
}
