//! The office's day around the lifecycle: reporting schedules, special periods (特护期)
//! and daily reports (日报告).
//!
//! - A unit reports once per *window*. By default there is one window a day: subordinate
//!   units report by 15:30 and a unit with subordinates compiles its own report
//!   `compile_minutes` (30) later, by 16:00.
//! - A special period sets other windows (e.g. 08:40 and 16:40) for a date range, for one
//!   unit or its whole subtree, and can include weekends and holidays.
//! - Outside a special period, only working days of the calendar have windows.
//! - A report is `submitted` by its deadline, `late` after it, `missing` when the deadline
//!   passed without one and `pending` before.
//!
//! - The duty roster names, for each 24-hour shift, the leader on duty and the staff on
//!   duty with their phones; swaps are recorded, and the outgoing team hands over to the
//!   incoming one (see [`roster`]).
//!
//! Reports carry case and workload figures, incidents and notes about issues: never
//! anything about an individual petitioner.

mod report;
pub mod roster;
mod schedule;

#[cfg(test)]
mod tests;

pub use report::{check_report, Figures, ReportInput, ReportStatus};
pub use schedule::{
    due_instant, parse_windows, pick_schedule, plan_day, windows_text, DayPlan, Schedule,
    SpecialPeriod, Window,
};
