//! The audit log: logins, failed logins, admin changes and every read of a petitioner's
//! personal data.
//!
//! The log is scoped like cases. Each entry keeps two units: the unit of whoever acted
//! (as it was then), and the unit of what the entry is about (the case whose personal
//! data was read, the account that logged in or was reset, the unit whose settings
//! changed). An admin or auditor sees an entry when either unit is in their subtree.
//! An entry with no known actor and nothing in the tree to be about (a failed login with
//! an unknown username) belongs to the root: only the root unit's admins and auditors
//! see it.

use crate::{now_ms, Actor, AuditEntry, Result, Scope, Store};
use sqlx::{AnyConnection, Row};

/// What an audit entry is about, which decides who else may read it.
#[derive(Debug, Clone, Copy)]
pub enum AuditSubject<'a> {
    /// Nothing beyond the actor's own doing.
    None,
    /// A case, by id: its current unit.
    Case(i64),
    /// An account, by id: its unit.
    User(i64),
    /// A unit, by its path.
    UnitPath(&'a str),
}

/// The unit path of the acting user, `'/'` (root only) when nobody known acted.
const ACTOR_PATH: &str =
    "COALESCE((SELECT un.path FROM users u JOIN units un ON un.id = u.unit_id \
     WHERE u.id = $2), '/')";

/// Writes one entry inside the caller's transaction, so that a change and its audit row
/// commit together.
pub(crate) async fn audit_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
    subject: AuditSubject<'_>,
) -> Result<()> {
    let subject_sql = match subject {
        AuditSubject::None | AuditSubject::UnitPath(_) => "$8",
        AuditSubject::Case(_) => "(SELECT c.unit_path FROM cases c WHERE c.id = $8)",
        AuditSubject::User(_) => {
            "(SELECT un.path FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = $8)"
        }
    };
    let q = format!(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, target, ip, detail,
             actor_path, subject_path)
         VALUES ($1, $2, $3, $4, $5, $6, $7, {ACTOR_PATH}, {subject_sql})"
    );
    let query = sqlx::query(&q)
        .bind(now_ms())
        .bind(actor.id)
        .bind(&actor.name)
        .bind(action)
        .bind(target)
        .bind(&actor.ip)
        .bind(detail);
    let query = match subject {
        AuditSubject::None => query.bind(None::<String>),
        AuditSubject::UnitPath(p) => query.bind(p.to_string()),
        AuditSubject::Case(id) | AuditSubject::User(id) => query.bind(id),
    };
    query.execute(conn).await?;
    Ok(())
}

impl Store {
    /// Records something the actor did that is about nothing else in the tree.
    pub async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        self.audit_about(actor, action, target, detail, AuditSubject::None)
            .await
    }

    /// Records something the actor did about `subject`: the subject's unit may read it too.
    pub async fn audit_about(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: &str,
        subject: AuditSubject<'_>,
    ) -> Result<()> {
        let mut tx = self.write.begin().await?;
        audit_in(&mut tx, actor, action, target, detail, subject).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The entries `scope` may read, newest first, optionally of one action, before
    /// `before_id` for paging.
    pub async fn audit_entries(
        &self,
        scope: &Scope,
        action: Option<&str>,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let (lo, hi) = scope.bounds();
        let in_scope = if scope.is_root() {
            "($4 = $4 AND $5 = $5)"
        } else {
            "((actor_path >= $4 AND actor_path < $5) OR (subject_path >= $4 AND subject_path < $5))"
        };
        let rows = sqlx::query(&format!(
            "SELECT id, at, actor_id, actor_name, action, target, ip, detail FROM audit_log
             WHERE ($1 = '' OR action = $1) AND id < $2 AND {in_scope}
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(action.unwrap_or(""))
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit)
        .bind(lo)
        .bind(hi)
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
