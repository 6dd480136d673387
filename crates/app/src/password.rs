//! Argon2id password hashing. Hashing is slow on purpose, so it runs off the async
//! threads.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_PASSWORD_CHARS: usize = 10;
/// The "two kinds" half of [`check_policy`] for API documents (ECMA-262): somewhere a
/// lower-case letter, an upper-case letter or a digit stands next to a character of
/// another kind. With [`MIN_PASSWORD_CHARS`] as `minLength` it is the whole policy.
pub const PASSWORD_PATTERN: &str =
    "[a-z][^a-z]|[^a-z][a-z]|[A-Z][^A-Z]|[^A-Z][A-Z]|[0-9][^0-9]|[^0-9][0-9]";

fn argon() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: OWASP's baseline for Argon2id.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| argon().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

pub async fn hash_async(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| e.to_string())?
}

pub async fn verify_async(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

/// Compares two secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The SHA-256 of a secret, in hex: how tokens and query codes are kept.
pub fn sha256_hex(s: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A password policy a person can meet: long enough, and not all one kind of character.
pub fn check_policy(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err("password_too_short");
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err("password_too_simple");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse 9").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse 9", &h));
        assert!(!verify("wrong horse 9", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy() {
        assert_eq!(check_policy("short1"), Err("password_too_short"));
        assert_eq!(
            check_policy("alllowercaseletters"),
            Err("password_too_simple")
        );
        assert!(check_policy("Petition2026").is_ok());
    }
}
