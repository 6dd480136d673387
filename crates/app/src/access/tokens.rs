//! Store calls about `tokens` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    pub async fn tokens(&self, user_id: i64) -> AppResult<Vec<ApiToken>> {
        Ok(self.store.tokens(user_id).await?)
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_token(&self, user_id: i64, token_id: i64) -> AppResult<()> {
        Ok(self.store.revoke_token(user_id, token_id).await?)
    }

    /// The active user behind a live token.
    pub async fn user_by_token(&self, token_hash: &str) -> AppResult<Option<User>> {
        Ok(self.store.user_by_token(token_hash).await?)
    }
}
