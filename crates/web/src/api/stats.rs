//! Statistics: volumes (each row's key lists exactly its cases through the queue) and
//! per-unit rates.

use super::cases::ListQuery;
use super::extract::ApiQuery;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{ReqLang, Tr};
use crate::state::AppState;
use crate::views::regions::Regions;
use app::stats::{Volume, VolumeBy};
use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolumeQuery {
    /// What to count by: category | channel | type | region | unit | state | month.
    /// Units, categories and regions count one level below the filter of that name.
    #[param(pattern = "^(category|channel|type|region|unit|state|month)$")]
    pub by: Option<String>,
    /// A unit code: its subtree (within yours); `CODE!` that unit's own cases.
    pub unit: Option<String>,
    /// open | closed | voided
    pub state: Option<String>,
    pub channel: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub case_type: Option<String>,
    /// A category code (with its subcategories); `code!` that category itself.
    pub category: Option<String>,
    /// A region-code prefix; `code!` that code exactly.
    #[param(pattern = "^[0-9]{0,12}!?$")]
    pub region: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    #[param(format = Date)]
    pub to: Option<String>,
    /// The month received (YYYY-MM).
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: Option<String>,
    /// zh-CN (default) or en: the language of the labels.
    pub lang: Option<String>,
}

impl VolumeQuery {
    /// The queue's own filter of the same parameters.
    pub fn list_query(&self) -> ListQuery {
        ListQuery {
            unit: self.unit.clone(),
            state: self.state.clone(),
            channel: self.channel.clone(),
            case_type: self.case_type.clone(),
            category: self.category.clone(),
            region: self.region.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            month: self.month.clone(),
            ..ListQuery::default()
        }
    }

    pub fn by(&self) -> ApiResult<VolumeBy> {
        let by = self.by.as_deref().map(str::trim).unwrap_or("");
        if by.is_empty() {
            return Err(ApiError::field("by", "required"));
        }
        VolumeBy::parse(by).ok_or_else(|| ApiError::field("by", "invalid_by"))
    }
}

/// One row as the API and the page show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LabelledRow {
    /// The value of the queue filter named by `by` that lists exactly these cases.
    pub key: String,
    pub label: String,
    pub count: i64,
    /// Counting by the same field with `key` as the filter drills one level down.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub drillable: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VolumeAnswer {
    pub rows: Vec<LabelledRow>,
    /// Every case the filters match: the sum of the rows.
    pub total: i64,
}

