//! Store calls about `units` that the adapters use as they are.

use crate::{App, AppResult};
#[allow(unused_imports)]
use store::*;

impl App {
    pub async fn unit(&self, id: i64) -> AppResult<Unit> {
        Ok(self.store.unit(id).await?)
    }

    pub async fn unit_by_code(&self, code: &str) -> AppResult<Unit> {
        Ok(self.store.unit_by_code(code).await?)
    }

    /// The root of the tree: the first unit created without a parent.
    pub async fn root_unit(&self) -> AppResult<Option<Unit>> {
        Ok(self.store.root_unit().await?)
    }

    /// Every unit in the subtree at `path`, in tree order.
    pub async fn units_under(&self, path: &str) -> AppResult<Vec<Unit>> {
        Ok(self.store.units_under(path).await?)
    }
}
