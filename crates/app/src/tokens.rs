//! Per-user API tokens. The secret is shown once, at creation; only its hash is kept.
//! Roles that work through scripts have them (`Role::uses_api_tokens`).

use crate::password::sha256_hex;
use crate::{random_token, App, AppError, AppResult, Caller};
use store::ApiToken;

/// How every token begins, so that a token is told from a session at a glance.
pub const TOKEN_PREFIX: &str = "hk_";
/// The longest name of a token.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

impl App {
    /// Makes a token for the caller, named `name`; returns the secret and the stored
    /// record.
    pub async fn issue_token(&self, who: &Caller, name: &str) -> AppResult<(String, ApiToken)> {
        if !who.role.uses_api_tokens() {
            return Err(AppError::Forbidden);
        }
        let name = domain::Line::required(name, MAX_TOKEN_NAME_CHARS)
            .map_err(|e| AppError::field("name", e.code()))?;
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let token = self
            .store
            .create_token(who.id, name.as_str(), &sha256_hex(&secret), &prefix)
            .await?;
        Ok((secret, token))
    }
}
