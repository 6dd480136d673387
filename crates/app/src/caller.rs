//! Who a use case acts for: a staff user, their role and their scope. Nothing of how
//! they came in.

use crate::error::AppError;
use domain::{Permission, Role};
use store::{Actor, Scope, User};

#[derive(Debug, Clone)]
pub struct Caller {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub unit_id: i64,
    /// The materialised path of the caller's unit: their scope.
    pub unit_path: String,
    /// Where the call came from, for the audit record (an IP address, or empty).
    pub address: String,
}

impl Caller {
    pub fn of(user: &User, address: &str) -> Caller {
        Caller {
            id: user.id,
            username: user.username.clone(),
            role: user.role,
            unit_id: user.unit_id,
            unit_path: user.unit_path.clone(),
            address: address.to_string(),
        }
    }

    pub fn can(&self, p: Permission) -> bool {
        self.role.can(p)
    }

    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn scope(&self) -> Scope {
        Scope::new(&self.unit_path)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.id),
            name: self.username.clone(),
            ip: self.address.clone(),
        }
    }
}
