//! The office's settings every use case needs, passed in by the binary.

use chrono::{FixedOffset, Offset};
use domain::calendar::{Calendar, Period, RuleSet};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where attachments are kept (`<data>/attachments`).
    pub attachments_dir: PathBuf,
    /// This instance's search index (`<data>/search`).
    pub search_dir: PathBuf,
    /// Finished exports of this instance (`<data>/exports`).
    pub exports_dir: PathBuf,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// The office's time zone; deadlines are dates there. China has no DST, so an offset
    /// is exact.
    pub time_zone: FixedOffset,
    /// Public holidays and adjusted working days, shipped and added by the admin.
    pub calendar: Arc<Calendar>,
    /// The periods the lifecycle counts (`cn-2022` by default).
    pub rules: RuleSet,
    /// Working days left at or under which a case counts as due soon.
    pub due_soon_working_days: u32,
    /// What time it is: the real time, or a time set by tests and demonstrations.
    pub clock: crate::Clock,
}

impl Config {
    pub fn new(data_dir: &std::path::Path) -> Self {
        Config {
            attachments_dir: data_dir.join("attachments"),
            search_dir: data_dir.join("search"),
            exports_dir: data_dir.join("exports"),
            max_upload_bytes: 20 * 1024 * 1024,
            time_zone: FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix()),
            calendar: Arc::new(Calendar::shipped()),
            rules: default_rules(),
            due_soon_working_days: 3,
            clock: crate::Clock::default(),
        }
    }

    /// Today's date in the office's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.now().with_timezone(&self.time_zone).date_naive()
    }

    /// Now, by the clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Years that deadlines opened today can reach but that have no published holiday
    /// schedule: this year and the one 90 days on.
    pub fn missing_calendar_years(&self) -> Vec<i32> {
        use chrono::Datelike;
        let today = self.today();
        let mut years = vec![today.year(), (today + chrono::Duration::days(90)).year()];
        years.dedup();
        years
            .into_iter()
            .filter(|y| !self.calendar.has_year(*y))
            .collect()
    }
}

/// The 2022 regulation's periods: the shipped `cn-2022` rule set, or the same written out.
fn default_rules() -> RuleSet {
    RuleSet::shipped(RuleSet::default_name()).unwrap_or_else(|| {
        let days = |days| Period {
            days,
            working: false,
        };
        RuleSet {
            name: "cn-2022".into(),
            route: days(15),
            objection: Period {
                days: 5,
                working: true,
            },
            acceptance: days(15),
            handling: days(60),
            max_extension: days(30),
            review_request: days(30),
            review_decision: days(30),
            rereview_request: days(30),
            rereview_decision: days(30),
            sign_off: true,
        }
    })
}
