//! Store calls about `cases` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// A case's queue row, if it is in scope.
    pub async fn case_summary(&self, scope: &Scope, id: i64) -> AppResult<CaseSummary> {
        Ok(self.store.case_summary(scope, id).await?)
    }

    /// A whole case with its petitioners and attachments, if it is in scope. The caller
    /// must write the audit record for the personal data this returns.
    pub async fn case(&self, scope: &Scope, id: i64) -> AppResult<CaseRecord> {
        Ok(self.store.case(scope, id).await?)
    }

    /// The id of the case with this number, if it is in scope.
    pub async fn case_id_by_no(&self, scope: &Scope, case_no: &str) -> AppResult<i64> {
        Ok(self.store.case_id_by_no(scope, case_no).await?)
    }

    /// The case's timeline, oldest first.
    pub async fn case_events(&self, scope: &Scope, id: i64) -> AppResult<Vec<CaseEvent>> {
        Ok(self.store.case_events(scope, id).await?)
    }

    /// Corrects a case's registration if it is still at `expected_version`. A concurrent
    /// edit that came first makes this fail with [`StoreError::Conflict`]; nothing is
    /// overwritten silently.
    pub async fn correct_case(
        &self,
        scope: &Scope,
        id: i64,
        expected_version: i64,
        patch: &CasePatch,
        actor: &Actor,
    ) -> AppResult<CaseRecord> {
        Ok(self
            .store
            .correct_case(scope, id, expected_version, patch, actor)
            .await?)
    }

    /// Records an attachment already written to disk under its SHA-256.
    pub async fn add_attachment(
        &self,
        scope: &Scope,
        case_id: i64,
        a: &NewAttachment,
        actor: &Actor,
    ) -> AppResult<Attachment> {
        Ok(self.store.add_attachment(scope, case_id, a, actor).await?)
    }

    /// One attachment of a case in scope, by id.
    pub async fn attachment(
        &self,
        scope: &Scope,
        case_id: i64,
        attachment_id: i64,
    ) -> AppResult<Attachment> {
        Ok(self.store.attachment(scope, case_id, attachment_id).await?)
    }
}
