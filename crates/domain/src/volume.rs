//! The volume tally: how many cases each unit holds, counted one field at a time, by the
//! day and the month each case was received, in each state and county. It is kept with
//! every change to a case (in the change's transaction), so that a volume over a province
//! sums a few thousand tally rows instead of counting a million cases.
//!
//! A case stands in one cell of each field ([`VolumeDim`]) for its day and one for its
//! month. When a change moves it (a new state, a new holding unit, a corrected category or
//! region), it leaves its old cells and enters its new ones: [`moves`].

use crate::case::string_enum;
use crate::stats::{tally_periods, Grain};
use crate::{CaseState, CaseType, Channel};
use chrono::NaiveDate;
use std::collections::BTreeMap;

string_enum!(
    /// The field a volume tally row counts by.
    VolumeDim {
        Category => "category",
        Channel => "channel",
        Type => "type",
        Region => "region",
        /// One row per state: each case is counted once in this field, so volumes by unit
        /// and by month read it too.
        State => "state",
    }
);

/// How many leading digits of a region code name its county (区县): every tally row
/// carries them, so a region filter down to a county is answered by any field's rows.
pub const AREA_DIGITS: usize = 6;

/// The county part of a region code (all of it, if shorter).
pub fn area_of(region: &str) -> &str {
    region.get(..AREA_DIGITS).unwrap_or(region)
}

/// Whether a region filter (a code prefix; `!` marks an exact code) can be answered from
/// the county every tally row carries: a plain prefix no longer than a county's code.
pub fn area_answers(region_filter: &str) -> bool {
    !region_filter.ends_with(crate::stats::ONLY_MARK)
        && region_filter.len() <= AREA_DIGITS
        && region_filter.bytes().all(|b| b.is_ascii_digit())
}

/// What places a case in the volume tally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeFacts {
    /// The unit that holds the case.
    pub unit_id: i64,
    pub received_on: NaiveDate,
    pub state: CaseState,
    pub channel: Channel,
    pub case_type: CaseType,
    pub category: String,
    pub region: String,
}

/// One cell of the volume tally.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VolumeCell {
    pub dim: String,
    pub grain: String,
    pub period: String,
    pub unit_id: i64,
    pub state: String,
    pub area: String,
    pub key: String,
}

impl VolumeFacts {
    /// The value this case counts under in `dim`.
    pub fn key(&self, dim: VolumeDim) -> &str {
        match dim {
            VolumeDim::Category => &self.category,
            VolumeDim::Channel => self.channel.as_str(),
            VolumeDim::Type => self.case_type.as_str(),
            VolumeDim::Region => &self.region,
            VolumeDim::State => self.state.as_str(),
        }
    }

    /// The cells this case counts in: one per field, for its day and for its month.
    pub fn cells(&self) -> Vec<VolumeCell> {
        let periods = tally_periods(self.received_on);
        let mut out = Vec::with_capacity(VolumeDim::ALL.len() * periods.len());
        for dim in VolumeDim::ALL {
            for (grain, period) in &periods {
                out.push(VolumeCell {
                    dim: dim.as_str().into(),
                    grain: grain.as_str().into(),
                    period: period.clone(),
                    unit_id: self.unit_id,
                    state: self.state.as_str().into(),
                    area: area_of(&self.region).into(),
                    key: self.key(*dim).into(),
                });
            }
        }
        out
    }
}

/// What a change adds to each cell: `-1` to each cell the case leaves, `+1` to each it
/// enters. Cells it stays in are left out, so an unchanged case changes nothing. `None`
/// before: a new case; `None` after: a case no longer counted.
pub fn moves(
    before: Option<&VolumeFacts>,
    after: Option<&VolumeFacts>,
) -> BTreeMap<VolumeCell, i64> {
    let mut delta: BTreeMap<VolumeCell, i64> = BTreeMap::new();
    for c in before.map(VolumeFacts::cells).unwrap_or_default() {
        *delta.entry(c).or_default() -= 1;
    }
    for c in after.map(VolumeFacts::cells).unwrap_or_default() {
        *delta.entry(c).or_default() += 1;
    }
    delta.retain(|_, n| *n != 0);
    delta
}

