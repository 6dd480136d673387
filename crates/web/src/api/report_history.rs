//! The history of daily reports: search by days, unit subtree and words, and download
//! what was found as XLSX or CSV.

use super::exports::{file_download, parse_format};
use super::extract::ApiQuery;
use super::reports::parse_date;
use super::stats_export::TableFormat;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use app::model::ReportRow;
use app::report_history::HistoryQuery;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// A unit code in your scope: that unit and every unit below it. Your whole scope
    /// when absent.
    pub unit: Option<String>,
    /// First day, inclusive (YYYY-MM-DD).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD).
    #[param(format = Date)]
    pub to: Option<String>,
    /// Words that must all appear in the incidents or the notes.
    pub q: Option<String>,
    /// `true`: only "nothing to report"; `false`: only reports with content.
    #[param(pattern = "^(true|false)?$")]
    pub nothing: Option<String>,
    /// `true`: every version, not only the latest of each window.
    #[param(pattern = "^(true|false)?$")]
    pub all_versions: Option<String>,
    /// 1–200 (50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

fn flag(field: &'static str, v: Option<&str>) -> ApiResult<Option<bool>> {
    match v.map(str::trim).unwrap_or("") {
        "" => Ok(None),
        "true" | "1" | "on" => Ok(Some(true)),
        "false" | "0" => Ok(Some(false)),
        _ => Err(ApiError::field(field, "invalid_flag")),
    }
}

impl HistoryParams {
    pub fn query(&self) -> ApiResult<HistoryQuery> {
        Ok(HistoryQuery {
            unit: self.unit.clone(),
            from: parse_date("from", self.from.as_deref())?,
            to: parse_date("to", self.to.as_deref())?,
            text: self.q.clone(),
            nothing_to_report: flag("nothing", self.nothing.as_deref())?,
            all_versions: flag("all_versions", self.all_versions.as_deref())?.unwrap_or(false),
        })
    }
}

#[derive(Serialize)]
pub struct HistoryBody {
    pub items: Vec<ReportRow>,
    /// The cursor of the next page; absent on the last.
    pub next: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reports/history", tag = "duty", params(HistoryParams),
    responses((status = 200, description = "Report versions in your scope that match, newest day first: `{\"items\":[…],\"next\":…}`; by default only the latest version of each window"),
              (status = 422, description = "A parameter is wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(p): ApiQuery<HistoryParams>,
) -> ApiResult<Json<HistoryBody>> {
    let page = state
        .report_history(
            &who.caller(),
            &p.query()?,
            p.cursor.as_deref().filter(|c| !c.is_empty()),
            p.limit.unwrap_or(50),
        )
        .await?;
    Ok(Json(HistoryBody {
        items: page.items,
        next: page.next,
    }))
}

/// The matching reports as a file, with headings in the reader's language.
pub async fn history_file(
    state: &AppState,
    who: &app::Caller,
    t: &Tr,
    p: &HistoryParams,
    format: Option<&str>,
) -> ApiResult<Response> {
    let format = parse_format(format)?;
    let headings: Vec<String> = [
        "duty-date",
        "duty-hist-unit-code",
        "duty-unit",
        "duty-window-label",
        "duty-hist-version",
        "duty-filed-at",
        "duty-hist-filed-by",
        "duty-nothing-short",
        "duty-hist-new",
        "duty-hist-closed",
        "duty-hist-overdue",
        "duty-hist-group-visits",
        "duty-hist-group-people",
        "duty-hist-orders",
        "duty-incidents",
        "duty-notes",
    ]
    .iter()
    .map(|k| t.t(k))
    .collect();
    let bytes = state
        .report_history_file(
            who,
            &p.query()?,
            format,
            &headings,
            &t.t("duty-nothing-short"),
        )
        .await?;
    file_download(format, "hearken-daily-reports", bytes)
}

#[utoipa::path(get, path = "/api/v1/reports/history/export", tag = "duty", params(HistoryParams, TableFormat),
    responses((status = 200, description = "The matching reports (at most 20,000) as an XLSX or CSV file: day, unit, window, version, filing time and figures, incidents and notes"),
              (status = 422, description = "A parameter is wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(p): ApiQuery<HistoryParams>,
    ApiQuery(f): ApiQuery<TableFormat>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    history_file(&state, &who.caller(), &t, &p, f.format.as_deref()).await
}
