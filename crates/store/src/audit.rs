//! The audit log: logins, failed logins and every read of a petitioner's personal data.

use crate::{now_ms, Actor, AuditEntry, Result, Store};
use sqlx::{AnyConnection, Row};

/// Appends an audit entry inside the caller's transaction, so that the entry and the
/// change it records commit together.
pub(crate) async fn audit_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, target, ip, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now_ms())
    .bind(actor.id)
    .bind(&actor.name)
    .bind(action)
    .bind(target)
    .bind(&actor.ip)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    pub async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, target, ip, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(now_ms())
        .bind(actor.id)
        .bind(&actor.name)
        .bind(action)
        .bind(target)
        .bind(&actor.ip)
        .bind(detail)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The newest entries first, optionally of one action, before `before_id` for paging.
    pub async fn audit_entries(
        &self,
        action: Option<&str>,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor_id, actor_name, action, target, ip, detail FROM audit_log
             WHERE ($1 = '' OR action = $1) AND id < $2
             ORDER BY id DESC LIMIT $3",
        )
        .bind(action.unwrap_or(""))
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor_id: r.try_get("actor_id")?,
                    actor_name: r.try_get("actor_name")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    ip: r.try_get("ip")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
