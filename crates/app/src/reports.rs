//! Reporting schedules, special periods and daily reports (日报告): which windows a unit
//! has today and where each stands, filing (a correction is a new version), and a
//! parent's roll-up of its subordinates.

use crate::{App, AppError, AppResult, Caller};
use chrono::{DateTime, NaiveDate, Utc};
use domain::duty::{
    check_report, due_instant, parse_windows, pick_schedule, plan_day, windows_text, DayPlan,
    Figures, ReportInput, ReportStatus, Schedule, SpecialPeriod, Window,
};
use domain::Permission;
use serde::Serialize;
use store::{NewReport, NewSpecialPeriod, ReportRow, SpecialPeriodRow, Unit};

/// One unit's standing in one window.
#[derive(Debug, Clone, Serialize)]
pub struct UnitStatus {
    pub unit_code: String,
    pub unit_name: String,
    /// Local `HH:MM`.
    pub due: String,
    pub due_at: i64,
    pub status: ReportStatus,
    /// The latest version, when one was filed.
    pub report_id: Option<i64>,
    pub version: Option<i64>,
    /// When the first version was filed.
    pub filed_at: Option<i64>,
}

/// A window of the day, with the unit's status and its subordinates'.
#[derive(Debug, Clone, Serialize)]
pub struct WindowStatus {
    pub window: u32,
    /// The subordinate units' deadline, local `HH:MM`.
    pub children_due: String,
    #[serde(flatten)]
    pub own: UnitStatus,
    pub children: Vec<UnitStatus>,
}

/// A unit's reporting day.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDay {
    pub unit_code: String,
    pub unit_name: String,
    pub date: NaiveDate,
    pub special_period: Option<SpecialPeriodRow>,
    pub windows: Vec<WindowStatus>,
}

/// A subordinate's part in a parent's roll-up.
#[derive(Debug, Clone, Serialize)]
pub struct ChildReport {
    #[serde(flatten)]
    pub status: UnitStatus,
    pub report: Option<ReportRow>,
}

/// A parent's roll-up: its own figures plus its subordinates' latest reports.
#[derive(Debug, Clone, Serialize)]
pub struct Rollup {
    pub totals: Figures,
    pub children: Vec<ChildReport>,
    /// Codes of the subordinates that had not reported by their deadline.
    pub missing: Vec<String>,
    pub late: Vec<String>,
}

/// One report version, where it stands, its other versions and, for a parent, the
/// roll-up.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    #[serde(flatten)]
    pub report: ReportRow,
    pub status: ReportStatus,
    /// Whether a later version corrects this one.
    pub superseded: bool,
    pub versions: Vec<VersionRef>,
    pub rollup: Option<Rollup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionRef {
    pub id: i64,
    pub version: i64,
    pub filed_at: i64,
    pub filed_by_name: String,
}

/// What a person files.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The unit's code; the caller's own unit when absent.
    pub unit: Option<String>,
    /// Today when absent.
    pub date: Option<NaiveDate>,
    /// The next window whose deadline has not passed (else the day's last) when absent.
    pub window: Option<u32>,
    pub nothing_to_report: bool,
    pub incidents: String,
    pub notes: String,
    /// The leading group the report is filed under: the unit's own or one above it, in
    /// force on the report's day.
    pub group_id: Option<i64>,
}

/// A special period to declare.
#[derive(Debug, Clone)]
pub struct DeclarePeriod {
    pub unit: Option<String>,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub windows: String,
    pub subtree: bool,
    pub rest_days: bool,
}

/// Everything needed to plan any unit's day: schedules and the special periods in force.
pub(crate) struct Planner {
    schedules: Vec<(String, Schedule)>,
    specials: Vec<SpecialPeriod>,
    rows: Vec<SpecialPeriodRow>,
}

impl Planner {
    pub(crate) fn plan(
        &self,
        app: &App,
        unit: &Unit,
        has_children: bool,
        day: NaiveDate,
    ) -> DayPlan {
        let schedule = pick_schedule(&unit.path, &self.schedules);
        plan_day(
            day,
            &unit.path,
            has_children,
            &schedule,
            &self.specials,
            &app.config.calendar,
        )
    }

