//! The queue's filters as `GET /api/v1/cases` and the queue page take them: parsed,
//! checked, and resolved into the store's filter.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use app::model::{CaseFilter, Cursor};
use app::AppError;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A unit code: its subtree (within yours); with `!` after it (`330106!`), only the
    /// cases that unit holds itself.
    pub unit: Option<String>,
    /// open | closed | voided
    pub state: Option<String>,
    pub channel: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub case_type: Option<String>,
    /// A category code; subcategories match too, unless it ends in `!` (`labor!`: that
    /// category itself only).
    pub category: Option<String>,
    /// A region-code prefix: up to 12 digits; with `!` after it, that code exactly.
    #[param(pattern = "^[0-9]{0,12}!?$")]
    pub region: Option<String>,
    /// The month received (YYYY-MM).
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: Option<String>,
    /// Received on or after (YYYY-MM-DD).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Received on or before (YYYY-MM-DD).
    #[param(format = Date)]
    pub to: Option<String>,
    /// A whole case number, or a part: digits alone (`000053`, `53`) match the
    /// sequence; `2026-000053` the end; anything else the start. `%` and `_` are literal.
    pub case_no: Option<String>,
    /// A stage (`handling`, …) or a supervision board group: `routing`, `acceptance`,
    /// `handling`, `review` (review and re-review), `other`.
    pub stage: Option<String>,
    /// `overdue` (past the stage's deadline) or `due_soon` (within the due-soon window).
    #[param(pattern = "^(overdue|due_soon)?$")]
    pub due: Option<String>,
    /// `1`: only cases under listed supervision (挂牌督办).
    #[param(pattern = "^(1|true)?$")]
    pub listed: Option<String>,
    /// Only the cases behind a per-unit rate's figure (`GET /api/v1/stats/rates`):
    /// `routing`, `acceptance`, `completion`, `satisfaction`, `overturn` or `repeat`.
    #[param(pattern = "^(routing|acceptance|completion|satisfaction|overturn|repeat)?$")]
    pub rate: Option<String>,
    /// With `rate`: `counted` (the denominator, the default), `met` (the numerator) or
    /// `missed` (counted but not met: late, dissatisfied, upheld; not for `repeat`).
    #[param(pattern = "^(counted|met|missed)?$")]
    pub rate_part: Option<String>,
    /// With `rate`: the unit whose figure it is, as in the rates' rows: a code (its
    /// subtree) or a code with `!` (that unit itself). Your own unit by default.
    pub rate_unit: Option<String>,
    /// With `rate`: steps taken on or after (YYYY-MM-DD), as the rates' `from`.
    #[param(format = Date)]
    pub rate_from: Option<String>,
    /// With `rate`: steps taken on or before (YYYY-MM-DD), as the rates' `to`.
    #[param(format = Date)]
    pub rate_to: Option<String>,
    /// `due` (soonest deadline first, the default) or `registered` (oldest first).
    #[param(pattern = "^(due|registered)?$")]
    pub sort: Option<String>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1–200 (50 by default); outside that range the answer is 422.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Longest queue filter value, in characters.
const MAX_PARAM_CHARS: usize = 200;

