//! Administrative changes — users, passwords, units, routing rules — each written with
//! its audit row in one transaction, so the log cannot miss a change or record one that
//! did not happen.

use crate::audit::AuditSubject;
use crate::routing::RoutingRule;
use crate::units::{unit_from_row, UNIT_COLUMNS};
use crate::users::{revoke_access, user_in};
use crate::users::{user_from_row, USER_COLUMNS, USER_FROM};
use crate::{now_ms, Actor, NewUnit, NewUser, Result, Store, StoreError, Unit, User};
use sqlx::{Any, Row, Transaction};

/// The audit row that goes with a change.
#[derive(Debug, Clone)]
pub struct AuditNote<'a> {
    pub actor: &'a Actor,
    /// A snake_case action, e.g. `user_created`; the audit page names it.
    pub action: &'a str,
    /// What was changed: a username, a unit code, a rule.
    pub target: String,
    /// What changed, as a small JSON object (`{"role":["clerk","handler"]}`) or empty.
    pub detail: String,
}

/// Writes the note's audit row inside the change's transaction. `subject` is what the
/// change is about, which decides which admins and auditors may read the row.
pub(crate) async fn audit_in(
    tx: &mut Transaction<'_, Any>,
    note: &AuditNote<'_>,
    subject: AuditSubject<'_>,
) -> Result<()> {
    crate::audit::audit_in(
        tx,
        note.actor,
        note.action,
        &note.target,
        &note.detail,
        subject,
    )
    .await
}

