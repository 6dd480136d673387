//! Checking a username and password, with the lockout, the per-address throttle and the
//! audit records.
//!
//! Every failure answers the same way, whatever its cause (no such user, a wrong
//! password, a locked or deactivated account, a name with control characters), and
//! every path spends one Argon2 verification, so that neither the answer nor its timing
//! tells which usernames exist.

use super::password;
use crate::portal::limit::{self, Bucket, Limited};
use crate::state::AppState;
use app::model::{Actor, AuditSubject, User};
use app::AppError;
use std::net::IpAddr;

#[derive(Debug)]
pub enum LoginError {
    /// Wrong credentials, or an account that may not log in now: one answer for all.
    Invalid,
    /// Too many failed logins from this address; nothing was checked.
    Throttled(Limited),
    Store(AppError),
}

impl From<AppError> for LoginError {
    fn from(e: AppError) -> Self {
        LoginError::Store(e)
    }
}

/// Longest username looked up; anything longer cannot be one.
const MAX_USERNAME_CHARS: usize = 100;

/// A username as the audit log may keep it: control characters replaced, length capped.
fn printable(username: &str) -> String {
    username
        .chars()
        .take(MAX_USERNAME_CHARS)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// Checks the credentials. Every attempt, good or bad, is audited. After
/// `lockout_failures` failures in a row the account is locked for `lockout_minutes`
/// (the lock is audited too), and a locked account is refused even with the right
/// password. An address with too many failures in the window is refused before
/// anything is checked.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    pw: &str,
    ip: IpAddr,
) -> Result<User, LoginError> {
    let instance = crate::portal::instance(state);
    limit::peek(&instance, Bucket::Login, ip).map_err(LoginError::Throttled)?;
    let result = check(state, username, pw, &ip.to_string()).await;
    if matches!(result, Err(LoginError::Invalid)) {
        limit::record(&instance, Bucket::Login, ip);
    }
    result
}

async fn check(state: &AppState, username: &str, pw: &str, ip: &str) -> Result<User, LoginError> {
    let username = username.trim();
    let now = chrono::Utc::now().timestamp_millis();
    let lookup = if domain::text::is_clean_line(username)
        && !username.is_empty()
        && username.chars().count() <= MAX_USERNAME_CHARS
    {
        match state.user_by_name(username).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        // Not a name anyone can have: no lookup, the same answer as an unknown user.
        None
    };
    let Some(user) = lookup else {
        // Spend the same time as a real check, so that names cannot be probed.
        let _ = password::verify_async(pw.to_string(), state.dummy_hash.clone()).await;
        let name = printable(username);
        let actor = Actor {
            id: None,
            name: name.clone(),
            ip: ip.to_string(),
        };
        state
            .audit(&actor, "login_failed", &name, "unknown user")
            .await?;
        return Err(LoginError::Invalid);
    };
    let about = AuditSubject::User(user.id);
    let actor = Actor {
        id: Some(user.id),
        name: user.username.clone(),
        ip: ip.to_string(),
    };
    // Verify in every case, so that a locked or inactive account answers as slowly as
    // a wrong password.
    let verified = password::verify_async(pw.to_string(), user.password_hash.clone()).await;
    if user.locked_until.is_some_and(|u| u > now) {
        state
            .audit_about(
                &actor,
                "login_failed",
                &user.username,
                "account locked",
                about,
            )
            .await?;
        return Err(LoginError::Invalid);
    }
    if !user.active {
        state
            .audit_about(
                &actor,
                "login_failed",
                &user.username,
                "account inactive",
                about,
            )
            .await?;
        return Err(LoginError::Invalid);
    }
    if !verified {
        let until = now + state.config.lockout_minutes * 60_000;
        state
            .failed_login(
                &user,
                state.config.lockout_failures,
                until,
                &actor,
                "wrong password",
            )
            .await?;
        return Err(LoginError::Invalid);
    }
    state.record_successful_login(user.id).await?;
    state
        .audit_about(&actor, "login", &user.username, "", about)
        .await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    #[test]
    fn audit_names_are_printable() {
        assert_eq!(super::printable("a\0b"), "a\u{fffd}b");
        assert_eq!(super::printable(&"x".repeat(500)).len(), 100);
    }
}
