//! Logging in and out, the lockout, API tokens and the idle timeout, through the API on
//! SQLite and on PostgreSQL.

use reqwest::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use reqwest::Client;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

const PASSWORD: &str = "Test-password-1";

/// The session's CSRF token, which bodiless calls on a cookie must send (from the
/// `X-CSRF-Token` header of `GET /api/v1/me`).
async fn csrf_of(app: &TestApp, c: &Client, cookie: Option<&str>) -> String {
    let mut req = c.get(app.url("/api/v1/me"));
    if let Some(cookie) = cookie {
        req = req.header(COOKIE, format!("hearken_session={cookie}"));
    }
    let res = req.send().await.expect("me");
    res.headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .expect("the session's CSRF token")
        .to_string()
}

both_backends!(login_me_and_logout, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let (status, me) = get(&app, &admin, "/api/v1/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert!(
        me.get("password_hash").is_none(),
        "the hash never leaves the server: {me}"
    );

    let stranger = app.client();
    let (status, _) = get(&app, &stranger, "/api/v1/me").await;
    assert_eq!(status, 401);
    let wrong = json!({ "username": "admin", "password": "not-the-password-9" });
    assert_error(
        &post(&app, &stranger, "/api/v1/session", &wrong).await,
        401,
        "invalid_credentials",
    );
    let nobody = json!({ "username": "nobody", "password": "whatever-9" });
    assert_error(
        &post(&app, &stranger, "/api/v1/session", &nobody).await,
        401,
        "invalid_credentials",
    );
    assert_eq!(
        get(&app, &stranger, "/api/v1/me").await.0,
        401,
        "a failed login sets no session"
    );

    // Logging out ends the session on the server, not just in this browser.
    let cookie = session_cookie(&app, "admin", &app.admin_password).await;
    assert_eq!(me_with_cookie(&app, &cookie).await, 200);
    let res = Client::new()
        .delete(app.url("/api/v1/session"))
        .header(COOKIE, format!("hearken_session={cookie}"))
        .header(
            "x-csrf-token",
            csrf_of(&app, &Client::new(), Some(&cookie)).await,
        )
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);
    let cleared = res
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        cleared.contains("Max-Age=0"),
        "logout clears the cookie: {cleared}"
    );
    assert_eq!(
        me_with_cookie(&app, &cookie).await,
        401,
        "the old cookie is dead"
    );

    let res = admin
        .delete(app.url("/api/v1/session"))
        .header("x-csrf-token", csrf_of(&app, &admin, None).await)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), 204);
    assert_eq!(get(&app, &admin, "/api/v1/me").await.0, 401);
    assert_eq!(get(&app, &admin, "/api/v1/cases").await.0, 401);

    let admin = app.admin().await;
    let logins = audit(&app, &admin, "login").await;
    assert!(
        logins.iter().any(|e| e["actor_name"] == "admin"),
        "{logins:?}"
    );
    let failed = audit(&app, &admin, "login_failed").await;
    assert!(failed.iter().any(|e| e["target"] == "admin"), "{failed:?}");
    assert!(failed.iter().any(|e| e["target"] == "nobody"), "{failed:?}");
    assert!(failed.iter().all(|e| e["action"] == "login_failed"));
});

both_backends!(five_wrong_passwords_lock_the_account, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    app.user(&admin, "clerk_lock", "clerk", "ROOT").await;
    let c = app.client();
    let wrong = json!({ "username": "clerk_lock", "password": "Wrong-password-1" });
    for attempt in 1..=4 {
        let got = post(&app, &c, "/api/v1/session", &wrong).await;
        assert_eq!(got.0, 401, "attempt {attempt}: {}", got.1);
    }
    // The fifth failure locks the account, but the answer does not say so: a locked
    // account reads like a wrong password, so that names cannot be probed.
    assert_error(
        &post(&app, &c, "/api/v1/session", &wrong).await,
        401,
        "invalid_credentials",
    );
    let right = json!({ "username": "clerk_lock", "password": PASSWORD });
    let got = post(&app, &c, "/api/v1/session", &right).await;
    assert_error(&got, 401, "invalid_credentials");
    let until = app
        .store
        .user_by_name("clerk_lock")
        .await
        .expect("user")
        .locked_until
        .expect("locked_until");
    assert!(
        until > chrono::Utc::now().timestamp_millis() + 10 * 60_000,
        "locked for a while: {until}"
    );
    assert_eq!(get(&app, &c, "/api/v1/me").await.0, 401);

    let failed = audit(&app, &admin, "login_failed").await;
    let mine: Vec<_> = failed
        .iter()
        .filter(|e| e["target"] == "clerk_lock")
        .collect();
    assert_eq!(mine.len(), 6, "every failed attempt is audited: {mine:?}");
    assert!(
        mine.iter().any(|e| e["detail"] == "account locked"),
        "{mine:?}"
    );

    // An admin's password reset lifts the lock.
    let users = get(&app, &admin, "/api/v1/users").await.1;
    let id = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["username"] == "clerk_lock")
        .expect("user")["id"]
        .clone();
    let reset = json!({ "password": "Fresh-password-2" });
    let res = admin
        .post(app.url(&format!("/api/v1/users/{id}/password")))
        .json(&reset)
        .send()
        .await
        .expect("reset");
    assert_eq!(res.status(), 204);
    app.login("clerk_lock", "Fresh-password-2").await;
});

