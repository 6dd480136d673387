//! Store calls about `audit` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// Records something the actor did that is about nothing else in the tree.
    pub async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: &str,
    ) -> AppResult<()> {
        Ok(self.store.audit(actor, action, target, detail).await?)
    }

    /// Records something the actor did about `subject`: the subject's unit may read it too.
    pub async fn audit_about(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: &str,
        subject: AuditSubject<'_>,
    ) -> AppResult<()> {
        Ok(self
            .store
            .audit_about(actor, action, target, detail, subject)
            .await?)
    }

    /// The entries `scope` may read, newest first, optionally of one action, before
    /// `before_id` for paging.
    pub async fn audit_entries(
        &self,
        scope: &Scope,
        action: Option<&str>,
        before_id: Option<i64>,
        limit: i64,
    ) -> AppResult<Vec<AuditEntry>> {
        Ok(self
            .store
            .audit_entries(scope, action, before_id, limit)
            .await?)
    }
}