impl ListQuery {
    /// The store filter, with the unit code resolved to its path.
    pub async fn filter(&self, state: &AppState) -> ApiResult<CaseFilter> {
        // Every value is one line of text; a control character is refused by name
        // before anything reaches the database.
        let params = [
            ("unit", &self.unit),
            ("state", &self.state),
            ("channel", &self.channel),
            ("type", &self.case_type),
            ("category", &self.category),
            ("region", &self.region),
            ("from", &self.from),
            ("to", &self.to),
            ("month", &self.month),
            ("case_no", &self.case_no),
            ("stage", &self.stage),
            ("due", &self.due),
            ("listed", &self.listed),
            ("rate", &self.rate),
            ("rate_part", &self.rate_part),
            ("rate_unit", &self.rate_unit),
            ("rate_from", &self.rate_from),
            ("rate_to", &self.rate_to),
            ("sort", &self.sort),
            ("cursor", &self.cursor),
        ];
        let mut errors = domain::FieldErrors::new();
        for (field, v) in params {
            if let Some(Err(e)) = v
                .as_deref()
                .map(|s| domain::Line::parse(s, MAX_PARAM_CHARS))
            {
                errors.insert(field.into(), e.code().into());
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let nonempty = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        for (field, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("rate_from", &self.rate_from),
            ("rate_to", &self.rate_to),
        ] {
            if let Some(d) = nonempty(v) {
                chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| ApiError::field(field, "invalid_date"))?;
            }
        }
        if let Some(r) = nonempty(&self.region) {
            let prefix = r.strip_suffix(domain::stats::ONLY_MARK).unwrap_or(&r);
            if !domain::codes::is_region_prefix(prefix) {
                return Err(ApiError::field("region", "invalid_region"));
            }
        }
        if let Some(m) = nonempty(&self.month) {
            chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| m.len() == 7)
                .ok_or_else(|| ApiError::field("month", "invalid_month"))?;
        }
        let unit = nonempty(&self.unit);
        let unit_only = unit
            .as_deref()
            .is_some_and(|u| u.ends_with(domain::stats::ONLY_MARK));
        let unit_path = match unit.map(|u| u.trim_end_matches(domain::stats::ONLY_MARK).to_string())
        {
            None => None,
            Some(code) => match state.unit_by_code(&code.to_ascii_uppercase()).await {
                Ok(u) => Some(u.path),
                Err(AppError::NotFound) => Some("/none/".into()),
                Err(e) => return Err(e.into()),
            },
        };
        let stages = match nonempty(&self.stage) {
            None => vec![],
            Some(s) => match (
                domain::supervision::DelayStage::parse(&s),
                domain::Stage::parse(&s),
            ) {
                (Some(group), _) => group
                    .stages()
                    .iter()
                    .map(|s| s.as_str().to_string())
                    .collect(),
                (None, Some(stage)) => vec![stage.as_str().to_string()],
                (None, None) => return Err(ApiError::field("stage", "invalid_stage")),
            },
        };
        // The same dates as the supervision board's figures.
        let (due_before, due_from, due_until) = match nonempty(&self.due).as_deref() {
            None => (None, None, None),
            Some(d) => match domain::DueStatus::parse(d) {
                Some(d) if d.is_pressing() => {
                    let f = state.board_filter(None, Some(d));
                    (f.due_before, f.due_from, f.due_until)
                }
                _ => return Err(ApiError::field("due", "invalid_due")),
            },
        };
        let listed = match nonempty(&self.listed).as_deref() {
            None => false,
            Some("1" | "true") => true,
            Some(_) => return Err(ApiError::field("listed", "invalid")),
        };
        let rate = self.rate_filter(state).await?;
        Ok(CaseFilter {
            stages,
            due_before,
            due_from,
            due_until,
            listed,
            rate,
            unit_path,
            unit_only,
            month: nonempty(&self.month),
            state: nonempty(&self.state),
            channel: nonempty(&self.channel),
            case_type: nonempty(&self.case_type),
            category: nonempty(&self.category),
            region: nonempty(&self.region),
            received_from: nonempty(&self.from),
            received_to: nonempty(&self.to),
            case_no: nonempty(&self.case_no).map(|s| s.to_ascii_uppercase()),
            order: match nonempty(&self.sort).as_deref() {
                None | Some("due") => app::model::Order::Due,
                Some("registered") => app::model::Order::Registered,
                Some(_) => return Err(ApiError::field("sort", "invalid_sort")),
            },
        })
    }

    /// The rate filter (`rate`, `rate_part`, `rate_unit`, `rate_from`, `rate_to`).
    async fn rate_filter(&self, state: &AppState) -> ApiResult<Option<app::model::RateFilter>> {
        use domain::stats::{Rate, RatePart, ONLY_MARK};
        let nonempty = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let Some(rate) = nonempty(&self.rate) else {
            for (field, v) in [
                ("rate_part", &self.rate_part),
                ("rate_unit", &self.rate_unit),
                ("rate_from", &self.rate_from),
                ("rate_to", &self.rate_to),
            ] {
                if nonempty(v).is_some() {
                    return Err(ApiError::field(field, "needs_rate"));
                }
            }
            return Ok(None);
        };
        let rate = Rate::parse(&rate).ok_or_else(|| ApiError::field("rate", "invalid_rate"))?;
        let part = match nonempty(&self.rate_part) {
            None => RatePart::Counted,
            Some(p) => RatePart::parse(&p)
                .filter(|p| *p != RatePart::Missed || rate.lists_misses())
                .ok_or_else(|| ApiError::field("rate_part", "invalid_rate_part"))?,
        };
        let unit = nonempty(&self.rate_unit);
        let unit_only = unit.as_deref().is_some_and(|u| u.ends_with(ONLY_MARK));
        let unit_path = match unit.map(|u| u.trim_end_matches(ONLY_MARK).to_ascii_uppercase()) {
            None => None,
            Some(code) => match state.unit_by_code(&code).await {
                Ok(u) => Some(u.path),
                Err(AppError::NotFound) => Some("/none/".into()),
                Err(e) => return Err(e.into()),
            },
        };
        Ok(Some(app::model::RateFilter {
            rate,
            part,
            unit_path,
            unit_only,
            from: nonempty(&self.rate_from),
            to: nonempty(&self.rate_to),
        }))
    }

    pub fn cursor(&self) -> ApiResult<Option<Cursor>> {
        match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) => Cursor::decode(c)
                .map(Some)
                .ok_or_else(|| ApiError::field("cursor", "invalid_cursor")),
        }
    }
}
