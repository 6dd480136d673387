//! Reporting schedules, special periods and daily reports. A report is never overwritten:
//! a correction is the next version. Each change writes its audit row in the same
//! transaction.

use crate::audit::{audit_in, AuditSubject};
use crate::{now_ms, Actor, Result, Store, StoreError};
use domain::duty::Figures;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A unit's standing schedule as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleRow {
    pub unit_id: i64,
    pub unit_path: String,
    /// `HH:MM, HH:MM`: the subordinate units' deadlines.
    pub windows: String,
    pub compile_minutes: i64,
}

/// A special period as stored.
#[derive(Debug, Clone, Serialize)]
pub struct SpecialPeriodRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_name: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub windows: String,
    pub subtree: bool,
    pub rest_days: bool,
}

/// A special period to declare.
#[derive(Debug, Clone)]
pub struct NewSpecialPeriod {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub windows: String,
    pub subtree: bool,
    pub rest_days: bool,
}

/// One version of one unit's report for one window.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub day: String,
    pub window_no: i64,
    pub due_at: i64,
    pub version: i64,
    pub nothing_to_report: bool,
    pub incidents: String,
    pub notes: String,
    pub figures: Figures,
    pub filed_at: i64,
    pub filed_by_name: String,
    /// The leading group the report is filed under, and its name.
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
}

/// A report to file: its window, what was written by hand, the figures.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub unit_id: i64,
    pub unit_path: String,
    pub day: String,
    pub window_no: i64,
    pub due_at: i64,
    pub nothing_to_report: bool,
    pub incidents: String,
    pub notes: String,
    pub figures: Figures,
    /// When it is filed, by the application's clock (UTC ms).
    pub filed_at: i64,
    pub group_id: Option<i64>,
}

pub(crate) const REPORT_COLUMNS: &str =
    "r.id, r.unit_id, u.code AS unit_code, u.name AS unit_name, r.day,
    r.window_no, r.due_at, r.version, r.nothing_to_report, r.incidents, r.notes, r.new_cases,
    r.closed_cases, r.overdue_cases, r.group_visits, r.group_people, r.supervision_orders,
    r.filed_at, r.filed_by_name, r.group_id,
    (SELECT g.name FROM leading_groups g WHERE g.id = r.group_id) AS group_name";

pub(crate) fn report_from_row(r: &AnyRow) -> Result<ReportRow> {
    Ok(ReportRow {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        day: r.try_get("day")?,
        window_no: r.try_get("window_no")?,
        due_at: r.try_get("due_at")?,
        version: r.try_get("version")?,
        nothing_to_report: r.try_get::<i64, _>("nothing_to_report")? != 0,
        incidents: r.try_get("incidents")?,
        notes: r.try_get("notes")?,
        figures: Figures {
            new_cases: r.try_get("new_cases")?,
            closed_cases: r.try_get("closed_cases")?,
            overdue_cases: r.try_get("overdue_cases")?,
            group_visits: r.try_get("group_visits")?,
            group_people: r.try_get("group_people")?,
            supervision_orders: r.try_get("supervision_orders")?,
        },
        filed_at: r.try_get("filed_at")?,
        filed_by_name: r.try_get("filed_by_name")?,
        group_id: r.try_get("group_id")?,
        group_name: r.try_get("group_name")?,
    })
}

fn special_from_row(r: &AnyRow) -> Result<SpecialPeriodRow> {
    Ok(SpecialPeriodRow {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: r.try_get("unit_path")?,
        unit_name: r.try_get("unit_name")?,
        name: r.try_get("name")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        windows: r.try_get("windows")?,
        subtree: r.try_get::<i64, _>("subtree")? != 0,
        rest_days: r.try_get::<i64, _>("rest_days")? != 0,
    })
}

