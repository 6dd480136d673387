//! The configurable category tree, seeded from `data/categories.toml`.

use crate::{Category, Result, Store, StoreError};
use serde::Deserialize;
use sqlx::Row;

const DEFAULT_TREE: &str = include_str!("../../../data/categories.toml");

#[derive(Deserialize)]
struct TreeFile {
    category: Vec<TreeEntry>,
}

#[derive(Deserialize)]
struct TreeEntry {
    code: String,
    parent: Option<String>,
    zh: String,
    en: String,
}

/// The default tree that ships with Hearken, parents before children.
pub fn default_categories() -> Result<Vec<Category>> {
    let file: TreeFile = toml::from_str(DEFAULT_TREE)
        .map_err(|e| StoreError::Data(format!("categories.toml: {e}")))?;
    Ok(file
        .category
        .into_iter()
        .enumerate()
        .map(|(i, e)| Category {
            code: e.code,
            parent: e.parent,
            name: e.zh,
            name_en: e.en,
            sort: i as i64,
        })
        .collect())
}

impl Store {
    /// Inserts the default tree if there are no categories yet.
    pub async fn seed_categories(&self) -> Result<()> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM categories")
            .fetch_one(&self.write)
            .await?
            .try_get("n")?;
        if n > 0 {
            return Ok(());
        }
        let mut tx = self.write.begin().await?;
        for c in default_categories()? {
            sqlx::query(
                "INSERT INTO categories (code, parent, name, name_en, sort) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(&c.code)
            .bind(&c.parent)
            .bind(&c.name)
            .bind(&c.name_en)
            .bind(c.sort)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds a category or renames an existing one.
    pub async fn upsert_category(&self, c: &Category) -> Result<()> {
        sqlx::query(
            "INSERT INTO categories (code, parent, name, name_en, sort) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, sort = excluded.sort",
        )
        .bind(&c.code)
        .bind(&c.parent)
        .bind(&c.name)
        .bind(&c.name_en)
        .bind(c.sort)
        .execute(&self.write)
        .await
        .map_err(StoreError::from_sqlx)?;
        Ok(())
    }

    /// Whether any category hangs below `code`.
    pub async fn has_subcategories(&self, code: &str) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM categories WHERE parent = $1")
            .bind(code)
            .fetch_one(&self.read)
            .await?;
        let n: i64 = row.try_get("n")?;
        Ok(n > 0)
    }

    /// The active categories, parents before children.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        let rows = sqlx::query(
            "SELECT code, parent, name, name_en, sort FROM categories WHERE active = 1 ORDER BY sort, code",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Category {
                    code: r.try_get("code")?,
                    parent: r.try_get("parent")?,
                    name: r.try_get("name")?,
                    name_en: r.try_get("name_en")?,
                    sort: r.try_get("sort")?,
                })
            })
            .collect()
    }
}
