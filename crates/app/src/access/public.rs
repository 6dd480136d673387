//! Store calls about `public` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use std::collections::BTreeMap;
use store::*;

impl App {
    /// The id and query code of the case with this number, in any unit. The caller
    /// compares the code in constant time, and answers a wrong number and a wrong code
    /// alike.
    pub async fn tracking_key(&self, case_no: &str) -> AppResult<Option<TrackingKey>> {
        Ok(self.store.tracking_key(case_no).await?)
    }

    /// The published contact details; keys that were never set are absent.
    pub async fn portal_settings(&self) -> AppResult<BTreeMap<String, String>> {
        Ok(self.store.portal_settings().await?)
    }
}