/// What new cases add to each cell: `+1` per case in each cell it counts in, summed
/// (registration, or the bulk loader's cases as they stand).
pub fn arrivals<'a>(cases: impl IntoIterator<Item = &'a VolumeFacts>) -> BTreeMap<VolumeCell, i64> {
    let mut delta: BTreeMap<VolumeCell, i64> = BTreeMap::new();
    for c in cases {
        for cell in c.cells() {
            *delta.entry(cell).or_default() += 1;
        }
    }
    delta
}

/// The days a queue filter's received range covers: on or after `from`, on or before
/// `to`, within `month` (`YYYY-MM`), each optional and intersected. `None` when one of
/// them is not a date (the tally cannot answer it; the queue compares it as text).
pub fn received_span(
    from: Option<&str>,
    to: Option<&str>,
    month: Option<&str>,
) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    // Only the form the queue's text comparison agrees with (`2026-01-05`, not `2026-1-5`).
    let day = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == s)
    };
    let mut lo = match from {
        Some(s) => Some(day(s)?),
        None => None,
    };
    let mut hi = match to {
        Some(s) => Some(day(s)?),
        None => None,
    };
    if let Some(m) = month {
        let first = day(&format!("{m}-01")).filter(|_| m.len() == 7)?;
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())?;
        lo = Some(lo.map_or(first, |d| d.max(first)));
        hi = Some(hi.map_or(last, |d| d.min(last)));
    }
    Some((lo, hi))
}

/// The grain a tally period string belongs to.
pub fn grain_of(period: &str) -> Grain {
    if period.len() > 7 {
        Grain::Day
    } else {
        Grain::Month
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> VolumeFacts {
        VolumeFacts {
            unit_id: 7,
            received_on: NaiveDate::from_ymd_opt(2026, 3, 9).expect("date"),
            state: CaseState::Open,
            channel: Channel::Letter,
            case_type: CaseType::Claim,
            category: "labor.wages".into(),
            region: "330106001".into(),
        }
    }

    #[test]
    fn a_case_counts_once_per_field_for_its_day_and_its_month() {
        let cells = facts().cells();
        assert_eq!(cells.len(), 10);
        let cat: Vec<_> = cells.iter().filter(|c| c.dim == "category").collect();
        assert_eq!(cat.len(), 2);
        assert!(cat
            .iter()
            .any(|c| c.period == "2026-03-09" && c.grain == "d"));
        assert!(cat.iter().any(|c| c.period == "2026-03" && c.grain == "m"));
        assert!(cells
            .iter()
            .all(|c| c.area == "330106" && c.state == "open"));
    }

    #[test]
    fn closing_a_case_moves_every_cell_to_the_closed_state() {
        let before = facts();
        let after = VolumeFacts {
            state: CaseState::Closed,
            ..facts()
        };
        let d = moves(Some(&before), Some(&after));
        assert_eq!(d.len(), 20);
        assert_eq!(d.values().filter(|n| **n == -1).count(), 10);
        assert!(d.iter().all(|(c, n)| (c.state == "open") == (*n == -1)));
    }

    #[test]
    fn a_correction_moves_only_the_cells_it_changes() {
        let before = facts();
        let after = VolumeFacts {
            category: "labor.safety".into(),
            ..facts()
        };
        let d = moves(Some(&before), Some(&after));
        assert_eq!(
            d.len(),
            4,
            "category rows for the day and month, out and in"
        );
        assert!(d.keys().all(|c| c.dim == "category"));
        assert!(moves(Some(&before), Some(&before)).is_empty());
    }

    #[test]
    fn a_month_narrows_the_received_range() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(
            received_span(Some("2026-01-15"), None, Some("2026-02")),
            Some((d("2026-02-01"), d("2026-02-28")))
        );
        assert_eq!(
            received_span(None, Some("2026-02-10"), Some("2026-02")),
            Some((d("2026-02-01"), d("2026-02-10")))
        );
        assert_eq!(received_span(Some("2026-1-5"), None, None), None);
        assert_eq!(received_span(None, None, Some("2026-13")), None);
        assert_eq!(received_span(None, None, None), Some((None, None)));
    }

    #[test]
    fn only_plain_prefixes_down_to_a_county_are_answered_by_the_area() {
        assert!(area_answers("33"));
        assert!(area_answers("330106"));
        assert!(!area_answers("330106001"));
        assert!(!area_answers("330106!"));
        assert_eq!(area_of("33"), "33");
    }
}
