//! `hearken user add` and `hearken user reset-password`.

use crate::bootstrap;
use crate::cli::{Global, ResetArgs, UserAddArgs};
use anyhow::{bail, Context};
use domain::Role;
use std::io::Read;
use store::NewUser;

fn read_password() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("cannot read the password from standard input")?;
    let pw = s.trim_end_matches(['\n', '\r']).to_string();
    if let Err(code) = web::auth::password::check_policy(&pw) {
        bail!(
            "password rejected ({code}): use at least {} characters of two kinds (letters, digits, symbols)",
            web::auth::password::MIN_PASSWORD_CHARS
        );
    }
    Ok(pw)
}

pub async fn add(g: &Global, args: &UserAddArgs) -> anyhow::Result<()> {
    let role = Role::parse(&args.role).with_context(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!(
            "unknown role '{}'; use one of: {}",
            args.role,
            all.join(", ")
        )
    })?;
    let store = bootstrap::open_ready(g).await?;
    bootstrap::first_start(&store).await?;
    let unit = match &args.unit {
        Some(code) => store
            .unit_by_code(&code.to_ascii_uppercase())
            .await
            .with_context(|| format!("no unit with code '{code}'"))?,
        None => store.root_unit().await?.context("no root unit")?,
    };
    let username = args.username.trim().to_lowercase();
    let password = read_password()?;
    let hash = web::auth::password::hash_async(password)
        .await
        .map_err(anyhow::Error::msg)?;
    let user = store
        .create_user(&NewUser {
            username: username.clone(),
            display_name: args.name.clone().unwrap_or_else(|| username.clone()),
            role: role.as_str().into(),
            unit_id: unit.id,
            password_hash: hash,
        })
        .await
        .map_err(|e| match e {
            store::StoreError::Duplicate { .. } => {
                anyhow::anyhow!("user '{username}' already exists")
            }
            e => e.into(),
        })?;
    println!(
        "added {} ({}) in {} {}",
        user.username, user.role, unit.code, unit.name
    );
    Ok(())
}

pub async fn reset_password(g: &Global, args: &ResetArgs) -> anyhow::Result<()> {
    let store = bootstrap::open_ready(g).await?;
    let user = store
        .user_by_name(args.username.trim())
        .await
        .with_context(|| format!("no user '{}'", args.username))?;
    let password = read_password()?;
    let hash = web::auth::password::hash_async(password)
        .await
        .map_err(anyhow::Error::msg)?;
    // Clears any lockout, ends every session and revokes every API token of the user,
    // and audits the reset, in one transaction.
    store
        .reset_password(user.id, &hash, &store::Actor::system(), "command line")
        .await?;
    println!(
        "password reset for {}; any lockout is cleared, and every session and API token of the account has ended",
        user.username
    );
    Ok(())
}
