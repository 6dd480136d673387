//! Store calls about `connect` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }
}
