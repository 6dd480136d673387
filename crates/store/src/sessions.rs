//! Server-side sessions, stored by the SHA-256 of their token so that a copy of the
//! database does not hand out live sessions.

use crate::users::{user_from_row, USER_COLUMNS, USER_FROM};
use crate::{now_ms, Result, Session, Store};
use sqlx::Row;

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
    ) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen)
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The live session for a token hash, if it has been used within `idle_ms` and began
    /// within `absolute_ms`. A live session's last use is moved to now (at most once a
    /// minute, to spare the writer).
    pub async fn session(
        &self,
        token_hash: &str,
        idle_ms: i64,
        absolute_ms: i64,
    ) -> Result<Option<Session>> {
        let now = now_ms();
        // The session and its user in one round trip.
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.csrf_token AS s_csrf_token, s.created_at AS s_created_at,
                s.last_seen AS s_last_seen {USER_FROM} JOIN sessions s ON s.user_id = u.id
             WHERE s.token_hash = $1 AND s.ended_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last_seen: i64 = row.try_get("s_last_seen")?;
        let created_at: i64 = row.try_get("s_created_at")?;
        if now - last_seen > idle_ms || now - created_at > absolute_ms {
            self.end_session(token_hash).await?;
            return Ok(None);
        }
        let user = user_from_row(&row)?;
        if !user.active {
            return Ok(None);
        }
        if now - last_seen > 60_000 {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.write)
                .await?;
        }
        Ok(Some(Session {
            user,
            csrf_token: row.try_get("s_csrf_token")?,
            created_at,
            last_seen: now,
        }))
    }

    /// Ends a session (logout or timeout). The row stays, as a record.
    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL")
            .bind(now_ms())
            .bind(token_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Moves a session's last use back in time; for tests of the idle timeout.
    pub async fn age_session(&self, token_hash: &str, by_ms: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen = last_seen - $1 WHERE token_hash = $2")
            .bind(by_ms)
            .bind(token_hash)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
