//! Store calls about `case list` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// How many cases the filters match in the caller's scope, counted up to
    /// [`COUNT_CAP`]: the same WHERE and the same indexes as the page itself.
    pub async fn count_cases(&self, scope: &Scope, f: &CaseFilter) -> AppResult<CaseCount> {
        Ok(self.store.count_cases(scope, f).await?)
    }

    /// One page of the queue, in the filter's order.
    pub async fn list_cases(
        &self,
        scope: &Scope,
        f: &CaseFilter,
        after: Option<Cursor>,
        limit: i64,
    ) -> AppResult<Page> {
        Ok(self.store.list_cases(scope, f, after, limit).await?)
    }
}
