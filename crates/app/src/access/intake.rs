//! Store calls about `intake` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    /// Every configured intake office, the jurisdiction's first.
    pub async fn intake_offices(&self) -> AppResult<Vec<IntakeOffice>> {
        Ok(self.store.intake_offices().await?)
    }

    /// The unit an online petition from `region` goes to: the intake office with the
    /// longest matching prefix whose unit still takes petitions (a retired unit takes
    /// none, so the next less specific office does), or `None` when none is configured.
    pub async fn intake_unit_for(&self, region: &str) -> AppResult<Option<Unit>> {
        Ok(self.store.intake_unit_for(region).await?)
    }
}
