//! Whether a case's deadline is far, near or past.

use crate::calendar::Calendar;
use crate::case::string_enum;
use chrono::NaiveDate;
use serde::Serialize;

/// Whether a deadline is far, near or past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    /// No deadline applies.
    None,
    Ok,
    /// At most the due-soon window of working days left.
    DueSoon,
    Overdue,
}

impl DueStatus {
    /// The status of a deadline `due` on `today`: overdue once past, due soon with at most
    /// `window` working days left.
    pub fn of(due: Option<NaiveDate>, today: NaiveDate, calendar: &Calendar, window: u32) -> Self {
        match due {
            None => DueStatus::None,
            Some(d) if d < today => DueStatus::Overdue,
            Some(d) => {
                let (left, _) = calendar.working_days_between(today, d);
                if left <= window {
                    DueStatus::DueSoon
                } else {
                    DueStatus::Ok
                }
            }
        }
    }

    /// Due soon or overdue: worth a mark beside the date.
    pub fn is_pressing(self) -> bool {
        matches!(self, DueStatus::DueSoon | DueStatus::Overdue)
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            DueStatus::None,
            DueStatus::Ok,
            DueStatus::DueSoon,
            DueStatus::Overdue,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DueStatus::None => "none",
            DueStatus::Ok => "ok",
            DueStatus::DueSoon => "due_soon",
            DueStatus::Overdue => "overdue",
        }
    }
}

impl AsRef<str> for DueStatus {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for DueStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

string_enum!(
    /// Where one stage's deadline stands, as the petitioner's tracking page shows it.
    DeadlineStatus {
        /// Met on or before its last day (or it had none).
        Met => "met",
        /// Met after its last day.
        MetLate => "met_late",
        /// Not met yet, and not near its last day.
        Open => "open",
        DueSoon => "due_soon",
        Overdue => "overdue",
        /// Not met, and no period applies.
        None => "none",
    }
);

impl DeadlineStatus {
    /// The status of a deadline `due`, met on `met_on` if it was, on `today`; an open one
    /// is due soon with at most `window` working days left.
    pub fn of(
        met_on: Option<NaiveDate>,
        due: Option<NaiveDate>,
        today: NaiveDate,
        calendar: &Calendar,
        window: u32,
    ) -> Self {
        match (met_on, due) {
            (Some(_), None) => DeadlineStatus::Met,
            (Some(met), Some(due)) if met <= due => DeadlineStatus::Met,
            (Some(_), Some(_)) => DeadlineStatus::MetLate,
            (None, None) => DeadlineStatus::None,
            (None, Some(due)) => match DueStatus::of(Some(due), today, calendar, window) {
                DueStatus::DueSoon => DeadlineStatus::DueSoon,
                DueStatus::Overdue => DeadlineStatus::Overdue,
                DueStatus::Ok | DueStatus::None => DeadlineStatus::Open,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_deadline_is_met_on_its_last_day_and_late_the_day_after() {
        let cal = Calendar::shipped();
        let of = |met: Option<&str>, due: Option<&str>, today: &str| {
            DeadlineStatus::of(met.map(day), due.map(day), day(today), &cal, 3)
        };
        let due = Some("2026-03-16");
        assert_eq!(
            of(Some("2026-03-16"), due, "2026-04-01"),
            DeadlineStatus::Met
        );
        assert_eq!(
            of(Some("2026-03-17"), due, "2026-04-01"),
            DeadlineStatus::MetLate
        );
        assert_eq!(
            of(Some("2026-03-17"), None, "2026-04-01"),
            DeadlineStatus::Met
        );
        assert_eq!(of(None, None, "2026-04-01"), DeadlineStatus::None);
        // Open: weeks away, then within three working days, then past.
        assert_eq!(of(None, due, "2026-02-20"), DeadlineStatus::Open);
        assert_eq!(of(None, due, "2026-03-13"), DeadlineStatus::DueSoon);
        assert_eq!(of(None, due, "2026-03-17"), DeadlineStatus::Overdue);
        assert_eq!(DeadlineStatus::MetLate.as_str(), "met_late");
    }
}
