//! Store calls about `notifications` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// Active users of one unit with one of `roles`.
    pub async fn unit_staff(&self, unit_id: i64, roles: &[domain::Role]) -> AppResult<Vec<i64>> {
        Ok(self.store.unit_staff(unit_id, roles).await?)
    }

    /// A user's notifications, newest first.
    pub async fn notifications(&self, user_id: i64, limit: i64) -> AppResult<Vec<Notification>> {
        Ok(self.store.notifications(user_id, limit).await?)
    }

    pub async fn unread_notifications(&self, user_id: i64) -> AppResult<i64> {
        Ok(self.store.unread_notifications(user_id).await?)
    }

    /// Marks all of a user's notifications read.
    pub async fn read_notifications(&self, user_id: i64) -> AppResult<()> {
        Ok(self.store.read_notifications(user_id).await?)
    }
}
