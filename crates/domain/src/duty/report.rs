//! A daily report's figures, its status against its deadline, and what a filed report
//! must say.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::ops::AddAssign;

/// The case and workload figures of one window, filled in from the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub new_cases: i64,
    pub closed_cases: i64,
    /// Open cases past their deadline when the report was filed.
    pub overdue_cases: i64,
    /// New group visits (集体访, five or more people) and how many people came.
    pub group_visits: i64,
    pub group_people: i64,
    pub supervision_orders: i64,
}

impl AddAssign for Figures {
    fn add_assign(&mut self, o: Figures) {
        self.new_cases += o.new_cases;
        self.closed_cases += o.closed_cases;
        self.overdue_cases += o.overdue_cases;
        self.group_visits += o.group_visits;
        self.group_people += o.group_people;
        self.supervision_orders += o.supervision_orders;
    }
}

/// Where a unit stands in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Filed by the deadline.
    Submitted,
    /// Filed after the deadline.
    Late,
    /// The deadline passed with nothing filed.
    Missing,
    /// Not filed, and the deadline has not come.
    Pending,
}

impl ReportStatus {
    /// From when the report was first filed (a correction does not move it), its deadline
    /// and now. Filing exactly at the deadline is on time.
    pub fn of(first_filed: Option<DateTime<Utc>>, due: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        match first_filed {
            Some(t) if t <= due => ReportStatus::Submitted,
            Some(_) => ReportStatus::Late,
            None if now > due => ReportStatus::Missing,
            None => ReportStatus::Pending,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Late => "late",
            ReportStatus::Missing => "missing",
            ReportStatus::Pending => "pending",
        }
    }

    /// Whether the unit's staff should be reminded.
    pub fn overdue(self) -> bool {
        matches!(self, ReportStatus::Missing | ReportStatus::Late)
    }
}

/// What the person filing writes by hand.
#[derive(Debug, Clone, Default)]
pub struct ReportInput<'a> {
    pub nothing_to_report: bool,
    pub incidents: &'a str,
    pub notes: &'a str,
}

/// Most characters in the incidents or the notes.
pub const MAX_TEXT: usize = 4000;

/// A report either says "nothing to report" (无事报平安) explicitly, with no incidents, or
/// says something: an empty report is refused rather than taken as all clear.
pub fn check_report(r: &ReportInput<'_>) -> Result<(), &'static str> {
    let (incidents, notes) = (r.incidents.trim(), r.notes.trim());
    if incidents.chars().count() > MAX_TEXT || notes.chars().count() > MAX_TEXT {
        return Err("report_too_long");
    }
    match (r.nothing_to_report, incidents.is_empty(), notes.is_empty()) {
        (true, false, _) => Err("report_nothing_with_incidents"),
        (false, true, true) => Err("report_empty"),
        _ => Ok(()),
    }
}
