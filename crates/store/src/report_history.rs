//! The history of daily reports: every version filed in a scope, searched by day range,
//! unit subtree and the words of its incidents and notes, newest first, page by page.

use crate::case_list::like_escape;
use crate::reports::{report_from_row, REPORT_COLUMNS};
use crate::{ReportRow, Result, Scope, Store};

/// What the history is filtered by. Every field is optional; the scope always applies.
#[derive(Debug, Clone, Default)]
pub struct ReportSearch {
    /// First and last day, inclusive (`YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words that must appear in the incidents or the notes.
    pub text: Option<String>,
    /// Only "nothing to report" (true) or only reports with content (false).
    pub nothing_to_report: Option<bool>,
    /// Every version, not only the latest of each window.
    pub all_versions: bool,
}

/// Where a page of history ends: the last row's day and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCursor {
    pub day: String,
    pub id: i64,
}

impl Store {
    /// Report versions in `scope` matching `s`, newest day first (then newest filed),
    /// at most `limit`, after `cursor`.
    pub async fn report_history(
        &self,
        scope: &Scope,
        s: &ReportSearch,
        cursor: Option<&ReportCursor>,
        limit: i64,
    ) -> Result<Vec<ReportRow>> {
        let (lo, hi) = scope.bounds();
        let mut sql = format!(
            "SELECT {REPORT_COLUMNS} FROM daily_reports r JOIN units u ON u.id = r.unit_id
             WHERE r.unit_path >= $1 AND r.unit_path < $2"
        );
        let mut binds: Vec<String> = vec![lo, hi];
        if let Some(from) = &s.from {
            binds.push(from.clone());
            sql.push_str(&format!(" AND r.day >= ${}", binds.len()));
        }
        if let Some(to) = &s.to {
            binds.push(to.clone());
            sql.push_str(&format!(" AND r.day <= ${}", binds.len()));
        }
        for word in s.text.iter().flat_map(|t| t.split_whitespace()) {
            let pattern = format!("%{}%", like_escape(&word.to_lowercase()));
            binds.push(pattern);
            let n = binds.len();
            sql.push_str(&format!(
                " AND (LOWER(r.incidents) LIKE ${n} ESCAPE '\\' OR LOWER(r.notes) LIKE ${n} ESCAPE '\\')"
            ));
        }
        if let Some(c) = cursor {
            binds.push(c.day.clone());
            let d = binds.len();
            let i = binds.len() + 1;
            sql.push_str(&format!(
                " AND (r.day < ${d} OR (r.day = ${d} AND r.id < ${i}))"
            ));
        }
        if let Some(nothing) = s.nothing_to_report {
            sql.push_str(if nothing {
                " AND r.nothing_to_report <> 0"
            } else {
                " AND r.nothing_to_report = 0"
            });
        }
        if !s.all_versions {
            sql.push_str(
                " AND r.version = (SELECT MAX(v.version) FROM daily_reports v
                   WHERE v.unit_id = r.unit_id AND v.day = r.day AND v.window_no = r.window_no)",
            );
        }
        sql.push_str(&format!(
            " ORDER BY r.day DESC, r.id DESC LIMIT {}",
            limit.max(1)
        ));
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b.as_str());
        }
        if let Some(c) = cursor {
            q = q.bind(c.id);
        }
        let rows = q.fetch_all(&self.read).await?;
        rows.iter().map(report_from_row).collect()
    }
}
