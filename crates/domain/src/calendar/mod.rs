//! The deadline calendar: public holidays, adjusted working days (调休上班) and
//! the period arithmetic of the Civil Code (民法典 第二百零一条、第二百零三条).
//!
//! Pure: the holiday schedule and the rule sets ship as data
//! (`data/calendar/cn-holidays.toml`, `data/calendar/rules.toml`) embedded at
//! compile time; an administrator's file for a new year is passed in as text.
//!
//! - A calendar-day period (日) of `n` days from a trigger ends `n` days after
//!   the trigger (day 1 is the day after it); if that day is a rest day, it ends
//!   on the next working day.
//! - A working-day period (工作日) of `n` days ends on the `n`-th working day
//!   after the trigger.
//! - A working day is a Monday–Friday that is not a public holiday, or an
//!   adjusted working weekend day.
//! - A year without a published schedule falls back to plain weekends, and every
//!   answer that looked at such a year says so (`fallback`).

mod data;
mod days;
mod rules;

#[cfg(test)]
mod tests;

pub use days::Calendar;
pub use rules::RuleSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether one day is a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Workday {
    pub working: bool,
    /// The day's year has no published schedule: only weekends were considered.
    pub fallback: bool,
}

/// A computed deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Due {
    pub date: NaiveDate,
    /// Some day the computation looked at lies in a year without a published
    /// schedule, so the date may be wrong by the holidays of that year.
    pub fallback: bool,
}

/// A period: `days` calendar days (日), or `days` working days (工作日) if `working`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub days: u32,
    pub working: bool,
}

impl Period {
    /// `days` calendar days.
    pub const fn calendar_days(days: u32) -> Period {
        Period {
            days,
            working: false,
        }
    }

    /// `days` working days.
    pub const fn working_days(days: u32) -> Period {
        Period {
            days,
            working: true,
        }
    }
}

/// A holiday or rule file that cannot be used. The message names the table,
/// the key and the offending value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("not valid TOML: {0}")]
    Syntax(String),
    #[error("table [{0}] is not a year")]
    NotAYear(String),
    #[error("[{year}]: {detail}")]
    Shape { year: i32, detail: String },
    #[error("[{year}] {key}: {value} is not a date (YYYY-MM-DD)")]
    BadDate {
        year: i32,
        key: &'static str,
        value: String,
    },
    #[error("[{year}] {key}: {date} belongs to another year's table")]
    WrongYear {
        year: i32,
        key: &'static str,
        date: NaiveDate,
    },
    #[error("[{year}]: {date} is listed both as a holiday and as a workday")]
    HolidayAndWorkday { year: i32, date: NaiveDate },
    #[error("[{year}] workdays: {date} is a {weekday}, not a weekend day")]
    WorkdayNotWeekend {
        year: i32,
        date: NaiveDate,
        weekday: chrono::Weekday,
    },
    #[error("rules: {0}")]
    Rules(String),
}

impl CalendarError {
    /// A stable snake_case code, usable as an i18n key.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::Syntax(_) => "calendar_syntax",
            CalendarError::NotAYear(_) => "calendar_not_a_year",
            CalendarError::Shape { .. } => "calendar_shape",
            CalendarError::BadDate { .. } => "calendar_bad_date",
            CalendarError::WrongYear { .. } => "calendar_wrong_year",
            CalendarError::HolidayAndWorkday { .. } => "calendar_holiday_and_workday",
            CalendarError::WorkdayNotWeekend { .. } => "calendar_workday_not_weekend",
            CalendarError::Rules(_) => "calendar_rules",
        }
    }
}
