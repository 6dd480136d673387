//! Deadline marking and in-app notifications for staff.

use crate::cases::append;
use crate::error::code_or_empty;
use crate::{now_ms, Actor, Result, Store, StoreError};
use domain::DueStatus;
use serde::Serialize;
use sqlx::Row;

/// An open case near or past its deadline, as the deadline job sees it.
#[derive(Debug, Clone)]
pub struct DueCase {
    pub id: i64,
    pub case_no: String,
    pub unit_id: i64,
    pub due_on: String,
    /// The mark the deadline job last gave it (`due_soon`, `overdue`); none yet.
    pub due_flag: Option<DueStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: i64,
    pub case_id: Option<i64>,
    pub case_no: Option<String>,
    pub kind: String,
    pub detail: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

impl Store {
    /// Open cases due on or before `by` (a date), soonest first, a page at a time:
    /// `after` is the last (due date, id) of the previous page.
    pub async fn open_cases_due_by(
        &self,
        by: &str,
        after: Option<(&str, i64)>,
        limit: i64,
    ) -> Result<Vec<DueCase>> {
        let (after_due, after_id) = after.unwrap_or(("", 0));
        let rows = sqlx::query(
            "SELECT id, case_no, unit_id, due_sort, due_flag FROM cases
             WHERE state = 'open' AND due_sort <= $1 AND (due_sort, id) > ($2, $3)
             ORDER BY due_sort, id LIMIT $4",
        )
        .bind(by)
        .bind(after_due)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DueCase {
                    id: r.try_get("id")?,
                    case_no: r.try_get("case_no")?,
                    unit_id: r.try_get("unit_id")?,
                    due_on: r.try_get("due_sort")?,
                    due_flag: code_or_empty(r, "due_flag", DueStatus::parse)?,
                })
            })
            .collect()
    }

    /// Marks cases `due_soon` or `overdue` (each only if it still has the flag it was
    /// read with and is still due then), appends each event and notifies each case's
    /// people, in one transaction. Returns how many were marked.
    pub async fn mark_due(
        &self,
        marks: &[(DueCase, DueStatus, Vec<i64>)],
        actor: &Actor,
    ) -> Result<usize> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let mut marked = 0;
        for (c, flag, users) in marks {
            let n = sqlx::query(
                "UPDATE cases SET due_flag = $1, version = version + 1 WHERE id = $2 AND due_flag = $3 AND due_sort = $4 AND state = 'open'",
            )
            .bind(flag.as_str())
            .bind(c.id)
            .bind(c.due_flag.map_or("", DueStatus::as_str))
            .bind(&c.due_on)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                continue;
            }
            marked += 1;
            let due_on = c.due_on.clone();
            let event = if *flag == DueStatus::Overdue {
                domain::Event::Overdue { due_on }
            } else {
                domain::Event::DueSoon { due_on }
            };
            append(&mut tx, c.id, &event, actor, now).await?;
            for u in users {
                sqlx::query(
                    "INSERT INTO notifications (user_id, case_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(u)
                .bind(c.id)
                .bind(flag.as_str())
                .bind(&c.due_on)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(marked)
    }

    /// Active users of one unit with one of `roles`.
    pub async fn unit_staff(&self, unit_id: i64, roles: &[domain::Role]) -> Result<Vec<i64>> {
        let rows =
            sqlx::query("SELECT id, role FROM users WHERE unit_id = $1 AND active = 1 ORDER BY id")
                .bind(unit_id)
                .fetch_all(&self.read)
                .await?;
        let mut ids = vec![];
        for r in rows {
            let role: String = r.try_get("role")?;
            if domain::Role::parse(&role).is_some_and(|r| roles.contains(&r)) {
                ids.push(r.try_get("id")?);
            }
        }
        Ok(ids)
    }

    /// A user's notifications, newest first.
    pub async fn notifications(&self, user_id: i64, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT n.id, n.case_id, c.case_no, n.kind, n.detail, n.created_at, n.read_at
             FROM notifications n LEFT JOIN cases c ON c.id = n.case_id
             WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    case_no: r.try_get("case_no")?,
                    kind: r.try_get("kind")?,
                    detail: r.try_get("detail")?,
                    created_at: r.try_get("created_at")?,
                    read_at: r.try_get("read_at")?,
                })
            })
            .collect()
    }

    pub async fn unread_notifications(&self, user_id: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.read)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Marks all of a user's notifications read.
    pub async fn read_notifications(&self, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now_ms())
            .bind(user_id)
            .execute(&self.write)
            .await
            .map_err(StoreError::from_sqlx)?;
        Ok(())
    }
}