both_backends!(api_tokens_authenticate_until_revoked, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let (status, created) = post(&app, &admin, "/api/v1/tokens", &json!({ "name": "x" })).await;
    assert_eq!(status, 201, "{created}");
    let token = created["token"].as_str().expect("token").to_string();
    assert!(token.starts_with("hk_") && token.len() > 40, "{token}");
    let id = created["record"]["id"].as_i64().expect("token id");
    assert_eq!(created["record"]["name"], "x");

    let (_, listed) = get(&app, &admin, "/api/v1/tokens").await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert!(
        !listed.to_string().contains(&token),
        "the secret is shown only once"
    );

    let bare = Client::new();
    let with_token = |path: &str| {
        bare.get(app.url(path))
            .header(AUTHORIZATION, format!("Bearer {token}"))
    };
    let (status, page) = send(with_token("/api/v1/cases")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page["items"].is_array());
    let (_, me) = send(with_token("/api/v1/me")).await;
    assert_eq!(me["username"], "admin");
    let post_with_token = bare
        .post(app.url("/api/v1/cases"))
        .header(AUTHORIZATION, format!("Bearer {token}"));
    let (status, made) = send(post_with_token.json(&sample_case())).await;
    assert_eq!(status, 201, "a token can register: {made}");

    let bogus = bare
        .get(app.url("/api/v1/cases"))
        .header(AUTHORIZATION, "Bearer hk_0123456789abcdef");
    assert_error(&send(bogus).await, 401, "unauthorized");
    let basic = bare
        .get(app.url("/api/v1/cases"))
        .header(AUTHORIZATION, "Basic YWRtaW46YWRtaW4=");
    assert_eq!(send(basic).await.0, 401);
    assert_eq!(send(bare.get(app.url("/api/v1/cases"))).await.0, 401);

    assert_eq!(
        field(
            &post(&app, &admin, "/api/v1/tokens", &json!({ "name": "  " }))
                .await
                .1,
            "name"
        ),
        "required"
    );

    let res = admin
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .header("x-csrf-token", csrf_of(&app, &admin, None).await)
        .send()
        .await
        .expect("revoke");
    assert_eq!(res.status(), 204);
    assert_error(
        &send(with_token("/api/v1/cases")).await,
        401,
        "unauthorized",
    );
    let res = admin
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .header("x-csrf-token", csrf_of(&app, &admin, None).await)
        .send()
        .await
        .expect("revoke again");
    assert_eq!(res.status(), 404, "a revoked token cannot be revoked twice");
    let (_, listed) = get(&app, &admin, "/api/v1/tokens").await;
    assert!(
        listed[0]["revoked_at"].is_i64(),
        "the revoked token stays on record: {listed}"
    );
});

both_backends!(idle_sessions_expire, |kind| async move {
    let Some(app) = TestApp::spawn_with(kind, |c| c.session_idle_minutes = 30).await else {
        return;
    };
    let cookie = session_cookie(&app, "admin", &app.admin_password).await;
    let hash = web::auth::sha256_hex(&cookie);
    assert_eq!(me_with_cookie(&app, &cookie).await, 200);
    // Idle for 29 minutes, twice: each use starts the idle clock again.
    for _ in 0..2 {
        app.store
            .age_session(&hash, 29 * 60_000)
            .await
            .expect("age");
        assert_eq!(me_with_cookie(&app, &cookie).await, 200);
    }
    app.store
        .age_session(&hash, 31 * 60_000)
        .await
        .expect("age");
    assert_eq!(
        me_with_cookie(&app, &cookie).await,
        401,
        "31 idle minutes end the session"
    );
    // The session stays ended even if the clock is set back.
    app.store
        .age_session(&hash, -31 * 60_000)
        .await
        .expect("rejuvenate");
    assert_eq!(me_with_cookie(&app, &cookie).await, 401);
    // A new login works.
    let fresh = session_cookie(&app, "admin", &app.admin_password).await;
    assert_ne!(fresh, cookie);
    assert_eq!(me_with_cookie(&app, &fresh).await, 200);
});