    fn row(&self, id: i64) -> Option<SpecialPeriodRow> {
        self.rows.iter().find(|r| r.id == id).cloned()
    }
}

fn hm(t: chrono::NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The first filing time and the latest version among `versions` of one unit's window.
fn standing(
    versions: &[ReportRow],
    unit_id: i64,
    window: u32,
) -> (Option<i64>, Option<&ReportRow>) {
    let mine = versions
        .iter()
        .filter(|r| r.unit_id == unit_id && r.window_no == i64::from(window));
    let first = mine.clone().map(|r| r.filed_at).min();
    (first, mine.max_by_key(|r| r.version))
}

impl App {
    pub(crate) async fn planner(&self, from: NaiveDate, to: NaiveDate) -> AppResult<Planner> {
        let schedules = self
            .store
            .report_schedules()
            .await?
            .into_iter()
            .map(|s| {
                let windows = parse_windows(&s.windows).unwrap_or_default();
                let compile = u32::try_from(s.compile_minutes).unwrap_or(30);
                (
                    s.unit_path,
                    Schedule {
                        windows,
                        compile_minutes: compile,
                    },
                )
            })
            .collect();
        let rows = self
            .store
            .special_periods_between(&from.to_string(), &to.to_string())
            .await?;
        let specials = rows
            .iter()
            .filter_map(|r| {
                Some(SpecialPeriod {
                    id: r.id,
                    unit_path: r.unit_path.clone(),
                    name: r.name.clone(),
                    starts_on: r.starts_on.parse().ok()?,
                    ends_on: r.ends_on.parse().ok()?,
                    windows: parse_windows(&r.windows).ok()?,
                    subtree: r.subtree,
                    rest_days: r.rest_days,
                })
            })
            .collect();
        Ok(Planner {
            schedules,
            specials,
            rows,
        })
    }

    /// The unit named by `code` (the caller's own when absent), if it is in scope.
    pub(crate) async fn unit_or_own(&self, who: &Caller, code: Option<&str>) -> AppResult<Unit> {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => self.unit_in_scope(&who.scope(), c, "unit").await,
            None => Ok(self.store.unit(who.unit_id).await?),
        }
    }

    fn unit_status(
        &self,
        unit: &Unit,
        w: &Window,
        day: NaiveDate,
        versions: &[ReportRow],
        now: DateTime<Utc>,
    ) -> UnitStatus {
        let due_at = due_instant(day, w.due, self.config.time_zone);
        let (first, latest) = standing(versions, unit.id, w.no);
        let first_at = first.and_then(DateTime::from_timestamp_millis);
        UnitStatus {
            unit_code: unit.code.clone(),
            unit_name: unit.name.clone(),
            due: hm(w.due),
            due_at: due_at.timestamp_millis(),
            status: ReportStatus::of(first_at, due_at, now),
            report_id: latest.map(|r| r.id),
            version: latest.map(|r| r.version),
            filed_at: first,
        }
    }

    /// The windows of `day` for a unit in scope, each with its status and its direct
    /// subordinates' (`GET /api/v1/reports`).
    pub async fn report_day(
        &self,
        who: &Caller,
        unit: Option<&str>,
        day: Option<NaiveDate>,
    ) -> AppResult<ReportDay> {
        let unit = self.unit_or_own(who, unit).await?;
        let day = day.unwrap_or_else(|| self.config.today());
        let children = self.store.child_units(unit.id).await?;
        let planner = self.planner(day, day).await?;
        let plan = planner.plan(self, &unit, !children.is_empty(), day);
        let versions = self
            .store
            .reports_of_family(unit.id, &day.to_string())
            .await?;
        let now = self.config.now();
        let child_plans: Vec<(&Unit, DayPlan)> = children
            .iter()
            .map(|c| (c, planner.plan(self, c, false, day)))
            .collect();
        let windows = plan
            .windows
            .iter()
            .map(|w| WindowStatus {
                window: w.no,
                children_due: hm(w.children_due),
                own: self.unit_status(&unit, w, day, &versions, now),
                children: child_plans
                    .iter()
                    .filter_map(|(c, p)| {
                        let cw = p.windows.iter().find(|x| x.no == w.no)?;
                        Some(self.unit_status(c, cw, day, &versions, now))
                    })
                    .collect(),
            })
            .collect();
        Ok(ReportDay {
            unit_code: unit.code,
            unit_name: unit.name,
            date: day,
            special_period: plan.special.and_then(|s| planner.row(s.id)),
            windows,
        })
    }

    /// Files a report for a window of a unit in scope, with the figures filled in from
    /// the record. Filing again for the same window is a correction: the next version.
    pub async fn file_report(&self, who: &Caller, input: &FileReport) -> AppResult<ReportRow> {
        who.require(Permission::FileReports)?;
        check_report(&ReportInput {
            nothing_to_report: input.nothing_to_report,
            incidents: &input.incidents,
            notes: &input.notes,
        })
        .map_err(AppError::BadRequest)?;
        let unit = self.unit_or_own(who, input.unit.as_deref()).await?;
        let day = input.date.unwrap_or_else(|| self.config.today());
        if let Some(g) = input.group_id {
            self.check_group_filing(&unit, day, g, "group_id").await?;
        }
        let has_children = !self.store.child_units(unit.id).await?.is_empty();
        let yesterday = day.pred_opt().unwrap_or(day);
        let planner = self.planner(yesterday, day).await?;
        let plan = planner.plan(self, &unit, has_children, day);
        let now = self.config.now();
        let tz = self.config.time_zone;
        let window = match input.window {
            Some(n) => plan.windows.iter().find(|w| w.no == n),
            None => plan
                .windows
                .iter()
                .find(|w| due_instant(day, w.due, tz) >= now)
                .or(plan.windows.last()),
        }
        .copied()
        .ok_or(AppError::BadRequest("no_report_window"))?;
        // The figures cover the time since the previous window's deadline.
        let start = match plan.windows.iter().rev().find(|w| w.no < window.no) {
            Some(prev) => due_instant(day, prev.children_due, tz),
            None => {
                let before = planner.plan(self, &unit, has_children, yesterday);
                let t = before.windows.last().unwrap_or(&window).children_due;
                due_instant(yesterday, t, tz)
            }
        };
        let end = due_instant(day, window.children_due, tz);
        let figures = self
            .store
            .window_figures(
                unit.id,
                start.timestamp_millis(),
                end.timestamp_millis(),
                &self.config.today().to_string(),
            )
            .await?;
        let new = NewReport {
            unit_id: unit.id,
            unit_path: unit.path.clone(),
            day: day.to_string(),
            window_no: i64::from(window.no),
            due_at: due_instant(day, window.due, tz).timestamp_millis(),
            nothing_to_report: input.nothing_to_report,
            incidents: input.incidents.trim().to_string(),
            notes: input.notes.trim().to_string(),
            figures,
            filed_at: now.timestamp_millis(),
            group_id: input.group_id,
        };
        let (id, _) = self.store.file_report(&new, &who.actor()).await?;
        Ok(self.store.report(id).await?.0)
    }

    /// One report version, where its unit stands in that window, and the roll-up of its
    /// subordinates when it has any (`GET /api/v1/reports/{id}`).
    pub async fn report_view(&self, who: &Caller, id: i64) -> AppResult<ReportView> {
        let (report, path) = self.store.report(id).await?;
        if !who.scope().contains(&path) {
            return Err(AppError::NotFound);
        }
        let unit = self.store.unit(report.unit_id).await?;
        let day: NaiveDate = report
            .day
            .parse()
            .map_err(|_| AppError::Internal(format!("report {id} has day {}", report.day)))?;
        let children = self.store.child_units(unit.id).await?;
        let versions = self.store.reports_of_family(unit.id, &report.day).await?;
        let now = self.config.now();
        let window = u32::try_from(report.window_no).unwrap_or(0);
        let (first, latest) = standing(&versions, unit.id, window);
        let due = DateTime::from_timestamp_millis(report.due_at).unwrap_or(now);
        let status = ReportStatus::of(first.and_then(DateTime::from_timestamp_millis), due, now);
        let superseded = latest.is_some_and(|l| l.version > report.version);
        let own_versions = versions
            .iter()
            .filter(|r| r.unit_id == unit.id && r.window_no == report.window_no)
            .map(|r| VersionRef {
                id: r.id,
                version: r.version,
                filed_at: r.filed_at,
                filed_by_name: r.filed_by_name.clone(),
            })
            .collect();
        let rollup = if children.is_empty() {
            None
        } else {
            let planner = self.planner(day, day).await?;
            let mut totals = report.figures;
            let mut out = vec![];
            for c in &children {
                let plan = planner.plan(self, c, false, day);
                let Some(w) = plan.windows.iter().find(|w| w.no == window) else {
                    continue;
                };
                let st = self.unit_status(c, w, day, &versions, now);
                let latest = standing(&versions, c.id, window).1.cloned();
                if let Some(r) = &latest {
                    totals += r.figures;
                }
                out.push(ChildReport {
                    status: st,
                    report: latest,
                });
            }
            let codes = |s: ReportStatus| {
                out.iter()
                    .filter(|c| c.status.status == s)
                    .map(|c| c.status.unit_code.clone())
                    .collect()
            };
            Some(Rollup {
                totals,
                missing: codes(ReportStatus::Missing),
                late: codes(ReportStatus::Late),
                children: out,
            })
        };
        Ok(ReportView {
            report,
            status,
            superseded,
            versions: own_versions,
            rollup,
        })
    }

    /// Recent reports in the caller's scope, newest first, optionally of one day.
    pub async fn recent_reports(
        &self,
        who: &Caller,
        day: Option<NaiveDate>,
    ) -> AppResult<Vec<ReportRow>> {
        let day = day.map(|d| d.to_string());
        Ok(self
            .store
            .recent_reports(&who.scope(), day.as_deref(), 200)
            .await?)
    }

    /// Sets the standing schedule of a unit in scope: the subordinates' deadlines and
    /// the minutes the unit has to compile after each.
    pub async fn set_report_schedule(
        &self,
        who: &Caller,
        unit: Option<&str>,
        windows: &str,
        compile_minutes: u32,
    ) -> AppResult<()> {
        who.require(Permission::ManageDuty)?;
        let unit = self.unit_or_own(who, unit).await?;
        let parsed = parse_windows(windows).map_err(|c| AppError::field("windows", c))?;
        if compile_minutes > 240 {
            return Err(AppError::field(
                "compile_minutes",
                "invalid_compile_minutes",
            ));
        }
        self.store
            .set_report_schedule(
                unit.id,
                &unit.path,
                &windows_text(&parsed),
                i64::from(compile_minutes),
                &who.actor(),
            )
            .await?;
        Ok(())
    }

    /// Declares a special period for a unit in scope (and its subtree when asked).
    pub async fn declare_special_period(&self, who: &Caller, p: &DeclarePeriod) -> AppResult<i64> {
        who.require(Permission::ManageDuty)?;
        let unit = self.unit_or_own(who, p.unit.as_deref()).await?;
        let windows = parse_windows(&p.windows).map_err(|c| AppError::field("windows", c))?;
        let name = p.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::field("name", "required"));
        }
        if p.ends_on < p.starts_on || (p.ends_on - p.starts_on).num_days() > 366 {
            return Err(AppError::field("ends_on", "invalid_date_range"));
        }
        let new = NewSpecialPeriod {
            name: name.to_string(),
            starts_on: p.starts_on.to_string(),
            ends_on: p.ends_on.to_string(),
            windows: windows_text(&windows),
            subtree: p.subtree,
            rest_days: p.rest_days,
        };
        Ok(self
            .store
            .create_special_period(unit.id, &unit.path, &new, &who.actor())
            .await?)
    }

    /// Special periods in force today or later that govern the caller's unit or are
    /// declared in their scope.
    pub async fn special_periods(&self, who: &Caller) -> AppResult<Vec<SpecialPeriodRow>> {
        let today = self.config.today().to_string();
        let all = self
            .store
            .special_periods_between(&today, "9999-12-31")
            .await?;
        let scope = who.scope();
        Ok(all
            .into_iter()
            .filter(|s| {
                scope.contains(&s.unit_path)
                    || s.unit_path == who.unit_path
                    || (s.subtree && who.unit_path.starts_with(&s.unit_path))
            })
            .collect())
    }
}
