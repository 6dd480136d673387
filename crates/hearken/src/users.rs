//! `hearken user add` and `hearken user reset-password`: the same use cases, rules and
//! audit rows as an admin's, acted by the system.

use crate::bootstrap;
use crate::cli::{Global, ResetArgs, UserAddArgs};
use anyhow::{bail, Context};
use app::admin::UserForm;
use app::{App, AppError};
use domain::Role;
use std::io::Read;

fn read_password() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("cannot read the password from standard input")?;
    let pw = s.trim_end_matches(['\n', '\r']).to_string();
    if let Err(code) = app::password::check_policy(&pw) {
        bail!(
            "password rejected ({code}): use at least {} characters of two kinds (letters, digits, symbols)",
            app::password::MIN_PASSWORD_CHARS
        );
    }
    Ok(pw)
}

/// A refused change, in words for the terminal.
fn refused(e: AppError, username: &str) -> anyhow::Error {
    match e {
        AppError::Validation(fields) => {
            if fields.get("username").map(String::as_str) == Some("duplicate_username") {
                return anyhow::anyhow!("user '{username}' already exists");
            }
            let problems: Vec<String> = fields.iter().map(|(f, c)| format!("{f}: {c}")).collect();
            anyhow::anyhow!("refused: {}", problems.join(", "))
        }
        e => anyhow::Error::new(e),
    }
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
    let app = App::new(store, app::Config::new(&g.data));
    let unit = match &args.unit {
        Some(code) => app
            .unit_by_code(&code.to_ascii_uppercase())
            .await
            .with_context(|| format!("no unit with code '{code}'"))?,
        None => app.root_unit().await?.context("no root unit")?,
    };
    let username = args.username.trim().to_lowercase();
    let password = read_password()?;
    let user = app
        .create_user_as_system(&UserForm {
            username: username.clone(),
            display_name: args.name.clone().unwrap_or_default(),
            role: role.as_str().into(),
            unit: Some(unit.code.clone()),
            password,
        })
        .await
        .map_err(|e| refused(e, &username))?;
    println!(
        "added {} ({}) in {} {}",
        user.username, user.role, unit.code, unit.name
    );
    Ok(())
}

pub async fn reset_password(g: &Global, args: &ResetArgs) -> anyhow::Result<()> {
    let store = bootstrap::open_ready(g).await?;
    let app = App::new(store, app::Config::new(&g.data));
    let username = args.username.trim();
    app.user_by_name(username)
        .await
        .with_context(|| format!("no user '{}'", args.username))?;
    let password = read_password()?;
    // Clears any lockout, ends every session and revokes every API token of the user,
    // and audits the reset, in one transaction.
    let user = app
        .reset_password_as_system(username, &password)
        .await
        .map_err(|e| refused(e, username))?;
    println!(
        "password reset for {}; any lockout is cleared, and every session and API token of the account has ended",
        user.username
    );
    Ok(())
}
