//! Store calls about `sessions` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
    ) -> AppResult<()> {
        Ok(self
            .store
            .create_session(token_hash, user_id, csrf_token)
            .await?)
    }

    /// The live session for a token hash, if it has been used within `idle_ms` and began
    /// within `absolute_ms`. A live session's last use is moved to now (at most once a
    /// minute, to spare the writer).
    pub async fn session(
        &self,
        token_hash: &str,
        idle_ms: i64,
        absolute_ms: i64,
    ) -> AppResult<Option<Session>> {
        Ok(self.store.session(token_hash, idle_ms, absolute_ms).await?)
    }

    /// Ends a session (logout or timeout). The row stays, as a record.
    pub async fn end_session(&self, token_hash: &str) -> AppResult<()> {
        Ok(self.store.end_session(token_hash).await?)
    }
}
