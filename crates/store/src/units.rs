//! The unit tree. Each unit carries a materialised path (`/1/5/23/`) so that a subtree is
//! one range on an index.

use crate::{now_ms, NewUnit, Result, Store, StoreError, Unit};
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) const UNIT_COLUMNS: &str = "id, code, name, name_en, level, parent_id, path, retired";

pub(crate) fn unit_from_row(r: &AnyRow) -> Result<Unit> {
    Ok(Unit {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        name_en: r.try_get("name_en")?,
        level: crate::error::code(r, "level", domain::UnitLevel::parse)?,
        parent_id: r.try_get("parent_id")?,
        path: r.try_get("path")?,
        retired: r.try_get::<i64, _>("retired")? != 0,
    })
}

impl Store {
    /// Creates a unit below `parent_id` (or a root). The code must be unique.
    pub async fn create_unit(&self, u: &NewUnit) -> Result<Unit> {
        self.create_unit_noted(u, None).await
    }

    /// Creates a unit and, when given, writes its audit row in the same transaction.
    pub(crate) async fn create_unit_noted(
        &self,
        u: &NewUnit,
        note: Option<&crate::AuditNote<'_>>,
    ) -> Result<Unit> {
        let parent_path = match u.parent_id {
            Some(pid) => Some(self.unit(pid).await?.path),
            None => None,
        };
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO units (code, name, name_en, level, parent_id, path, created_at)
             VALUES ($1, $2, $3, $4, $5, '', $6) RETURNING id",
        )
        .bind(&u.code)
        .bind(&u.name)
        .bind(&u.name_en)
        .bind(u.level.as_str())
        .bind(u.parent_id)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        let path = format!("{}{id}/", parent_path.as_deref().unwrap_or("/"));
        sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
            .bind(&path)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if let Some(note) = note {
            crate::admin_changes::audit_in(&mut tx, note, crate::AuditSubject::UnitPath(&path))
                .await?;
        }
        tx.commit().await?;
        self.unit(id).await
    }

    pub async fn update_unit_names(&self, id: i64, name: &str, name_en: &str) -> Result<Unit> {
        let n = sqlx::query("UPDATE units SET name = $1, name_en = $2 WHERE id = $3")
            .bind(name)
            .bind(name_en)
            .bind(id)
            .execute(&self.write)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.unit(id).await
    }

    pub async fn unit(&self, id: i64) -> Result<Unit> {
        let row = sqlx::query(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        unit_from_row(&row)
    }

    pub async fn unit_by_code(&self, code: &str) -> Result<Unit> {
        let row = sqlx::query(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        unit_from_row(&row)
    }

    /// The root of the tree: the first unit created without a parent.
    pub async fn root_unit(&self) -> Result<Option<Unit>> {
        let row = sqlx::query(&format!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1"
        ))
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(unit_from_row).transpose()
    }

    /// Every unit in the subtree at `path`, in tree order.
    pub async fn units_under(&self, path: &str) -> Result<Vec<Unit>> {
        let (lo, hi) = crate::bounds_of(path);
        let rows = sqlx::query(&format!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE path >= $1 AND path < $2 ORDER BY path"
        ))
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(unit_from_row).collect()
    }

    pub async fn unit_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM units")
            .fetch_one(&self.read)
            .await?;
        Ok(row.try_get("n")?)
    }
}
