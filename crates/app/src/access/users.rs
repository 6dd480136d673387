//! Store calls about `users` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    pub async fn user(&self, id: i64) -> AppResult<User> {
        Ok(self.store.user(id).await?)
    }

    pub async fn user_by_name(&self, username: &str) -> AppResult<User> {
        Ok(self.store.user_by_name(username).await?)
    }

    /// Users whose unit lies in the subtree at `path`.
    pub async fn users_under(&self, path: &str) -> AppResult<Vec<User>> {
        Ok(self.store.users_under(path).await?)
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
    ) -> AppResult<bool> {
        Ok(self
            .store
            .failed_login(user, max_failures, lock_until, actor, detail)
            .await?)
    }

    pub async fn record_successful_login(&self, id: i64) -> AppResult<()> {
        Ok(self.store.record_successful_login(id).await?)
    }
}
