//! Checking a username and password, with the lockout and the audit records.

use super::password;
use crate::app::AppState;
use store::{Actor, AuditSubject, StoreError, User};

#[derive(Debug)]
pub enum LoginError {
    Invalid,
    Locked { until: i64 },
    Store(StoreError),
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        LoginError::Store(e)
    }
}

/// Checks the credentials. Every attempt, good or bad, is audited. After
/// `lockout_failures` failures in a row the account is locked for `lockout_minutes`,
/// and a locked account is refused even with the right password.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    pw: &str,
    ip: &str,
) -> Result<User, LoginError> {
    let username = username.trim();
    let now = chrono::Utc::now().timestamp_millis();
    let user = match state.store.user_by_name(username).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => {
            // Spend the same time as a real check, so that names cannot be probed.
            let _ = password::verify_async(pw.to_string(), state.dummy_hash.clone()).await;
            let actor = Actor {
                id: None,
                name: username.to_string(),
                ip: ip.to_string(),
            };
            // Nobody's account: only the root unit's admins and auditors see this entry.
            state
                .store
                .audit(&actor, "login_failed", username, "unknown user")
                .await?;
            return Err(LoginError::Invalid);
        }
        Err(e) => return Err(e.into()),
    };
    let about = AuditSubject::User(user.id);
    let actor = Actor {
        id: Some(user.id),
        name: user.username.clone(),
        ip: ip.to_string(),
    };
    if let Some(until) = user.locked_until.filter(|u| *u > now) {
        state
            .store
            .audit_about(
                &actor,
                "login_failed",
                &user.username,
                "account locked",
                about,
            )
            .await?;
        return Err(LoginError::Locked { until });
    }
    let ok =
        user.active && password::verify_async(pw.to_string(), user.password_hash.clone()).await;
    if !ok {
        let until = now + state.config.lockout_minutes * 60_000;
        let locked = state
            .store
            .record_failed_login(user.id, state.config.lockout_failures, until)
            .await?;
        let detail = if locked {
            "wrong password; account locked"
        } else {
            "wrong password"
        };
        state
            .store
            .audit_about(&actor, "login_failed", &user.username, detail, about)
            .await?;
        return Err(if locked {
            LoginError::Locked { until }
        } else {
            LoginError::Invalid
        });
    }
    state.store.record_successful_login(user.id).await?;
    state
        .store
        .audit_about(&actor, "login", &user.username, "", about)
        .await?;
    Ok(user)
}
