//! Store calls about `ownership` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// The case's owner leader, if any.
    pub async fn case_owner(&self, scope: &Scope, id: i64) -> AppResult<Option<store::User>> {
        Ok(self.store.case_owner(scope, id).await?)
    }

    /// Makes `owner` the case's owner leader and records it.
    pub async fn set_owner(
        &self,
        scope: &Scope,
        id: i64,
        owner: &store::User,
        actor: &Actor,
    ) -> AppResult<()> {
        Ok(self.store.set_owner(scope, id, owner, actor).await?)
    }

    /// Records who must attend a group visit and tells each of them in the app. People
    /// already told are not told again. Returns how many were newly told.
    pub async fn notify_attendance(
        &self,
        scope: &Scope,
        id: i64,
        people: &[(i64, String)],
        actor: &Actor,
    ) -> AppResult<usize> {
        Ok(self
            .store
            .notify_attendance(scope, id, people, actor)
            .await?)
    }

    /// Records that these people attended.
    pub async fn record_attendance(
        &self,
        scope: &Scope,
        id: i64,
        attended: &[i64],
        actor: &Actor,
    ) -> AppResult<()> {
        Ok(self
            .store
            .record_attendance(scope, id, attended, actor)
            .await?)
    }

    pub async fn attendance(&self, scope: &Scope, id: i64) -> AppResult<Vec<AttendanceRow>> {
        Ok(self.store.attendance(scope, id).await?)
    }
}
