//! Creating and changing staff accounts, and resetting their passwords.

use super::change_detail;
use crate::password;
use crate::{App, AppError, AppResult, Caller};
use domain::{Line, Permission, Role, Username};
use serde::Deserialize;
use store::{Actor, AuditNote, NewUser, Scope, User};

/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// A new account, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    /// clerk | handler | leader | supervisor | duty | admin | auditor
    pub role: String,
    /// The unit's code; defaults to the admin's own unit.
    pub unit: Option<String>,
    pub password: String,
}

/// Changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Deserialize)]
pub struct UserChange {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub unit: Option<String>,
    pub active: Option<bool>,
}

impl App {
    /// Creates an account in the admin's subtree, with its audit row.
    pub async fn create_user_checked(&self, who: &Caller, input: &UserForm) -> AppResult<User> {
        who.require(Permission::Administer)?;
        self.create_user_in(&who.scope(), who.unit_id, &who.actor(), input)
            .await
    }

    /// Creates an account from the command line: anywhere in the tree (the root unit by
    /// default), by the system, under the same rules and with the same audit row as an
    /// admin's.
    pub async fn create_user_as_system(&self, input: &UserForm) -> AppResult<User> {
        let root = self.store.root_unit().await?.ok_or(AppError::NotFound)?;
        self.create_user_in(&Scope::new("/"), root.id, &Actor::system(), input)
            .await
    }

    async fn create_user_in(
        &self,
        scope: &Scope,
        default_unit: i64,
        actor: &Actor,
        input: &UserForm,
    ) -> AppResult<User> {
        let mut errors = domain::FieldErrors::new();
        let username = Username::parse(&input.username);
        if username.is_none() {
            errors.insert(
                "username".into(),
                if domain::text::is_clean_line(&input.username) {
                    "invalid_username"
                } else {
                    "invalid_characters"
                }
                .into(),
            );
        }
        let display = match Line::parse(&input.display_name, MAX_DISPLAY_NAME_CHARS) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.insert("display_name".into(), e.code().into());
                None
            }
        };
        let role = Role::parse(input.role.trim());
        if role.is_none() {
            errors.insert("role".into(), "invalid_role".into());
        }
        if let Err(code) = password::check_policy(&input.password) {
            errors.insert("password".into(), code.into());
        }
        let unit = match input.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            None => Some(self.store.unit(default_unit).await?),
            Some(code) => match self.unit_in_scope(scope, code, "unit").await {
                Ok(u) => Some(u),
                Err(AppError::Validation(f)) => {
                    errors.extend(f);
                    None
                }
                Err(e) => return Err(e),
            },
        };
        if unit.as_ref().is_some_and(|u| u.retired) {
            errors.insert("unit".into(), "unit_retired".into());
        }
        let (Some(username), Some(display), Some(role), Some(unit), true) =
            (username, display, role, unit, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        let username = username.as_str().to_string();
        let hash = password::hash_async(input.password.clone())
            .await
            .map_err(AppError::Internal)?;
        let note = AuditNote {
            actor,
            action: "user_created",
            target: username.clone(),
            detail: change_detail(&[
                ("role", "".into(), role.as_str().into()),
                ("unit", "".into(), unit.code.clone().into()),
            ]),
        };
        self.store
            .create_user_audited(
                &NewUser {
                    username: username.clone(),
                    display_name: if display.is_empty() {
                        username.clone()
                    } else {
                        display.into_string()
                    },
                    role,
                    unit_id: unit.id,
                    password_hash: hash,
                },
                &note,
            )
            .await
            .map_err(|e| match e {
                store::StoreError::Duplicate { .. } => {
                    AppError::field("username", "duplicate_username")
                }
                e => e.into(),
            })
    }

    /// Changes an account in the admin's subtree. A change of role or unit, or a
    /// deactivation, ends the user's sessions and tokens in the same transaction as the
    /// audit row.
    pub async fn update_user_checked(
        &self,
        who: &Caller,
        id: i64,
        input: &UserChange,
    ) -> AppResult<User> {
        who.require(Permission::Administer)?;
        let user = self.user_in_scope(&who.scope(), id).await?;
        let role = match input.role.as_deref() {
            None => user.role,
            Some(r) => {
                Role::parse(r.trim()).ok_or_else(|| AppError::field("role", "invalid_role"))?
            }
        };
        let (unit_id, unit_code) = match input.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            None => (user.unit_id, user.unit_code.clone()),
            Some(code) => {
                let unit = self.unit_in_scope(&who.scope(), code, "unit").await?;
                if unit.retired && unit.id != user.unit_id {
                    return Err(AppError::field("unit", "unit_retired"));
                }
                (unit.id, unit.code)
            }
        };
        let active = input.active.unwrap_or(user.active);
        if user.id == who.id && (!active || role != user.role) {
            return Err(AppError::field("role", "cannot_change_own_account"));
        }
        let display = match input.display_name.as_deref() {
            None => None,
            Some(d) => Some(
                Line::parse(d, MAX_DISPLAY_NAME_CHARS)
                    .map_err(|e| AppError::field("display_name", e.code()))?,
            ),
        };
        let display = display
            .as_ref()
            .map(Line::as_str)
            .filter(|d| !d.is_empty())
            .unwrap_or(&user.display_name);
        let actor = who.actor();
        let note = AuditNote {
            actor: &actor,
            action: if role != user.role {
                "role_changed"
            } else {
                "user_updated"
            },
            target: user.username.clone(),
            detail: change_detail(&[
                ("role", user.role.as_str().into(), role.as_str().into()),
                ("unit", user.unit_code.clone().into(), unit_code.into()),
                ("active", user.active.into(), active.into()),
                ("name", user.display_name.clone().into(), display.into()),
            ]),
        };
        Ok(self
            .store
            .update_user_audited(id, display, role, unit_id, active, &note)
            .await?)
    }

    /// Sets a new password for a user in the admin's subtree. The owner must choose their
    /// own at the next login; the reset ends every session and token of the user, in the
    /// same transaction as its audit row.
    pub async fn reset_password_checked(&self, who: &Caller, id: i64, pw: &str) -> AppResult<()> {
        who.require(Permission::Administer)?;
        let user = self.user_in_scope(&who.scope(), id).await?;
        self.set_password(&user, pw, &who.actor(), true).await
    }

    /// Sets a new password from the command line, with the same audit row as an admin's
    /// reset; the user is not asked to change it again.
    pub async fn reset_password_as_system(&self, username: &str, pw: &str) -> AppResult<User> {
        let user = self.store.user_by_name(username).await?;
        self.set_password(&user, pw, &Actor::system(), false)
            .await?;
        Ok(user)
    }

    async fn set_password(
        &self,
        user: &User,
        pw: &str,
        actor: &Actor,
        must_change: bool,
    ) -> AppResult<()> {
        password::check_policy(pw).map_err(|code| AppError::field("password", code))?;
        let hash = password::hash_async(pw.to_string())
            .await
            .map_err(AppError::Internal)?;
        let note = AuditNote {
            actor,
            action: "password_reset",
            target: user.username.clone(),
            detail: String::new(),
        };
        self.store
            .set_password_audited(user.id, &hash, must_change, true, &note)
            .await?;
        Ok(())
    }
}
