//! Issue 8, defect 6: a locked account answers exactly like a wrong password, locks are
//! audited, and one address gets at most 20 failed logins in 10 minutes (the API and
//! the staff login form together) before `429` with `Retry-After`.

use reqwest::header::RETRY_AFTER;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

const PASSWORD: &str = "Test-password-1";

async fn login(app: &TestApp, username: &str, password: &str) -> (StatusCode, Value) {
    post(
        app,
        &Client::new(),
        "/api/v1/session",
        &json!({ "username": username, "password": password }),
    )
    .await
}

both_backends!(
    a_locked_account_reads_like_a_wrong_password,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.user(&admin, "clerk_x", "clerk", "ROOT").await;

        let unknown = login(&app, "no_such_user", "Wrong-password-1").await;
        assert_error(&unknown, 401, "invalid_credentials");
        for attempt in 1..=5 {
            let got = login(&app, "clerk_x", "Wrong-password-1").await;
            assert_eq!(got, unknown, "attempt {attempt} reads like an unknown user");
        }
        // Locked now: the right password gets the very same answer, and no session.
        let c = app.client();
        let right = post(
            &app,
            &c,
            "/api/v1/session",
            &json!({ "username": "clerk_x", "password": PASSWORD }),
        )
        .await;
        assert_eq!(right, unknown, "a locked account is not revealed");
        assert_eq!(get(&app, &c, "/api/v1/me").await.0, 401);
        // The staff login form says the same for both.
        let form_unknown = form_login(&app, "no_such_user", "Wrong-password-1").await;
        let form_locked = form_login(&app, "clerk_x", PASSWORD).await;
        assert_eq!(form_locked.0, form_unknown.0);
        assert_eq!(form_error(&form_locked.1), form_error(&form_unknown.1));
        assert!(form_error(&form_locked.1).contains("用户名或密码错误"));

        // The lock is on record, once, with the failures that led to it.
        let locks = audit(&app, &admin, "account_locked").await;
        let mine: Vec<_> = locks.iter().filter(|e| e["target"] == "clerk_x").collect();
        assert_eq!(mine.len(), 1, "{locks:?}");
        assert!(mine[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("5 failed logins")));
        let user = app.store.user_by_name("clerk_x").await.expect("user");
        assert!(user.locked_until.is_some(), "the per-account lock is kept");
    }
);

/// Posts the staff login form (with its CSRF cookie) and returns the status and page.
async fn form_login(app: &TestApp, username: &str, password: &str) -> (StatusCode, String) {
    let c = app.client();
    let page = c
        .get(app.url("/staff/login"))
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("page");
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf field")
        .to_string();
    let res = c
        .post(app.url("/staff/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
            ("next", "/staff/cases"),
        ])
        .send()
        .await
        .expect("login form");
    let status = res.status();
    let retry = res.headers().get(RETRY_AFTER).is_some();
    let body = res.text().await.expect("body");
    (
        status,
        if retry {
            format!("retry-after {body}")
        } else {
            body
        },
    )
}

/// The error paragraph of a login page.
fn form_error(page: &str) -> String {
    page.split("role=\"alert\">")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .unwrap_or("")
        .to_string()
}

both_backends!(
    one_address_gets_twenty_failures_then_waits,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        // Failures on the form and on the API count together; different names do not help.
        for i in 0..10 {
            let (status, _) = form_login(&app, &format!("guess{i}"), "Wrong-password-1").await;
            assert_eq!(status, 200, "form attempt {i}");
        }
        for i in 10..20 {
            let got = login(&app, &format!("guess{i}"), "Wrong-password-1").await;
            assert_error(&got, 401, "invalid_credentials");
        }
        let res = Client::new()
            .post(app.url("/api/v1/session"))
            .json(&json!({ "username": "admin", "password": app.admin_password }))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 429, "even the right password waits");
        let retry: u64 = res
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After");
        assert!((1..=600).contains(&retry), "{retry}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"], "too_many_requests", "{body}");
        assert_eq!(body["retry_after"], retry);

        let (status, page) = form_login(&app, "admin", &app.admin_password).await;
        assert_eq!(status, 429);
        assert!(
            page.starts_with("retry-after"),
            "the form sends Retry-After"
        );
        assert!(page.contains("此地址登录失败次数过多"), "{page}");

        // The throttle is about addresses: the sessions already open keep working, and the
        // per-account lock is untouched (the admin was never locked).
        assert_eq!(get(&app, &admin, "/api/v1/me").await.0, 200);
        let user = app.store.user_by_name("admin").await.expect("admin");
        assert!(user.locked_until.is_none());
    }
);

both_backends!(successful_logins_do_not_count, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    for _ in 0..25 {
        app.admin().await;
    }
    let got = login(&app, "admin", "Wrong-password-1").await;
    assert_error(&got, 401, "invalid_credentials");
});
