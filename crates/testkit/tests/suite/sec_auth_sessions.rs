//! Issue 8, defect 3: a password reset, a role change, a unit change and a deactivation
//! each end the user's sessions and revoke their API tokens for good; reactivating the
//! account brings none of them back.

use reqwest::header::{AUTHORIZATION, COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

const PASSWORD: &str = "Test-password-1";

/// What the user holds: a session cookie and a bearer token.
struct Access {
    cookie: String,
    token: String,
}

async fn access(app: &TestApp, username: &str, password: &str) -> Access {
    let cookie = session_cookie(app, username, password).await;
    let c = app.login(username, password).await;
    let (status, made) = post(app, &c, "/api/v1/tokens", &json!({ "name": "bridge" })).await;
    assert_eq!(status, 201, "{made}");
    Access {
        cookie,
        token: made["token"].as_str().expect("token").to_string(),
    }
}

async fn with_token(app: &TestApp, token: &str) -> StatusCode {
    Client::new()
        .get(app.url("/api/v1/me"))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .expect("me")
        .status()
}

async fn with_cookie(app: &TestApp, cookie: &str) -> StatusCode {
    Client::new()
        .get(app.url("/api/v1/me"))
        .header(COOKIE, format!("hearken_session={cookie}"))
        .send()
        .await
        .expect("me")
        .status()
}

async fn assert_live(app: &TestApp, a: &Access, what: &str) {
    assert_eq!(with_cookie(app, &a.cookie).await, 200, "{what}: session");
    assert_eq!(with_token(app, &a.token).await, 200, "{what}: token");
}

async fn assert_dead(app: &TestApp, a: &Access, what: &str) {
    assert_eq!(with_cookie(app, &a.cookie).await, 401, "{what}: session");
    assert_eq!(with_token(app, &a.token).await, 401, "{what}: token");
}

async fn user_id(app: &TestApp, admin: &Client, username: &str) -> i64 {
    let (_, users) = get(app, admin, "/api/v1/users").await;
    users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["username"] == username)
        .and_then(|u| u["id"].as_i64())
        .expect("user id")
}

async fn patch_user(app: &TestApp, admin: &Client, id: i64, body: Value) {
    let (status, v) = patch(app, admin, &format!("/api/v1/users/{id}"), &body).await;
    assert_eq!(status, 200, "{body}: {v}");
}

both_backends!(
    a_password_reset_ends_sessions_and_tokens,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.user(&admin, "lin", "supervisor", "ROOT").await;
        let id = user_id(&app, &admin, "lin").await;
        let old = access(&app, "lin", PASSWORD).await;
        assert_live(&app, &old, "before the reset").await;

        let (status, _) = post(
            &app,
            &admin,
            &format!("/api/v1/users/{id}/password"),
            &json!({ "password": "Fresh-password-2" }),
        )
        .await;
        assert_eq!(status, 204);
        assert_dead(&app, &old, "after the reset").await;
        // The new password works; the owner must first choose their own, and then has a
        // new session.
        let first = app.login("lin", "Fresh-password-2").await;
        let (status, body) = post(
            &app,
            &first,
            "/api/v1/me/password",
            &json!({ "current_password": "Fresh-password-2", "new_password": "Own-password-3" }),
        )
        .await;
        assert!(status.is_success(), "{status} {body}");
        let fresh = access(&app, "lin", "Own-password-3").await;
        assert_live(&app, &fresh, "a new login").await;

        let resets = audit(&app, &admin, "password_reset").await;
        assert!(
            resets.iter().any(|e| e["target"] == "lin"
                && e["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains("\"tokens_revoked\":1"))),
            "{resets:?}"
        );

        // The reset the command line does (`hearken user reset-password`) is the same one.
        let cli = app::App::new(app.store.clone(), app.config.core.clone());
        cli.reset_password_as_system("lin", "Command-line-4")
            .await
            .expect("reset");
        let resets = audit(&app, &admin, "password_reset").await;
        let lin_resets = resets
            .iter()
            .filter(|e| {
                e["target"] == "lin"
                    && e["detail"]
                        .as_str()
                        .is_some_and(|d| d.contains("\"sessions_ended\""))
            })
            .count();
        assert_eq!(
            lin_resets, 2,
            "the command-line reset writes the same audit row: {resets:?}"
        );
        assert_dead(&app, &fresh, "after the command-line reset").await;
    }
);

both_backends!(
    role_and_unit_changes_end_sessions_and_tokens,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330106", "西湖区信访局", "county", "ROOT")
            .await;
        app.user(&admin, "zhou", "supervisor", "ROOT").await;
        let id = user_id(&app, &admin, "zhou").await;

        // A new display name changes nothing about access.
        let a = access(&app, "zhou", PASSWORD).await;
        patch_user(&app, &admin, id, json!({ "display_name": "周某" })).await;
        assert_live(&app, &a, "after a new display name").await;
        // Sending the same role and unit again is no change either.
        patch_user(
            &app,
            &admin,
            id,
            json!({ "role": "supervisor", "unit": "ROOT" }),
        )
        .await;
        assert_live(&app, &a, "after an unchanged role").await;

        patch_user(&app, &admin, id, json!({ "role": "auditor" })).await;
        assert_dead(&app, &a, "after a role change").await;

        let b = access(&app, "zhou", PASSWORD).await;
        patch_user(&app, &admin, id, json!({ "unit": "330106" })).await;
        assert_dead(&app, &b, "after a unit change").await;

        let mut updates = audit(&app, &admin, "role_changed").await;
        updates.extend(audit(&app, &admin, "user_updated").await);
        let mine: Vec<_> = updates.iter().filter(|e| e["target"] == "zhou").collect();
        let details: Vec<serde_json::Value> = mine
            .iter()
            .filter_map(|e| e["detail"].as_str())
            .filter_map(|d| serde_json::from_str(d).ok())
            .collect();
        assert!(
            details
                .iter()
                .any(|d| d["role"] == json!(["supervisor", "auditor"])
                    && d["sessions_ended"].is_number()),
            "{mine:?}"
        );
        assert!(
            details
                .iter()
                .any(|d| d["unit"] == json!(["ROOT", "330106"]) && d["tokens_revoked"].is_number()),
            "{mine:?}"
        );
    }
);

both_backends!(reactivation_brings_nothing_back, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    app.user(&admin, "wu", "supervisor", "ROOT").await;
    let id = user_id(&app, &admin, "wu").await;
    let a = access(&app, "wu", PASSWORD).await;

    patch_user(&app, &admin, id, json!({ "active": false })).await;
    assert_dead(&app, &a, "while deactivated").await;
    patch_user(&app, &admin, id, json!({ "active": true })).await;
    assert_dead(&app, &a, "after reactivation").await;
    // The person logs in again and gets new access.
    let b = access(&app, "wu", PASSWORD).await;
    assert_live(&app, &b, "a new login after reactivation").await;
    let (_, tokens) = get(&app, &app.login("wu", PASSWORD).await, "/api/v1/tokens").await;
    let revoked = tokens
        .as_array()
        .expect("tokens")
        .iter()
        .filter(|t| !t["revoked_at"].is_null())
        .count();
    assert_eq!(
        revoked, 1,
        "the old token stays revoked on record: {tokens}"
    );
});
