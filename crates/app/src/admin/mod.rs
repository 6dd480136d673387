//! Admin operations: units, users and roles. Admins manage their own unit's subtree and
//! nothing above it; every change writes its audit row in the same transaction.

mod units;
mod users;

pub use units::{UnitForm, UnitRename, MAX_UNIT_NAME_CHARS};
pub use users::{UserChange, UserForm, MAX_DISPLAY_NAME_CHARS};

use crate::{App, AppError, AppResult};
use domain::UnitCode;
use store::{Scope, Unit, User};

/// What changed, for the audit row: `{"role":["clerk","handler"]}`.
pub fn change_detail(changes: &[(&str, serde_json::Value, serde_json::Value)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = changes
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(k, a, b)| (k.to_string(), serde_json::json!([a, b])))
        .collect();
    if map.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(map).to_string()
    }
}

impl App {
    /// A unit in `scope`, by code; anything else is `unknown_unit` on `field`.
    pub(crate) async fn unit_in_scope(
        &self,
        scope: &Scope,
        code: &str,
        field: &str,
    ) -> AppResult<Unit> {
        // A code that cannot be one names no unit; it never reaches the database.
        let Some(code) = UnitCode::parse(code) else {
            return Err(AppError::field(field, "unknown_unit"));
        };
        match self.store.unit_by_code(code.as_str()).await {
            Ok(u) if scope.contains(&u.path) => Ok(u),
            Ok(_) | Err(store::StoreError::NotFound) => Err(AppError::field(field, "unknown_unit")),
            Err(e) => Err(e.into()),
        }
    }

    /// A user in `scope`; anything else is "not found".
    pub(crate) async fn user_in_scope(&self, scope: &Scope, id: i64) -> AppResult<User> {
        let user = self.store.user(id).await?;
        if scope.contains(&user.unit_path) {
            Ok(user)
        } else {
            Err(AppError::NotFound)
        }
    }
}
