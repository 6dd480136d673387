//! Parsing of holiday files (`data/calendar/cn-holidays.toml` and an
//! administrator's file in the same format).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use toml::Value;

use super::CalendarError;

/// One year's published schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct YearSchedule {
    /// Rest days announced by the notice (weekend days inside a span included).
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days turned into working days (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

/// Parses `[YYYY] holidays = [...] workdays = [...]` tables.
///
/// Dates are `"YYYY-MM-DD"` strings (TOML local dates are accepted too).
/// `holidays` is required, `workdays` may be left out.
pub(crate) fn parse_years(text: &str) -> Result<BTreeMap<i32, YearSchedule>, CalendarError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| CalendarError::Syntax(e.to_string().trim().to_string()))?;
    let mut years = BTreeMap::new();
    for (key, value) in &table {
        let year = parse_year_key(key)?;
        let Value::Table(body) = value else {
            return Err(CalendarError::NotAYear(key.clone()));
        };
        years.insert(year, parse_year(year, body)?);
    }
    Ok(years)
}

fn parse_year_key(key: &str) -> Result<i32, CalendarError> {
    let year = key
        .parse::<i32>()
        .ok()
        .filter(|_| key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()));
    year.ok_or_else(|| CalendarError::NotAYear(key.to_string()))
}

fn parse_year(year: i32, body: &toml::Table) -> Result<YearSchedule, CalendarError> {
    if let Some(unknown) = body.keys().find(|k| *k != "holidays" && *k != "workdays") {
        return Err(CalendarError::Shape {
            year,
            detail: format!("unknown key `{unknown}` (expected `holidays` and `workdays`)"),
        });
    }
    let holidays = match body.get("holidays") {
        Some(v) => parse_dates(year, "holidays", v)?,
        None => {
            return Err(CalendarError::Shape {
                year,
                detail: "missing `holidays`".to_string(),
            })
        }
    };
    let workdays = match body.get("workdays") {
        Some(v) => parse_dates(year, "workdays", v)?,
        None => BTreeSet::new(),
    };
    if let Some(&date) = holidays.intersection(&workdays).next() {
        return Err(CalendarError::HolidayAndWorkday { year, date });
    }
    if let Some(&date) = workdays
        .iter()
        .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
    {
        return Err(CalendarError::WorkdayNotWeekend {
            year,
            date,
            weekday: date.weekday(),
        });
    }
    Ok(YearSchedule { holidays, workdays })
}

fn parse_dates(
    year: i32,
    key: &'static str,
    value: &Value,
) -> Result<BTreeSet<NaiveDate>, CalendarError> {
    let Value::Array(items) = value else {
        return Err(CalendarError::Shape {
            year,
            detail: format!("`{key}` must be a list of dates"),
        });
    };
    let mut out = BTreeSet::new();
    for item in items {
        let date = parse_date(item).ok_or_else(|| CalendarError::BadDate {
            year,
            key,
            value: describe(item),
        })?;
        if date.year() != year {
            return Err(CalendarError::WrongYear { year, key, date });
        }
        out.insert(date);
    }
    Ok(out)
}

/// `"2026-01-01"` (exactly this form) or a TOML local date `2026-01-01`.
fn parse_date(item: &Value) -> Option<NaiveDate> {
    match item {
        Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == *s),
        Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date?;
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

/// A value as the administrator wrote it, for error messages.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(dt) => dt.to_string(),
        Value::Array(_) => "a list".to_string(),
        Value::Table(_) => "a table".to_string(),
    }
}