/// Names each row in the reader's language: units and categories by name, regions by
/// their place names, codes by their labels; a node's own row says so.
pub fn label_rows(t: &Tr, regions: &Regions, by: VolumeBy, v: &Volume) -> Vec<LabelledRow> {
    v.rows
        .iter()
        .map(|r| {
            let bare = r.key.trim_end_matches(domain::stats::ONLY_MARK);
            let name = match by {
                VolumeBy::Unit | VolumeBy::Category => {
                    if t.is_en() && !r.name_en.is_empty() {
                        r.name_en.clone()
                    } else {
                        r.name.clone()
                    }
                }
                VolumeBy::Region => {
                    let chain = regions.prefix_name(bare);
                    let last = chain.rsplit(" › ").next().unwrap_or(&chain).to_string();
                    if last.is_empty() || last == bare {
                        bare.to_string()
                    } else {
                        last
                    }
                }
                VolumeBy::Channel => t.code("channel", &r.key),
                VolumeBy::Type => t.code("type", &r.key),
                VolumeBy::State => t.code("state", &r.key),
                VolumeBy::Month => r.key.clone(),
            };
            let label = if r.own {
                t.t1("stats-own", "name", &name)
            } else {
                name
            };
            LabelledRow {
                key: r.key.clone(),
                label,
                count: r.count,
                drillable: r.drillable,
            }
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/stats/volume", tag = "stats", params(VolumeQuery),
    responses((status = 200, description = "`rows` (`key`, `label`, `count`) and `total`. `GET /api/v1/cases?{by}={key}` with the same other filters lists exactly the cases of a row", body = VolumeAnswer),
              (status = 422, description = "A parameter is missing or wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn volume(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<VolumeQuery>,
) -> ApiResult<Json<VolumeAnswer>> {
    let by = q.by()?;
    let filter = q.list_query().filter(&state).await?;
    let v = state.volume(&who.caller(), &filter, by).await?;
    let t = crate::views::tr(&state, lang);
    let regions = if by == VolumeBy::Region {
        Regions::load(&state).await
    } else {
        Regions::default()
    };
    Ok(Json(VolumeAnswer {
        rows: label_rows(&t, &regions, by, &v),
        total: v.total,
    }))
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatesQuery {
    /// A unit code in your subtree (yours by default): its own row and one per unit
    /// right below it.
    pub unit: Option<String>,
    /// Steps taken on or after this day (YYYY-MM-DD).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Steps taken on or before this day (YYYY-MM-DD).
    #[param(format = Date)]
    pub to: Option<String>,
}

fn day(field: &'static str, v: &Option<String>) -> ApiResult<Option<NaiveDate>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::field(field, "invalid_date")),
    }
}

impl RatesQuery {
    pub fn days(&self) -> ApiResult<(Option<NaiveDate>, Option<NaiveDate>)> {
        Ok((day("from", &self.from)?, day("to", &self.to)?))
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateFigure {
    pub num: i64,
    pub den: i64,
    /// The query of `GET /api/v1/cases` that lists the cases behind `den`
    /// (`rate=…&rate_unit=…&rate_from=…&rate_to=…`); add `rate_part=met` for those behind
    /// `num`, or `rate_part=missed` for those counted but not met (not for `repeat`).
    pub cases: String,
}

/// The queue's query for the cases behind a rate's figure of unit `unit` (a code, with
/// `!` for a unit's own row) over `from..=to`.
pub fn rate_cases_query(
    rate: domain::stats::Rate,
    unit: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> String {
    let mut q = format!(
        "rate={}&rate_unit={}",
        rate.as_str(),
        crate::views::urlencode(unit)
    );
    if let Some(d) = from {
        q.push_str(&format!("&rate_from={d}"));
    }
    if let Some(d) = to {
        q.push_str(&format!("&rate_to={d}"));
    }
    q
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateRow {
    /// The unit's code; `own` rows count the unit's own steps, not its children's.
    pub unit: String,
    pub name: String,
    pub own: bool,
    /// routing, acceptance, completion, satisfaction, overturn, repeat.
    pub rates: std::collections::BTreeMap<String, RateFigure>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RatesAnswer {
    pub unit: String,
    pub rows: Vec<RateRow>,
    pub total: std::collections::BTreeMap<String, RateFigure>,
}

fn figures(
    v: &[(domain::stats::Rate, app::stats::Figure)],
    unit: &str,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
) -> std::collections::BTreeMap<String, RateFigure> {
    v.iter()
        .map(|(r, f)| {
            (
                r.as_str().to_string(),
                RateFigure {
                    num: f.num,
                    den: f.den,
                    cases: rate_cases_query(*r, unit, from, to),
                },
            )
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/stats/rates", tag = "stats", params(RatesQuery),
    responses((status = 200, description = "One row per unit right below `unit` (and one for its own steps), each rate as `num` over `den`; `total` for the whole subtree. The README defines each rate", body = RatesAnswer),
              (status = 404, description = "No such unit in your scope", body = crate::error::ErrorBody),
              (status = 422, description = "A parameter is wrong (named in `fields`)", body = crate::error::ErrorBody)))]
pub async fn rates(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<RatesQuery>,
) -> ApiResult<Json<RatesAnswer>> {
    let (from, to) = q.days()?;
    let unit = q.unit()?;
    let r = state
        .rates(&who.caller(), unit.as_deref(), from, to)
        .await
        .map_err(|e| match e {
            app::AppError::NotFound => ApiError::NotFound,
            e => e.into(),
        })?;
    let en = lang == crate::i18n::Lang::En;
    Ok(Json(RatesAnswer {
        unit: r.unit.clone(),
        rows: r
            .rows
            .iter()
            .map(|u| RateRow {
                unit: u.code.clone(),
                name: if en && !u.name_en.is_empty() {
                    u.name_en.clone()
                } else {
                    u.name.clone()
                },
                own: u.own,
                rates: figures(
                    &u.rates,
                    &if u.own {
                        format!("{}{}", u.code, domain::stats::ONLY_MARK)
                    } else {
                        u.code.clone()
                    },
                    (from, to),
                ),
            })
            .collect(),
        total: figures(&r.total, &r.unit, (from, to)),
    }))
}
