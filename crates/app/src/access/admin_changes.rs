//! Store calls about `admin changes` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// Sets a password. `must_change`: the owner must choose another at the next login
    /// (an admin's reset); false when the owner chose it. Clears any lockout.
    pub async fn set_password_audited(
        &self,
        id: i64,
        password_hash: &str,
        must_change: bool,
        revoke: bool,
        note: &AuditNote<'_>,
    ) -> AppResult<()> {
        Ok(self
            .store
            .set_password_audited(id, password_hash, must_change, revoke, note)
            .await?)
    }

    /// Users in the subtree at `path` whose username or name contains `search`, in
    /// username order, `limit` from `offset`, with the number that match.
    pub async fn users_page(
        &self,
        path: &str,
        search: &str,
        offset: i64,
        limit: i64,
    ) -> AppResult<UserPage> {
        Ok(self.store.users_page(path, search, offset, limit).await?)
    }
}
