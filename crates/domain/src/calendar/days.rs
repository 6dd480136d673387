//! The calendar and its period arithmetic.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::data::{parse_years, YearSchedule};
use super::{CalendarError, Due, Period, Workday};

/// The shipped schedule, 2020–2026.
pub(crate) const SHIPPED_HOLIDAYS: &str =
    include_str!("../../../../data/calendar/cn-holidays.toml");

/// Public holidays and adjusted working days, per year.
///
/// `Calendar::default()` knows no year: every answer falls back to plain
/// weekends and says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, YearSchedule>,
}

impl Calendar {
    /// The shipped data (2020–2026). A unit test proves the embedded file
    /// parses; should it somehow not, this is an empty calendar (plain
    /// weekends, every answer flagged `fallback`) rather than a panic.
    pub fn shipped() -> Calendar {
        static SHIPPED: OnceLock<Calendar> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                Calendar::default()
                    .with_file(SHIPPED_HOLIDAYS)
                    .unwrap_or_default()
            })
            .clone()
    }

    /// Adds the years of another file in the same format (an administrator's
    /// file for a new year). A year present in both is replaced as a whole.
    /// Nothing is added if any part of the file is invalid.
    pub fn with_file(mut self, toml_text: &str) -> Result<Calendar, CalendarError> {
        let years = parse_years(toml_text)?;
        self.years.extend(years);
        Ok(self)
    }

    /// Years with a published schedule, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `d` is a working day. Without a schedule for `d`'s year, only
    /// weekends are rest days and `fallback` is set.
    pub fn is_workday(&self, d: NaiveDate) -> Workday {
        let weekday = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        match self.years.get(&d.year()) {
            Some(y) => Workday {
                working: y.workdays.contains(&d) || (weekday && !y.holidays.contains(&d)),
                fallback: false,
            },
            None => Workday {
                working: weekday,
                fallback: true,
            },
        }
    }

    /// A calendar-day period: `days` days after `start` (Art. 201: day 1 is the
    /// day after `start`), moved to the next working day if that is a rest day
    /// (Art. 203). Saturates at the end of the representable dates.
    pub fn add_days(&self, start: NaiveDate, days: u32) -> Due {
        let end = start
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        let mut d = end;
        let mut fallback = false;
        loop {
            let w = self.is_workday(d);
            fallback |= w.fallback;
            if w.working {
                break;
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        Due { date: d, fallback }
    }

    /// A working-day period: the `days`-th working day after `start`.
    /// Zero days is `start` itself.
    pub fn add_working_days(&self, start: NaiveDate, days: u32) -> Due {
        let mut d = start;
        let mut left = days;
        let mut fallback = false;
        while left > 0 {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            let w = self.is_workday(d);
            fallback |= w.fallback;
            if w.working {
                left -= 1;
            }
        }
        Due { date: d, fallback }
    }

    /// `period` counted from `start`, in calendar or working days.
    pub fn add(&self, start: NaiveDate, period: Period) -> Due {
        if period.working {
            self.add_working_days(start, period.days)
        } else {
            self.add_days(start, period.days)
        }
    }

    /// Working days strictly after `from` up to and including `to` (0 if
    /// `to <= from`), e.g. "3 working days left"; the flag is `fallback`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> (u32, bool) {
        let mut n = 0u32;
        let mut fallback = false;
        let mut d = from;
        while d < to {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            let w = self.is_workday(d);
            fallback |= w.fallback;
            if w.working {
                n = n.saturating_add(1);
            }
        }
        (n, fallback)
    }
}
