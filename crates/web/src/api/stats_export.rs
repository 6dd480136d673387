//! The volume table as a file (XLSX or CSV): what the statistics page shows, one row per
//! figure with the key that lists its cases, and the total.

use super::exports::{file_download, parse_format};
use super::extract::ApiQuery;
use super::stats::{label_rows, VolumeQuery};
use crate::auth::{ApiUser, Principal};
use crate::error::ApiResult;
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::regions::Regions;
use app::stats::VolumeBy;
use app::table_file::{table_bytes, Table};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableFormat {
    /// `xlsx` (the default) or `csv`.
    #[param(pattern = "^(xlsx|csv)?$")]
    pub format: Option<String>,
}

/// The volume that `q` asks for, as a file in the reader's language.
pub async fn volume_file(
    state: &AppState,
    who: &Principal,
    t: &Tr,
    q: &VolumeQuery,
    format: Option<&str>,
) -> ApiResult<Response> {
    let format = parse_format(format)?;
    let by = q.by()?;
    let filter = q.list_query().filter(state).await?;
    let v = state.volume(&who.caller(), &filter, by).await?;
    let regions = if by == VolumeBy::Region {
        Regions::load(state).await
    } else {
        Regions::default()
    };
    let headings = [
        t.code("stats-by", by.as_str()),
        t.t("export-col-key"),
        t.t("stats-count"),
    ];
    let mut rows: Vec<Vec<String>> = label_rows(t, &regions, by, &v)
        .into_iter()
        .map(|r| vec![r.label, r.key, r.count.to_string()])
        .collect();
    rows.push(vec![
        t.t("stats-rates-total"),
        String::new(),
        v.total.to_string(),
    ]);
    let table = Table {
        headings: &headings,
        numeric: &[2],
    };
    let bytes = table_bytes(format, &table, rows.into_iter())?;
    file_download(format, &format!("hearken-volume-{}", by.as_str()), bytes)
}

#[utoipa::path(get, path = "/api/v1/stats/volume/export", tag = "stats", params(VolumeQuery, TableFormat),
    responses((status = 200, description = "The volume table as an XLSX or CSV file: label, key and count per row, then the total"),
              (status = 422, description = "A parameter is missing or wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn volume_export(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<VolumeQuery>,
    ApiQuery(f): ApiQuery<TableFormat>,
) -> ApiResult<Response> {
    let t = crate::views::tr(&state, lang);
    volume_file(&state, &who, &t, &q, f.format.as_deref()).await
}
