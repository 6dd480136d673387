//! Starting `hearken serve` as a child process, for the tests that need a real process.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub base: String,
    pub admin_password: Option<String>,
}

pub fn start(args: &[String]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearken"))
        .args(args)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("HEARKEN_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hearken");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let (mut base, mut admin_password) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut line = String::new();
    let mut told_login = false;
    while !told_login && Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).expect("read stdout") == 0 {
            break;
        }
        told_login = line.starts_with("First start") || line.starts_with("Log in");
        if let Some(rest) = line.split("one-time password").nth(1) {
            admin_password = Some(rest.trim().to_string());
        }
        if let Some(rest) = line.strip_prefix("Hearken is serving at ") {
            base = rest
                .split_whitespace()
                .next()
                .map(|u| u.trim_end_matches('/').to_string());
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in reader.lines() {});
    Server {
        child,
        base: base.expect("server did not report its address"),
        admin_password,
    }
}

/// The password the tests give `admin` in place of the one-time password, which must be
/// changed at the first login.
pub const ADMIN_PASSWORD: &str = "Changed-admin-pass-1";

/// Logs in as `admin` with the one-time password, changing it to [`ADMIN_PASSWORD`] on
/// the first login; once another client has changed it, logs in with that one.
pub async fn login(base: &str, password: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let session = |pw: &str| {
        c.post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({ "username": "admin", "password": pw }))
            .send()
    };
    let res = session(password).await.expect("login");
    if res.status() == 200 {
        let res = c
            .post(format!("{base}/api/v1/me/password"))
            .json(&serde_json::json!({
                "current_password": password,
                "new_password": ADMIN_PASSWORD,
            }))
            .send()
            .await
            .expect("change password");
        assert!(res.status().is_success(), "{}", res.status());
    } else {
        let res = session(ADMIN_PASSWORD).await.expect("login");
        assert_eq!(res.status(), 200);
    }
    c
}