impl Store {
    /// Every unit's own schedule (units without one follow an ancestor's).
    pub async fn report_schedules(&self) -> Result<Vec<ScheduleRow>> {
        let rows = sqlx::query(
            "SELECT s.unit_id, u.path, s.windows, s.compile_minutes
             FROM report_schedules s JOIN units u ON u.id = s.unit_id ORDER BY u.path",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ScheduleRow {
                    unit_id: r.try_get("unit_id")?,
                    unit_path: r.try_get("path")?,
                    windows: r.try_get("windows")?,
                    compile_minutes: r.try_get("compile_minutes")?,
                })
            })
            .collect()
    }

    /// Sets a unit's schedule, with its audit row.
    pub async fn set_report_schedule(
        &self,
        unit_id: i64,
        unit_path: &str,
        windows: &str,
        compile_minutes: i64,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO report_schedules (unit_id, windows, compile_minutes, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (unit_id) DO UPDATE SET windows = $2, compile_minutes = $3,
                 updated_at = $4, updated_by = $5",
        )
        .bind(unit_id)
        .bind(windows)
        .bind(compile_minutes)
        .bind(now_ms())
        .bind(actor.id)
        .execute(&mut *tx)
        .await?;
        let detail = format!("{windows} +{compile_minutes}");
        let subject = AuditSubject::UnitPath(unit_path);
        audit_in(
            &mut tx,
            actor,
            "report_schedule",
            unit_path,
            &detail,
            subject,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Special periods that overlap `[from, to]` (dates), oldest first.
    pub async fn special_periods_between(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<SpecialPeriodRow>> {
        let rows = sqlx::query(
            "SELECT s.id, s.unit_id, s.unit_path, u.name AS unit_name, s.name, s.starts_on,
                    s.ends_on, s.windows, s.subtree, s.rest_days
             FROM special_periods s JOIN units u ON u.id = s.unit_id
             WHERE s.ends_on >= $1 AND s.starts_on <= $2 ORDER BY s.starts_on, s.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(special_from_row).collect()
    }

    /// Declares a special period for a unit, with its audit row. Returns its id.
    pub async fn create_special_period(
        &self,
        unit_id: i64,
        unit_path: &str,
        p: &NewSpecialPeriod,
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO special_periods (unit_id, unit_path, name, starts_on, ends_on, windows,
                 subtree, rest_days, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(unit_id)
        .bind(unit_path)
        .bind(&p.name)
        .bind(&p.starts_on)
        .bind(&p.ends_on)
        .bind(&p.windows)
        .bind(i64::from(p.subtree))
        .bind(i64::from(p.rest_days))
        .bind(now_ms())
        .bind(actor.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = format!("{} {}..{} {}", p.name, p.starts_on, p.ends_on, p.windows);
        let subject = AuditSubject::UnitPath(unit_path);
        audit_in(
            &mut tx,
            actor,
            "special_period",
            unit_path,
            &detail,
            subject,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Files the next version of a unit's report for a window, with its audit row.
    /// Returns the new row's id and version.
    pub async fn file_report(&self, r: &NewReport, actor: &Actor) -> Result<(i64, i64)> {
        let mut tx = self.write.begin().await?;
        let version: i64 = sqlx::query(
            "SELECT COALESCE(MAX(version), 0) + 1 AS v FROM daily_reports
             WHERE unit_id = $1 AND day = $2 AND window_no = $3",
        )
        .bind(r.unit_id)
        .bind(&r.day)
        .bind(r.window_no)
        .fetch_one(&mut *tx)
        .await?
        .try_get("v")?;
        let f = &r.figures;
        let id: i64 = sqlx::query(
            "INSERT INTO daily_reports (unit_id, unit_path, day, window_no, due_at, version,
                 nothing_to_report, incidents, notes, new_cases, closed_cases, overdue_cases,
                 group_visits, group_people, supervision_orders, filed_at, filed_by, filed_by_name,
                 group_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19)
             RETURNING id",
        )
        .bind(r.unit_id)
        .bind(&r.unit_path)
        .bind(&r.day)
        .bind(r.window_no)
        .bind(r.due_at)
        .bind(version)
        .bind(i64::from(r.nothing_to_report))
        .bind(&r.incidents)
        .bind(&r.notes)
        .bind(f.new_cases)
        .bind(f.closed_cases)
        .bind(f.overdue_cases)
        .bind(f.group_visits)
        .bind(f.group_people)
        .bind(f.supervision_orders)
        .bind(r.filed_at)
        .bind(actor.id)
        .bind(&actor.name)
        .bind(r.group_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        let target = format!("{} #{} v{version}", r.day, r.window_no);
        let detail = r.group_id.map(|g| format!("group {g}")).unwrap_or_default();
        let subject = AuditSubject::UnitPath(&r.unit_path);
        audit_in(&mut tx, actor, "report_filed", &target, &detail, subject).await?;
        tx.commit().await?;
        Ok((id, version))
    }

    /// One report version, with the path of its unit for the scope check.
    pub async fn report(&self, id: i64) -> Result<(ReportRow, String)> {
        let row = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS}, r.unit_path FROM daily_reports r
             JOIN units u ON u.id = r.unit_id WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((report_from_row(&row)?, row.try_get("unit_path")?))
    }

    /// Every version filed on `day` by the unit `unit_id` and its direct subordinates,
    /// oldest first.
    pub async fn reports_of_family(&self, unit_id: i64, day: &str) -> Result<Vec<ReportRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM daily_reports r JOIN units u ON u.id = r.unit_id
             WHERE r.day = $1 AND (u.id = $2 OR u.parent_id = $2)
             ORDER BY r.unit_id, r.window_no, r.version"
        ))
        .bind(day)
        .bind(unit_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(report_from_row).collect()
    }

    /// The report versions filed under a leading group by units in `scope`, newest first.
    pub async fn reports_of_group(
        &self,
        group_id: i64,
        scope: &crate::Scope,
    ) -> Result<Vec<ReportRow>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM daily_reports r JOIN units u ON u.id = r.unit_id
             WHERE r.group_id = $1 AND r.unit_path >= $2 AND r.unit_path < $3
             ORDER BY r.day DESC, r.id DESC LIMIT 500"
        ))
        .bind(group_id)
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(report_from_row).collect()
    }

    /// Every version filed on `day` anywhere, oldest first (for the reminder job).
    pub async fn reports_of_day(&self, day: &str) -> Result<Vec<ReportRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM daily_reports r JOIN units u ON u.id = r.unit_id
             WHERE r.day = $1 ORDER BY r.unit_id, r.window_no, r.version"
        ))
        .bind(day)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(report_from_row).collect()
    }

    /// The most recent report versions in `scope`, newest first, optionally of one day.
    pub async fn recent_reports(
        &self,
        scope: &crate::Scope,
        day: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ReportRow>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {REPORT_COLUMNS} FROM daily_reports r JOIN units u ON u.id = r.unit_id
             WHERE r.unit_path >= $1 AND r.unit_path < $2 AND ($3 = '' OR r.day = $3)
             ORDER BY r.id DESC LIMIT $4"
        ))
        .bind(lo)
        .bind(hi)
        .bind(day.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(report_from_row).collect()
    }

    /// A unit's figures for the window `[from_ms, to_ms)`: cases registered and closed in
    /// it, group visits (five or more people) registered in it, supervision orders the unit
    /// received in it, and open cases overdue on `today`. Only the unit's own cases: a parent's roll-up adds its children's reports.
    pub async fn window_figures(
        &self,
        unit_id: i64,
        from_ms: i64,
        to_ms: i64,
        today: &str,
    ) -> Result<Figures> {
        let new = sqlx::query(
            "SELECT COUNT(*) AS n,
                    CAST(COALESCE(SUM(CASE WHEN headcount >= 5 THEN 1 ELSE 0 END), 0) AS BIGINT) AS g,
                    CAST(COALESCE(SUM(CASE WHEN headcount >= 5 THEN headcount ELSE 0 END), 0) AS BIGINT) AS p
             FROM cases WHERE unit_id = $1 AND registered_at >= $2 AND registered_at < $3",
        )
        .bind(unit_id)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_one(&self.read)
        .await?;
        let closed = sqlx::query(
            "SELECT COUNT(DISTINCT e.case_id) AS n FROM case_events e
             JOIN cases c ON c.id = e.case_id
             WHERE c.unit_id = $1 AND e.at >= $2 AND e.at < $3
               AND (e.kind = 'closed' OR e.payload LIKE '%\"stage\":\"closed\"%')",
        )
        .bind(unit_id)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_one(&self.read)
        .await?;
        let overdue = sqlx::query(
            "SELECT COUNT(*) AS n FROM cases WHERE unit_id = $1 AND state = 'open' AND due_sort < $2",
        )
        .bind(unit_id)
        .bind(today)
        .fetch_one(&self.read)
        .await?;
        let orders = sqlx::query(
            "SELECT COUNT(*) AS n FROM supervision_orders
             WHERE to_unit_id = $1 AND created_at >= $2 AND created_at < $3",
        )
        .bind(unit_id)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_one(&self.read)
        .await?;
        Ok(Figures {
            new_cases: new.try_get("n")?,
            group_visits: new.try_get("g")?,
            group_people: new.try_get("p")?,
            closed_cases: closed.try_get("n")?,
            overdue_cases: overdue.try_get("n")?,
            supervision_orders: orders.try_get("n")?,
        })
    }

    /// The units directly below `unit_id`, not retired, by code.
    pub async fn child_units(&self, unit_id: i64) -> Result<Vec<crate::Unit>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM units WHERE parent_id = $1 AND retired = 0 ORDER BY code",
            crate::units::UNIT_COLUMNS
        ))
        .bind(unit_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(crate::units::unit_from_row).collect()
    }

    /// Every unit that is not retired, by path.
    pub async fn active_units(&self) -> Result<Vec<crate::Unit>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM units WHERE retired = 0 ORDER BY path",
            crate::units::UNIT_COLUMNS
        ))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(crate::units::unit_from_row).collect()
    }

    /// Tells each of `users` about a unit's missing report, in one transaction.
    pub async fn notify_users(&self, users: &[i64], kind: &str, detail: &str) -> Result<()> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        for u in users {
            sqlx::query(
                "INSERT INTO notifications (user_id, case_id, kind, detail, created_at) VALUES ($1, NULL, $2, $3, $4)",
            )
            .bind(u)
            .bind(kind)
            .bind(detail)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Open cases in `scope` that are overdue and due soon, as the deadline job last
    /// marked them.
    pub async fn due_counts(&self, scope: &crate::Scope) -> Result<(i64, i64)> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(
            "SELECT due_flag, COUNT(*) AS n FROM cases
             WHERE state = 'open' AND due_flag IN ('overdue', 'due_soon')
               AND unit_path >= $1 AND unit_path < $2 GROUP BY due_flag",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        let (mut overdue, mut soon) = (0, 0);
        for r in rows {
            let flag: String = r.try_get("due_flag")?;
            let n: i64 = r.try_get("n")?;
            if flag == "overdue" {
                overdue = n;
            } else {
                soon = n;
            }
        }
        Ok((overdue, soon))
    }
}
