//! The owner leader of a case (包案) and group-visit attendance (集体访).

use crate::cases::{append, bump_version};
use crate::error::code;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError};
use domain::attendance::Why;
use domain::Event;
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct AttendanceRow {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub why: Why,
    pub notified_at: i64,
    pub attended_at: Option<i64>,
}

impl Store {
    /// The case's owner leader, if any.
    pub async fn case_owner(&self, scope: &Scope, id: i64) -> Result<Option<crate::User>> {
        self.case_summary(scope, id).await?;
        let row = sqlx::query("SELECT owner_id FROM cases WHERE id = $1")
            .bind(id)
            .fetch_one(&self.read)
            .await?;
        let owner: Option<i64> = row.try_get("owner_id")?;
        match owner {
            Some(uid) => Ok(Some(self.user(uid).await?)),
            None => Ok(None),
        }
    }

    /// Makes `owner` the case's owner leader and records it.
    pub async fn set_owner(
        &self,
        scope: &Scope,
        id: i64,
        owner: &crate::User,
        actor: &Actor,
    ) -> Result<()> {
        self.case_summary(scope, id).await?;
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "UPDATE cases SET owner_id = $1, updated_at = $2, version = version + 1 WHERE id = $3",
        )
        .bind(owner.id)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let event = Event::OwnerAssigned {
            owner: owner.username.clone(),
            owner_name: owner.display_name.clone(),
        };
        append(&mut tx, id, &event, actor, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records who must attend a group visit and tells each of them in the app. People
    /// already told are not told again. Returns how many were newly told.
    pub async fn notify_attendance(
        &self,
        scope: &Scope,
        id: i64,
        people: &[(i64, Why)],
        actor: &Actor,
    ) -> Result<usize> {
        let case = self.case_summary(scope, id).await?;
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let mut told = vec![];
        for (uid, why) in people {
            let n = sqlx::query(
                "INSERT INTO attendance (case_id, user_id, why, notified_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (case_id, user_id) DO NOTHING",
            )
            .bind(id)
            .bind(uid)
            .bind(why.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                sqlx::query(
                    "INSERT INTO notifications (user_id, case_id, kind, detail, created_at) VALUES ($1, $2, 'group_visit', $3, $4)",
                )
                .bind(uid)
                .bind(id)
                .bind(format!("{} ({})", case.headcount, why))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                told.push(*uid);
            }
        }
        if !told.is_empty() {
            bump_version(&mut tx, id).await?;
            let event = Event::AttendanceNotified {
                users: told.clone(),
                headcount: case.headcount,
            };
            append(&mut tx, id, &event, actor, now).await?;
        }
        tx.commit().await?;
        Ok(told.len())
    }

    /// Records that these people attended.
    pub async fn record_attendance(
        &self,
        scope: &Scope,
        id: i64,
        attended: &[i64],
        actor: &Actor,
    ) -> Result<()> {
        self.case_summary(scope, id).await?;
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        for uid in attended {
            let n = sqlx::query(
                "UPDATE attendance SET attended_at = $1 WHERE case_id = $2 AND user_id = $3",
            )
            .bind(now)
            .bind(id)
            .bind(uid)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                tx.rollback().await?;
                return Err(StoreError::InvalidReference { field: "attended" });
            }
        }
        bump_version(&mut tx, id).await?;
        let event = Event::AttendanceRecorded {
            users: attended.to_vec(),
        };
        append(&mut tx, id, &event, actor, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn attendance(&self, scope: &Scope, id: i64) -> Result<Vec<AttendanceRow>> {
        self.case_summary(scope, id).await?;
        let rows = sqlx::query(
            "SELECT a.user_id, u.username, u.display_name, a.why, a.notified_at, a.attended_at
             FROM attendance a JOIN users u ON u.id = a.user_id WHERE a.case_id = $1 ORDER BY a.notified_at, a.user_id",
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AttendanceRow {
                    user_id: r.try_get("user_id")?,
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    why: code(r, "why", Why::parse)?,
                    notified_at: r.try_get("notified_at")?,
                    attended_at: r.try_get("attended_at")?,
                })
            })
            .collect()
    }
}
