//! `hearken calendar`: due dates and working days on the statutory calendar, and loading
//! the calendar an admin extends with files in `<data>/calendar/`.

use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use domain::calendar::{Calendar, Period};
use std::path::Path;

/// The shipped calendar plus every `*.toml` in `<data>/calendar/`, in name order. A file
/// for a year replaces that year; a bad file stops with its name and the problem.
pub fn load(data: &Path) -> anyhow::Result<Calendar> {
    let mut cal = Calendar::shipped();
    let dir = data.join("calendar");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(cal);
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for f in files {
        let text =
            std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        cal = cal
            .with_file(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
    }
    Ok(cal)
}

fn warn_fallback(fallback: bool, cal: &Calendar, around: NaiveDate) {
    if fallback {
        let years: Vec<String> = cal.years().iter().map(|y| y.to_string()).collect();
        eprintln!(
            "warning: no published holiday schedule covers {} (known years: {}); counted on plain weekends. \
             Add the year in a file under <data>/calendar/ (see README).",
            around.year(),
            years.join(", ")
        );
    }
}

fn date(s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("'{s}' is not a date (YYYY-MM-DD)"))
}

/// Prints the due date alone: `days` calendar days (or working days) after `start`.
pub fn due(data: &Path, start: &str, days: u32, working: bool) -> anyhow::Result<()> {
    let cal = load(data)?;
    let start = date(start)?;
    let due = cal.add(start, Period { days, working });
    warn_fallback(due.fallback, &cal, due.date);
    println!("{}", due.date);
    Ok(())
}

/// Prints `true` or `false`.
pub fn workday(data: &Path, day: &str) -> anyhow::Result<()> {
    let cal = load(data)?;
    let day = date(day)?;
    let w = cal.is_workday(day);
    warn_fallback(w.fallback, &cal, day);
    println!("{}", w.working);
    Ok(())
}

/// Lists the years with a published schedule.
pub fn years(data: &Path) -> anyhow::Result<()> {
    let cal = load(data)?;
    for y in cal.years() {
        println!("{y}");
    }
    Ok(())
}
