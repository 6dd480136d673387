//! Reporting schedules and special periods: which windows a unit has on a day, and when
//! each is due.

use crate::calendar::Calendar;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Serialize;

/// A unit's standing schedule: the subordinate units' deadlines each working day, and how
/// long after each a unit with subordinates has to compile its own report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub windows: Vec<NaiveTime>,
    pub compile_minutes: u32,
}

impl Default for Schedule {
    /// One window a day: subordinate units by 15:30, the compiled report by 16:00.
    fn default() -> Self {
        Schedule {
            windows: NaiveTime::from_hms_opt(15, 30, 0).into_iter().collect(),
            compile_minutes: 30,
        }
    }
}

/// A special period (特护期): other windows for a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecialPeriod {
    pub id: i64,
    /// The unit that declared it, by its materialised path.
    pub unit_path: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The subordinate units' deadlines each day of the period.
    pub windows: Vec<NaiveTime>,
    /// Whether it applies to every unit below the declaring one.
    pub subtree: bool,
    /// Whether weekends and holidays in the range have windows too.
    pub rest_days: bool,
}

impl SpecialPeriod {
    /// Whether it governs the unit at `path` on `day`.
    pub fn covers(&self, path: &str, day: NaiveDate) -> bool {
        let unit = self.unit_path == path || (self.subtree && path.starts_with(&self.unit_path));
        unit && self.starts_on <= day && day <= self.ends_on
    }
}

/// One reporting window of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// 1-based, in the order of the day.
    pub no: u32,
    /// The subordinate units' deadline.
    pub children_due: NaiveTime,
    /// This unit's own deadline: `children_due`, plus the compiling time when the unit
    /// has subordinates.
    pub due: NaiveTime,
}

/// A unit's windows on one day, and the special period that set them, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayPlan {
    pub day: NaiveDate,
    pub windows: Vec<Window>,
    pub special: Option<SpecialPeriod>,
}

/// The schedule that governs the unit at `path`: its own, else its nearest ancestor's,
/// else the default. `schedules` holds `(unit path, schedule)` pairs.
pub fn pick_schedule(path: &str, schedules: &[(String, Schedule)]) -> Schedule {
    schedules
        .iter()
        .filter(|(p, _)| path.starts_with(p.as_str()))
        .max_by_key(|(p, _)| p.len())
        .map(|(_, s)| s.clone())
        .unwrap_or_default()
}

/// The windows of the unit at `path` on `day`. The special period declared nearest to the
/// unit wins (the latest-starting one on a tie); without one, rest days have no windows.
pub fn plan_day(
    day: NaiveDate,
    path: &str,
    has_children: bool,
    schedule: &Schedule,
    specials: &[SpecialPeriod],
    calendar: &Calendar,
) -> DayPlan {
    let special = specials
        .iter()
        .filter(|s| s.covers(path, day))
        .max_by_key(|s| (s.unit_path.len(), s.starts_on, s.id))
        .cloned();
    let working = calendar.is_workday(day).working;
    let times: &[NaiveTime] = match &special {
        Some(s) if working || s.rest_days => &s.windows,
        Some(_) => &[],
        None if working => &schedule.windows,
        None => &[],
    };
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.dedup();
    let extra = if has_children {
        chrono::Duration::minutes(i64::from(schedule.compile_minutes))
    } else {
        chrono::Duration::zero()
    };
    let windows = sorted
        .into_iter()
        .zip(1..)
        .map(|(t, no)| Window {
            no,
            children_due: t,
            // A compiled report never runs past midnight into the next day.
            due: t.overflowing_add_signed(extra).0.max(t),
        })
        .collect();
    DayPlan {
        day,
        windows,
        special,
    }
}

/// `day` at `time` in the office's time zone, as an instant.
pub fn due_instant(day: NaiveDate, time: NaiveTime, tz: FixedOffset) -> DateTime<Utc> {
    match tz.from_local_datetime(&day.and_time(time)).single() {
        Some(t) => t.with_timezone(&Utc),
        None => day.and_time(time).and_utc(),
    }
}

/// Reads windows written as `HH:MM` separated by commas or spaces, e.g. `08:40, 16:40`.
/// At least one, at most twelve, each a valid time.
pub fn parse_windows(text: &str) -> Result<Vec<NaiveTime>, &'static str> {
    let mut out = vec![];
    for part in text
        .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let t = NaiveTime::parse_from_str(part, "%H:%M").map_err(|_| "invalid_window_time")?;
        out.push(t);
    }
    out.sort();
    out.dedup();
    if out.is_empty() || out.len() > 12 {
        return Err("invalid_window_count");
    }
    Ok(out)
}

/// Windows as text, the way [`parse_windows`] reads them.
pub fn windows_text(windows: &[NaiveTime]) -> String {
    windows
        .iter()
        .map(|t| t.format("%H:%M").to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
