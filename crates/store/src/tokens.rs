//! Per-user API tokens, stored by hash; a revoked token stays on record.

use crate::users::{user_from_row, USER_COLUMNS, USER_FROM};
use crate::{now_ms, ApiToken, Result, Store, StoreError, User};
use sqlx::Row;

impl Store {
    pub async fn create_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
    ) -> Result<ApiToken> {
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(now_ms())
        .fetch_one(&self.write)
        .await
        .map_err(StoreError::from_sqlx)?
        .try_get("id")?;
        self.tokens(user_id)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound)
    }

    pub async fn tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens
             WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(&self.write)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    prefix: r.try_get("prefix")?,
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_token(&self, user_id: i64, token_id: i64) -> Result<()> {
        let n = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(token_id)
        .bind(user_id)
        .execute(&self.write)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// The active user behind a live token.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user_id: i64 = row.try_get("user_id")?;
        let user = user_from_row(
            &sqlx::query(&format!(
                "SELECT {USER_COLUMNS} {USER_FROM} WHERE u.id = $1"
            ))
            .bind(user_id)
            .fetch_one(&self.read)
            .await?,
        )?;
        Ok(user.active.then_some(user))
    }
}
