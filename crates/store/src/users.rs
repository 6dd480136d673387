//! Staff accounts, with the counters that lock an account after failed logins.

use crate::audit::{audit_in, AuditSubject};
use crate::{now_ms, Actor, NewUser, Result, Store, StoreError, User};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.unit_id,
    n.code AS unit_code, n.name AS unit_name, n.path AS unit_path, u.password_hash,
    u.failed_logins, u.locked_until, u.active, u.must_change_password";

/// Users joined to their units.
pub(crate) const USER_FROM: &str = "FROM users u JOIN units n ON n.id = u.unit_id";

pub(crate) fn user_from_row(r: &AnyRow) -> Result<User> {
    let active: i64 = r.try_get("active")?;
    let must_change: i64 = r.try_get("must_change_password")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: {
            let role: String = r.try_get("role")?;
            domain::Role::parse(&role)
                .ok_or_else(|| StoreError::Data(format!("unknown role '{role}'")))?
        },
        unit_id: r.try_get("unit_id")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        password_hash: r.try_get("password_hash")?,
        failed_logins: r.try_get("failed_logins")?,
        locked_until: r.try_get("locked_until")?,
        active: active != 0,
        must_change_password: must_change != 0,
    })
}

impl Store {
    pub async fn create_user(&self, u: &NewUser) -> Result<User> {
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
        .fetch_one(&self.write)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        self.user(id).await
    }

    pub async fn user(&self, id: i64) -> Result<User> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} {USER_FROM} WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    pub async fn user_by_name(&self, username: &str) -> Result<User> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} {USER_FROM} WHERE u.username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.write)
        .await?
        .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    /// Users whose unit lies in the subtree at `path`.
    pub async fn users_under(&self, path: &str) -> Result<Vec<User>> {
        let (lo, hi) = crate::bounds_of(path);
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} {USER_FROM} WHERE n.path >= $1 AND n.path < $2 ORDER BY n.path, u.username"
        ))
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    pub async fn user_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.read)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Counts a failed login. When the count reaches `max_failures` the account is locked
    /// until `lock_until` and the count starts again. Returns whether it is now locked.
    pub async fn record_failed_login(
        &self,
        id: i64,
        max_failures: i64,
        lock_until: i64,
    ) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        let locked = count_failure(&mut tx, id, max_failures, lock_until).await?;
        tx.commit().await?;
        Ok(locked)
    }

    /// A failed login of a known user: counts it as [`Store::record_failed_login`] does,
    /// and records `login_failed` (with `detail`) and, when this failure locks the
    /// account, `account_locked`, all in one transaction. Returns whether it is now
    /// locked.
    pub async fn failed_login(
        &self,
        user: &User,
        max_failures: i64,
        lock_until: i64,
        actor: &Actor,
        detail: &str,
    ) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        let locked = count_failure(&mut tx, user.id, max_failures, lock_until).await?;
        let about = AuditSubject::User(user.id);
        audit_in(
            &mut tx,
            actor,
            "login_failed",
            &user.username,
            detail,
            about,
        )
        .await?;
        if locked {
            let minutes = ((lock_until - now_ms()).max(0) + 59_999) / 60_000;
            let why =
                format!("{max_failures} failed logins in a row; locked for {minutes} minutes");
            audit_in(
                &mut tx,
                actor,
                "account_locked",
                &user.username,
                &why,
                about,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(locked)
    }

    pub async fn record_successful_login(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}

/// A user, read inside a transaction.
pub(crate) async fn user_in(conn: &mut AnyConnection, id: i64) -> Result<User> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} {USER_FROM} WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    user_from_row(&row)
}

/// Ends every live session and revokes every live API token of a user. Returns how
/// many of each.
pub(crate) async fn revoke_access(conn: &mut AnyConnection, user_id: i64) -> Result<(u64, u64)> {
    let now = now_ms();
    let sessions =
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    let tokens = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((sessions, tokens))
}

/// Counts one failed login, locking the account when the count reaches `max_failures`.
async fn count_failure(
    conn: &mut AnyConnection,
    id: i64,
    max_failures: i64,
    lock_until: i64,
) -> Result<bool> {
    let row = sqlx::query(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let failures: i64 = row.try_get("failed_logins")?;
    if failures >= max_failures {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
            .bind(lock_until)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok(true);
    }
    Ok(false)
}
