//! Store calls about `routing` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    pub async fn routing_rules(&self) -> AppResult<Vec<RoutingRule>> {
        Ok(self.store.routing_rules().await?)
    }

    /// The most specific rule for a case: the longest matching category, then the longest
    /// matching region prefix.
    pub async fn suggest_unit(
        &self,
        category: &str,
        region: &str,
    ) -> AppResult<Option<RoutingRule>> {
        Ok(self.store.suggest_unit(category, region).await?)
    }
}
