//! Searching the history of daily reports and taking it away as a table: the days, the
//! units and the words of incidents and notes. Reports carry figures and issues, never
//! petitioners, so the history and its export hold nothing personal.

use crate::exports::ExportFormat;
use crate::table_file::{table_bytes, Table};
use crate::{App, AppError, AppResult, Caller};
use chrono::NaiveDate;
use store::{ReportCursor, ReportRow, ReportSearch, Scope};

/// The most rows one page of history holds.
pub const PAGE_MAX: i64 = 200;
/// The most rows one download holds; a narrower filter gets the rest.
pub const EXPORT_MAX: i64 = 20_000;

/// A search of the report history, as a caller asks for it.
#[derive(Debug, Clone, Default)]
pub struct HistoryQuery {
    /// A unit code in the caller's scope: that unit and those below it.
    pub unit: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub text: Option<String>,
    pub nothing_to_report: Option<bool>,
    pub all_versions: bool,
}

/// One page of history and where the next begins (`day/id`).
#[derive(Debug, Clone)]
pub struct HistoryPage {
    pub items: Vec<ReportRow>,
    pub next: Option<String>,
}

/// A cursor as the API writes it: `YYYY-MM-DD/id`.
pub fn parse_cursor(s: &str) -> AppResult<ReportCursor> {
    let bad = || AppError::field("cursor", "invalid_cursor");
    let (day, id) = s.split_once('/').ok_or_else(bad)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| bad())?;
    Ok(ReportCursor {
        day: day.to_string(),
        id: id.parse().map_err(|_| bad())?,
    })
}

impl App {
    async fn history_scope(
        &self,
        who: &Caller,
        q: &HistoryQuery,
    ) -> AppResult<(Scope, ReportSearch)> {
        if let (Some(from), Some(to)) = (q.from, q.to) {
            if from > to {
                return Err(AppError::field("to", "invalid_date_range"));
            }
        }
        let scope = match q.unit.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Scope::new(&self.unit_in_scope(&who.scope(), code, "unit").await?.path),
            None => who.scope(),
        };
        let text = q
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        Ok((
            scope,
            ReportSearch {
                from: q.from.map(|d| d.to_string()),
                to: q.to.map(|d| d.to_string()),
                text,
                nothing_to_report: q.nothing_to_report,
                all_versions: q.all_versions,
            },
        ))
    }

    /// A page of the reports in the caller's scope that match, newest day first.
    pub async fn report_history(
        &self,
        who: &Caller,
        q: &HistoryQuery,
        cursor: Option<&str>,
        limit: i64,
    ) -> AppResult<HistoryPage> {
        let (scope, search) = self.history_scope(who, q).await?;
        let cursor = cursor.map(parse_cursor).transpose()?;
        let limit = limit.clamp(1, PAGE_MAX);
        let mut items = self
            .store
            .report_history(&scope, &search, cursor.as_ref(), limit + 1)
            .await?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|r| format!("{}/{}", r.day, r.id))
        } else {
            None
        };
        Ok(HistoryPage { items, next })
    }

    /// Every matching report (up to [`EXPORT_MAX`]) as an XLSX or CSV file, with the
    /// column headings given in the reader's language.
    pub async fn report_history_file(
        &self,
        who: &Caller,
        q: &HistoryQuery,
        format: ExportFormat,
        headings: &[String],
        nothing_label: &str,
    ) -> AppResult<Vec<u8>> {
        let (scope, search) = self.history_scope(who, q).await?;
        let rows = self
            .store
            .report_history(&scope, &search, None, EXPORT_MAX)
            .await?;
        let tz = self.config.time_zone;
        let lines = rows.into_iter().map(|r| {
            let filed = chrono::DateTime::from_timestamp_millis(r.filed_at)
                .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            let f = &r.figures;
            vec![
                r.day,
                r.unit_code,
                r.unit_name,
                r.window_no.to_string(),
                r.version.to_string(),
                filed,
                r.filed_by_name,
                if r.nothing_to_report {
                    nothing_label.to_string()
                } else {
                    String::new()
                },
                f.new_cases.to_string(),
                f.closed_cases.to_string(),
                f.overdue_cases.to_string(),
                f.group_visits.to_string(),
                f.group_people.to_string(),
                f.supervision_orders.to_string(),
                r.incidents,
                r.notes,
            ]
        });
        let table = Table {
            headings,
            numeric: &[3, 4, 8, 9, 10, 11, 12, 13],
        };
        table_bytes(format, &table, lines)
    }
}
