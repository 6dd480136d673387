//! Leading groups (领导小组) for a campaign or special period, with their working groups.
//! The staff accounts among the members are kept apart so each sees the group on their
//! dashboard while the period runs. Creating a group is a `register_events` row
//! ("leading_group") in the same transaction, and so is each change: a change is the
//! group's next version, and the working groups of earlier versions are kept.

use crate::register_events::append_register_event;
use crate::{now_ms, Actor, Result, Scope, Store, StoreError, Unit};
use domain::plans::Member;
use domain::register_event::{GroupChange, GroupEvent};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone, Serialize)]
pub struct WorkingGroup {
    pub name: String,
    pub duties: String,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeadingGroup {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub head: String,
    pub head_phone: String,
    /// The head's staff account, when the head was given as `@username`.
    pub head_username: Option<String>,
    pub deputies: String,
    pub office: String,
    pub created_at: i64,
    /// 1 when created; each change is the next.
    pub version: i64,
    pub working_groups: Vec<WorkingGroup>,
}

/// What creating a group writes; `users` are the staff accounts among its people.
#[derive(Debug, Clone)]
pub struct NewLeadingGroup {
    pub unit: Unit,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub head: String,
    pub head_phone: String,
    pub head_user_id: Option<i64>,
    pub deputies: String,
    pub office: String,
    pub working_groups: Vec<WorkingGroup>,
    pub users: Vec<i64>,
}

const COLUMNS: &str = "g.id, g.unit_id, u.name AS unit_name, g.unit_path, g.name, g.starts_on,
    g.ends_on, g.head, g.head_phone, g.deputies, g.office, g.created_at, g.version,
    (SELECT hu.username FROM users hu WHERE hu.id = g.head_user_id) AS head_username";
const FROM: &str = "FROM leading_groups g JOIN units u ON u.id = g.unit_id";

fn row(r: &AnyRow) -> Result<LeadingGroup> {
    Ok(LeadingGroup {
        id: r.try_get("id")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        name: r.try_get("name")?,
        starts_on: r.try_get("starts_on")?,
        ends_on: r.try_get("ends_on")?,
        head: r.try_get("head")?,
        head_phone: r.try_get("head_phone")?,
        head_username: r.try_get("head_username")?,
        deputies: r.try_get("deputies")?,
        office: r.try_get("office")?,
        created_at: r.try_get("created_at")?,
        version: r.try_get("version")?,
        working_groups: vec![],
    })
}

/// Writes a version's working groups and replaces the group's member accounts (the index
/// the dashboards read).
async fn write_people(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    version: i64,
    g: &NewLeadingGroup,
) -> Result<()> {
    for w in &g.working_groups {
        let members =
            serde_json::to_string(&w.members).map_err(|e| StoreError::Data(e.to_string()))?;
        sqlx::query(
            "INSERT INTO working_groups (group_id, version, name, duties, members)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(version)
        .bind(&w.name)
        .bind(&w.duties)
        .bind(members)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM leading_group_users WHERE group_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let mut users = g.users.clone();
    users.sort_unstable();
    users.dedup();
    for u in users {
        sqlx::query("INSERT INTO leading_group_users (group_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(u)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    pub async fn create_leading_group(&self, g: &NewLeadingGroup, actor: &Actor) -> Result<i64> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO leading_groups (unit_id, unit_path, name, starts_on, ends_on, head,
                head_phone, deputies, office, created_at, created_by, head_user_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(g.unit.id)
        .bind(&g.unit.path)
        .bind(&g.name)
        .bind(&g.starts_on)
        .bind(&g.ends_on)
        .bind(&g.head)
        .bind(&g.head_phone)
        .bind(&g.deputies)
        .bind(&g.office)
        .bind(now)
        .bind(actor.id)
        .bind(g.head_user_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        write_people(&mut tx, id, 1, g).await?;
        let event = GroupEvent::Created {
            name: g.name.clone(),
            starts_on: g.starts_on.clone(),
            ends_on: g.ends_on.clone(),
            working_groups: g.working_groups.len() as i64,
        };
        append_register_event(&mut tx, id, &g.unit.path, &event, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn leading_group(&self, id: i64) -> Result<LeadingGroup> {
        let r = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE g.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut g = row(&r)?;
        g.working_groups = self.working_groups(id, g.version).await?;
        Ok(g)
    }

    /// The working groups of one version of a group.
    async fn working_groups(&self, id: i64, version: i64) -> Result<Vec<WorkingGroup>> {
        let rows = sqlx::query(
            "SELECT name, duties, members FROM working_groups WHERE group_id = $1 AND version = $2
             ORDER BY id",
        )
        .bind(id)
        .bind(version)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let members: String = r.try_get("members")?;
                Ok(WorkingGroup {
                    name: r.try_get("name")?,
                    duties: r.try_get("duties")?,
                    members: serde_json::from_str(&members).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Groups of a subtree, latest period first; `on` keeps those whose period covers
    /// that day (`YYYY-MM-DD`).
    pub async fn leading_groups(
        &self,
        scope: &Scope,
        on: Option<&str>,
    ) -> Result<Vec<LeadingGroup>> {
        let (lo, hi) = scope.bounds();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} {FROM} WHERE g.unit_path >= $1 AND g.unit_path < $2
             AND ($3 = '' OR (g.starts_on <= $3 AND g.ends_on >= $3))
             ORDER BY g.starts_on DESC, g.id DESC LIMIT 500"
        ))
        .bind(lo)
        .bind(hi)
        .bind(on.unwrap_or(""))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(row).collect()
    }

    /// The groups a staff account is in whose period covers `day`, with working groups.
    pub async fn leading_groups_of_user(
        &self,
        user_id: i64,
        day: &str,
    ) -> Result<Vec<LeadingGroup>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} {FROM} JOIN leading_group_users m ON m.group_id = g.id
             WHERE m.user_id = $1 AND g.starts_on <= $2 AND g.ends_on >= $2
             ORDER BY g.starts_on, g.id"
        ))
        .bind(user_id)
        .bind(day)
        .fetch_all(&self.read)
        .await?;
        let mut out = vec![];
        for r in &rows {
            let mut g = row(r)?;
            g.working_groups = self.working_groups(g.id, g.version).await?;
            out.push(g);
        }
        Ok(out)
    }

    /// Writes the group's next version (`g.unit` stays the group's unit) with its
    /// working groups, and a "revised" event carrying `changes`, in one transaction.
    /// Returns the new version, or `Conflict` when `expected` is no longer the current one.
    pub async fn update_leading_group(
        &self,
        id: i64,
        expected: i64,
        g: &NewLeadingGroup,
        changes: &[GroupChange],
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let version = expected + 1;
        let n = sqlx::query(
            "UPDATE leading_groups SET name = $1, starts_on = $2, ends_on = $3, head = $4,
                head_phone = $5, deputies = $6, office = $7, version = $8, head_user_id = $11
             WHERE id = $9 AND version = $10",
        )
        .bind(&g.name)
        .bind(&g.starts_on)
        .bind(&g.ends_on)
        .bind(&g.head)
        .bind(&g.head_phone)
        .bind(&g.deputies)
        .bind(&g.office)
        .bind(version)
        .bind(id)
        .bind(expected)
        .bind(g.head_user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            let current_version: i64 =
                sqlx::query("SELECT version FROM leading_groups WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?
                    .try_get("version")?;
            return Err(StoreError::Conflict { current_version });
        }
        write_people(&mut tx, id, version, g).await?;
        let event = GroupEvent::Revised {
            version,
            changes: changes.to_vec(),
        };
        append_register_event(&mut tx, id, &g.unit.path, &event, actor).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Groups a unit at `unit_path` may file under: its own and those of the units above
    /// it, whose period meets `[from, to]` (`YYYY-MM-DD`), by start.
    pub async fn leading_groups_above(
        &self,
        unit_path: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<LeadingGroup>> {
        let paths = paths_above(unit_path);
        if paths.is_empty() {
            return Ok(vec![]);
        }
        let marks: Vec<String> = (0..paths.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE g.starts_on <= $2 AND g.ends_on >= $1
             AND g.unit_path IN ({}) ORDER BY g.starts_on, g.id",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(from).bind(to);
        for p in &paths {
            q = q.bind(p);
        }
        let rows = q.fetch_all(&self.read).await?;
        rows.iter().map(row).collect()
    }
}

/// `/1/5/23/` → `/1/`, `/1/5/`, `/1/5/23/`.
fn paths_above(path: &str) -> Vec<String> {
    let mut out = vec![];
    let mut acc = String::from("/");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        acc.push_str(seg);
        acc.push('/');
        out.push(acc.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_lists_itself_and_the_paths_above() {
        assert_eq!(super::paths_above("/1/5/23/"), ["/1/", "/1/5/", "/1/5/23/"]);
        assert!(super::paths_above("/").is_empty());
    }
}
