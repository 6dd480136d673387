//! Store calls about `feed` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// Up to `limit` committed events after `after`, in feed order. With a scope, only
    /// events of cases now in that subtree; with `None`, every event. Called again with
    /// `next`, it returns each committed event exactly once, however writers interleave.
    pub async fn events_since(
        &self,
        scope: Option<&Scope>,
        after: FeedPosition,
        limit: i64,
    ) -> AppResult<FeedPage> {
        Ok(self.store.events_since(scope, after, limit).await?)
    }
}
