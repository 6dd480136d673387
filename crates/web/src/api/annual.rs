//! The annual report (Art. 41) and hotspots (矛盾隐患预警) through the API.

use super::extract::ApiQuery;
use super::JsonBody;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::annual::AnnualFigures;
use app::hotspots::Hotspots;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnnualQuery {
    /// A unit code in your subtree (yours by default).
    pub unit: Option<String>,
    /// The year (the current year by default).
    #[param(minimum = 1990, maximum = 2200)]
    pub year: Option<i32>,
}

impl AnnualQuery {
    pub fn year(&self, state: &AppState) -> ApiResult<i32> {
        use chrono::Datelike;
        let y = self.year.unwrap_or_else(|| state.config.today().year());
        if !(1990..=2200).contains(&y) {
            return Err(ApiError::field("year", "out_of_range"));
        }
        Ok(y)
    }

    pub fn unit(&self) -> ApiResult<Option<String>> {
        match self
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(None),
            Some(u) if domain::UnitCode::parse(u).is_some() => Ok(Some(u.to_string())),
            Some(_) => Err(ApiError::field("unit", "invalid_unit")),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/reports/annual", tag = "stats", params(AnnualQuery),
    description = "A unit's year in figures, as the annual report (Art. 41) shows them: `total` and \
                   `prev_total` (cases received in the year and the year before, = `GET /api/v1/cases?unit=…&from=YYYY-01-01&to=YYYY-12-31`), \
                   `months` (`month` is the queue's `month` filter, with `prev` the same month a year before), \
                   `by_channel`, `by_type`, `by_category`, `top_units`, `top_categories`, `top_respondents`, \
                   `activity` (transfers, assignments, supervision orders, accountability records) and `rates` \
                   (the whole subtree over the year, as `GET /api/v1/stats/rates`).",
    responses((status = 200, description = "The figures"),
              (status = 404, description = "No such unit in your scope", body = crate::error::ErrorBody),
              (status = 422, description = "A parameter is wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn annual(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<AnnualQuery>,
) -> ApiResult<Json<AnnualFigures>> {
    let year = q.year(&state)?;
    let unit = q.unit()?;
    Ok(Json(
        state
            .annual_figures(&who.caller(), unit.as_deref(), year)
            .await?,
    ))
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HotspotQuery {
    /// A unit code in your subtree (yours by default).
    pub unit: Option<String>,
    /// The window in days (30 by default): the last `window` days against the `window`
    /// days before.
    #[param(minimum = 1, maximum = 365)]
    pub window: Option<u32>,
    /// The fewest cases in the current window that make a hotspot (3 by default).
    #[param(minimum = 1, maximum = 1000)]
    pub min: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/stats/hotspots", tag = "stats", params(HotspotQuery),
    description = "Clusters of petitions on one matter that are rising: at least `min` cases received in the \
                   current window and more than in the window before. Clustered by respondent, by county-level \
                   region and top-level category, and by shared text (the similarity ranking of the search \
                   index). Each item: `key` (stable), `kind`, `respondent`, `region`, `category`, `now`, \
                   `before`, `series` (cases per tenth of both windows) and `cases` (the current window's). \
                   Matters only: nothing is clustered by petitioner.",
    responses((status = 200, description = "The hotspots, most cases first"),
              (status = 404, description = "No such unit in your scope", body = crate::error::ErrorBody),
              (status = 422, description = "A parameter is wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn hotspots(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ApiQuery(q): ApiQuery<HotspotQuery>,
) -> ApiResult<Json<Hotspots>> {
    let unit = AnnualQuery {
        unit: q.unit.clone(),
        year: None,
    }
    .unit()?;
    Ok(Json(
        state
            .hotspots(
                &who.caller(),
                unit.as_deref(),
                q.window,
                q.min,
                Some(state.search.clone()),
            )
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OwnerBody {
    /// The hotspot's `key`.
    pub key: String,
    /// The unit whose hotspots these are (yours by default).
    pub unit: Option<String>,
    /// The owner: a leader's user id in your scope; `null` removes the owner.
    pub owner: Option<i64>,
    /// What the hotspot is about, for its history.
    #[serde(default)]
    pub label: String,
    /// Its cases now, for its history.
    #[serde(default)]
    pub cases: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/stats/hotspots/owner", tag = "stats", request_body = OwnerBody,
    responses((status = 204, description = "Assigned (or, with `owner: null`, removed); the hotspot's history records it"),
              (status = 404, description = "`owner: null`, and the hotspot has no owner", body = crate::error::ErrorBody),
              (status = 403, description = "Only supervisors and leaders assign hotspots", body = crate::error::ErrorBody),
              (status = 422, description = "The owner is not a leader in your scope, or the key is empty", body = crate::error::ErrorBody)))]
pub async fn assign_owner(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    JsonBody(b): JsonBody<OwnerBody>,
) -> ApiResult<StatusCode> {
    let unit = AnnualQuery {
        unit: b.unit.clone(),
        year: None,
    }
    .unit()?;
    state
        .assign_hotspot(
            &who.caller(),
            unit.as_deref(),
            &b.key,
            &b.label,
            b.owner,
            &b.cases,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