/// The note's JSON detail with how many sessions ended and tokens were revoked.
fn with_revocation(detail: &str, sessions: u64, tokens: u64) -> String {
    let mut v = serde_json::from_str::<serde_json::Value>(detail)
        .ok()
        .filter(serde_json::Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    if let Some(map) = v.as_object_mut() {
        map.insert("sessions_ended".into(), sessions.into());
        map.insert("tokens_revoked".into(), tokens.into());
    }
    v.to_string()
}

/// A page of the user list.
#[derive(Debug, Clone)]
pub struct UserPage {
    pub users: Vec<User>,
    /// How many users match in all.
    pub total: i64,
}

impl Store {
    pub async fn create_user_audited(&self, u: &NewUser, note: &AuditNote<'_>) -> Result<User> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, display_name, role, unit_id, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&u.username)
        .bind(&u.display_name)
        .bind(u.role.as_str())
        .bind(u.unit_id)
        .bind(&u.password_hash)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        audit_in(&mut tx, note, AuditSubject::User(id)).await?;
        tx.commit().await?;
        self.user_fresh(id).await
    }

    /// Reads a user from the write pool, so that a change just made is seen.
    async fn user_fresh(&self, id: i64) -> Result<User> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} {USER_FROM} WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.write)
        .await?
        .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    pub async fn update_user_audited(
        &self,
        id: i64,
        display_name: &str,
        role: domain::Role,
        unit_id: i64,
        active: bool,
        note: &AuditNote<'_>,
    ) -> Result<User> {
        let mut tx = self.write.begin().await?;
        let before = user_in(&mut tx, id).await?;
        let n = sqlx::query(
            "UPDATE users SET display_name = $1, role = $2, unit_id = $3, active = $4 WHERE id = $5",
        )
        .bind(display_name)
        .bind(role.as_str())
        .bind(unit_id)
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        // A change of role or unit, or a deactivation, ends every session and revokes
        // every API token of the user, for good: reactivation brings none back.
        let mut note = note.clone();
        if before.role != role || before.unit_id != unit_id || !active {
            let (sessions, tokens) = revoke_access(&mut tx, id).await?;
            note.detail = with_revocation(&note.detail, sessions, tokens);
        }
        audit_in(&mut tx, &note, AuditSubject::User(id)).await?;
        tx.commit().await?;
        self.user_fresh(id).await
    }

    /// Sets a password. `must_change`: the owner must choose another at the next login
    /// (an admin's reset); false when the owner chose it. Clears any lockout.
    pub async fn set_password_audited(
        &self,
        id: i64,
        password_hash: &str,
        must_change: bool,
        revoke: bool,
        note: &AuditNote<'_>,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0,
             locked_until = NULL WHERE id = $3",
        )
        .bind(password_hash)
        .bind(i64::from(must_change))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        // A reset (by an admin or from the command line) ends every session and token of
        // the user; an owner who chose a new password keeps the session they are using.
        let mut note = note.clone();
        if revoke {
            let (sessions, tokens) = revoke_access(&mut tx, id).await?;
            note.detail = with_revocation(&note.detail, sessions, tokens);
        }
        audit_in(&mut tx, &note, AuditSubject::User(id)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks whether a user must change their password at the next login (set for the
    /// first start's one-time password).
    pub async fn set_must_change_password(&self, id: i64, must: bool) -> Result<()> {
        sqlx::query("UPDATE users SET must_change_password = $1 WHERE id = $2")
            .bind(i64::from(must))
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Users in the subtree at `path` whose username or name contains `search`, in
    /// username order, `limit` from `offset`, with the number that match.
    pub async fn users_page(
        &self,
        path: &str,
        search: &str,
        offset: i64,
        limit: i64,
    ) -> Result<UserPage> {
        let (lo, hi) = crate::bounds_of(path);
        let pattern = format!("%{}%", crate::like_escape(&search.trim().to_lowercase()));
        let filter = "n.path >= $1 AND n.path < $2
             AND ($3 = '%%' OR LOWER(u.username) LIKE $3 ESCAPE '\\' OR LOWER(u.display_name) LIKE $3 ESCAPE '\\')";
        let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n {USER_FROM} WHERE {filter}"))
            .bind(&lo)
            .bind(&hi)
            .bind(&pattern)
            .fetch_one(&self.read)
            .await?
            .try_get("n")?;
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} {USER_FROM} WHERE {filter} ORDER BY u.username LIMIT $4 OFFSET $5"
        ))
        .bind(&lo)
        .bind(&hi)
        .bind(&pattern)
        .bind(limit.clamp(1, 200))
        .bind(offset.max(0))
        .fetch_all(&self.read)
        .await?;
        Ok(UserPage {
            users: rows.iter().map(user_from_row).collect::<Result<_>>()?,
            total,
        })
    }

    pub async fn create_unit_audited(&self, u: &NewUnit, note: &AuditNote<'_>) -> Result<Unit> {
        self.create_unit_noted(u, Some(note)).await
    }

    /// Renames a unit, or retires it (or brings it back).
    pub async fn update_unit_audited(
        &self,
        id: i64,
        name: &str,
        name_en: &str,
        retired: bool,
        note: &AuditNote<'_>,
    ) -> Result<Unit> {
        let mut tx = self.write.begin().await?;
        let n = sqlx::query("UPDATE units SET name = $1, name_en = $2, retired = $3 WHERE id = $4")
            .bind(name)
            .bind(name_en)
            .bind(i64::from(retired))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let path: String = sqlx::query("SELECT path FROM units WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("path")?;
        audit_in(&mut tx, note, AuditSubject::UnitPath(&path)).await?;
        tx.commit().await?;
        let row = sqlx::query(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
            .bind(id)
            .fetch_one(&self.write)
            .await?;
        unit_from_row(&row)
    }

    /// Adds or replaces a routing rule (a replaced or re-added rule is active again).
    pub async fn set_routing_rule_audited(
        &self,
        category: &str,
        region_prefix: &str,
        unit: &Unit,
        note: &AuditNote<'_>,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO routing_rules (category, region_prefix, unit_id, updated_at, retired) VALUES ($1, $2, $3, $4, 0)
             ON CONFLICT (category, region_prefix) DO UPDATE SET unit_id = excluded.unit_id,
             updated_at = excluded.updated_at, retired = 0",
        )
        .bind(category)
        .bind(region_prefix)
        .bind(unit.id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?;
        audit_in(&mut tx, note, AuditSubject::UnitPath(&unit.path)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Retires a routing rule (it stays in the table, unsuggested) or brings it back.
    pub async fn retire_routing_rule(
        &self,
        category: &str,
        region_prefix: &str,
        retired: bool,
        note: &AuditNote<'_>,
    ) -> Result<RoutingRule> {
        let mut tx = self.write.begin().await?;
        let n = sqlx::query(
            "UPDATE routing_rules SET retired = $1, updated_at = $2 WHERE category = $3 AND region_prefix = $4",
        )
        .bind(i64::from(retired))
        .bind(now_ms())
        .bind(category)
        .bind(region_prefix)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit_in(&mut tx, note, AuditSubject::None).await?;
        tx.commit().await?;
        self.routing_rules()
            .await?
            .into_iter()
            .find(|r| r.category == category && r.region_prefix == region_prefix)
            .ok_or(StoreError::NotFound)
    }
}
