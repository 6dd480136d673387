//! Hints for SQLite's query planner that its statistics alone get wrong.
//!
//! Once `ANALYZE` has run (the demo loader runs it; an operator may), SQLite reads the
//! supervision board's partial index `cases_open_board` (deadline first) by skip-scan
//! for a queue filtered by unit, state and category: a seek per deadline day. On the
//! 1,000,000-case demo that made the queue page 48 ms instead of 2 ms, and its count
//! 36 ms instead of 5, where `cases_state_category_due` answers in order. The
//! `noskipscan` token in an index's statistics row tells SQLite not to skip-scan it; it
//! is put back after every `ANALYZE` Hearken runs and checked at every start.
//! PostgreSQL has no skip-scan and needs nothing here.

use crate::{Backend, Result, Store};

/// Indexes that must never be read by skip-scan.
const NO_SKIP_SCAN: &[&str] = &["cases_open_board"];

impl Store {
    /// Marks [`NO_SKIP_SCAN`]'s statistics rows, if SQLite holds statistics, and has
    /// every connection read them again.
    pub(crate) async fn keep_planner_hints(&self) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let analyzed = sqlx::query(
            "SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'",
        )
        .fetch_optional(&self.write)
        .await?
        .is_some();
        if !analyzed {
            return Ok(());
        }
        let mut marked = 0;
        for index in NO_SKIP_SCAN {
            marked += sqlx::query(
                "UPDATE sqlite_stat1 SET stat = stat || ' noskipscan'
                 WHERE idx = $1 AND stat NOT LIKE '%noskipscan%'",
            )
            .bind(*index)
            .execute(&self.write)
            .await?
            .rows_affected();
        }
        if marked > 0 {
            // Statistics are read with the schema. Changing the schema (an index made and
            // dropped at once) makes every open connection, readers included, read both
            // again before its next statement.
            for sql in [
                "CREATE INDEX IF NOT EXISTS planner_hints_reload ON units(id)",
                "DROP INDEX IF EXISTS planner_hints_reload",
            ] {
                sqlx::query(sql).execute(&self.write).await?;
            }
        }
        Ok(())
    }

    /// The statistics row SQLite's planner holds for `index`, if any (for checking the
    /// hints; always `None` on PostgreSQL).
    pub async fn planner_stats(&self, index: &str) -> Result<Option<String>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let analyzed = sqlx::query(
            "SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'",
        )
        .fetch_optional(&self.read)
        .await?
        .is_some();
        if !analyzed {
            return Ok(None);
        }
        use sqlx::Row;
        let row = sqlx::query("SELECT stat FROM sqlite_stat1 WHERE idx = $1")
            .bind(index)
            .fetch_optional(&self.read)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("stat")?),
            None => None,
        })
    }
}
