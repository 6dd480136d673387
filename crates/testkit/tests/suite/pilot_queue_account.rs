//! One's own password: changing it, and the forced change of the one-time admin
//! password (and of any password an admin resets) before anything else, on SQLite and
//! on PostgreSQL.

use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(staff_change_their_own_password, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let clerk = app.user(&admin, "own_pw", "clerk", "ROOT").await;
    let path = "/api/v1/me/password";
    let (status, body) = post(
        &app,
        &clerk,
        path,
        &json!({ "current_password": "Wrong-password-9", "new_password": "Brand-new-pass-1" }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field(&body, "current_password"), "current_password_wrong");
    let (status, body) = post(
        &app,
        &clerk,
        path,
        &json!({ "current_password": "Test-password-1", "new_password": "short" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field(&body, "new_password"), "password_too_short");
    let (status, body) = post(
        &app,
        &clerk,
        path,
        &json!({ "current_password": "Test-password-1", "new_password": "Test-password-1" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field(&body, "new_password"), "password_unchanged");
    let (status, _) = post(
        &app,
        &clerk,
        path,
        &json!({ "current_password": "Test-password-1", "new_password": "Brand-new-pass-1" }),
    )
    .await;
    assert_eq!(status, 204);
    // The old password no longer works; the new one does.
    let res = app
        .client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "username": "own_pw", "password": "Test-password-1" }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 401);
    app.login("own_pw", "Brand-new-pass-1").await;
    let changed = audit(&app, &admin, "password_changed").await;
    assert_eq!(changed[0]["target"], "own_pw");
});

both_backends!(
    the_one_time_admin_password_must_be_changed_first,
    |kind| async move {
        let Some(app) = TestApp::spawn_first_login(kind, |_| {}).await else {
            return;
        };
        let res = app
            .client()
            .post(app.url("/api/v1/session"))
            .json(&json!({ "username": "admin", "password": app.admin_password }))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200);
        let admin = app.admin().await;
        let (status, me) = get(&app, &admin, "/api/v1/me").await;
        assert_eq!(status, 200);
        assert_eq!(me["must_change_password"], true);
        // Everything else answers 403 password_change_required…
        for path in [
            "/api/v1/cases",
            "/api/v1/users",
            "/api/v1/units",
            "/api/v1/audit",
        ] {
            let got = get(&app, &admin, path).await;
            assert_error(&got, 403, "password_change_required");
        }
        let (status, _) = post(
            &app,
            &admin,
            "/api/v1/units",
            &json!({ "code": "X1", "name": "x", "level": "county", "parent": "ROOT" }),
        )
        .await;
        assert_eq!(status, 403);
        // …and every staff page leads to the change-password page.
        for page in [
            "/staff/cases",
            "/staff/admin/users",
            "/staff/audit",
            "/staff/tokens",
        ] {
            let res = admin.get(app.url(page)).send().await.expect("page");
            assert_eq!(res.status(), 303, "{page}");
            assert_eq!(
                res.headers()["location"].to_str().expect("location"),
                "/staff/account/password",
                "{page}"
            );
        }
        let form = admin
            .get(app.url("/staff/account/password"))
            .send()
            .await
            .expect("form");
        assert_eq!(form.status(), 200);
        let html = form.text().await.expect("html");
        assert!(html.contains("须先设置您自己的新密码"), "the page says why");
        assert!(
            !html.contains("href=\"/staff/admin/users\""),
            "no menu until changed"
        );

        let (status, _) = post(
            &app,
            &admin,
            "/api/v1/me/password",
            &json!({ "current_password": app.admin_password, "new_password": "Admin-chosen-2026" }),
        )
        .await;
        assert_eq!(status, 204);
        let (status, _) = get(&app, &admin, "/api/v1/cases").await;
        assert_eq!(status, 200, "free to work once changed");
        let res = admin
            .get(app.url("/staff/cases"))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 200);
    }
);

both_backends!(
    an_admin_reset_forces_a_change_at_next_login,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.user(&admin, "reset_me", "handler", "ROOT").await;
        let (_, users) = get(&app, &admin, "/api/v1/users").await;
        let id = users
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["username"] == "reset_me")
            .expect("user")["id"]
            .clone();
        let (status, _) = post(
            &app,
            &admin,
            &format!("/api/v1/users/{id}/password"),
            &json!({ "password": "Given-by-admin-1" }),
        )
        .await;
        assert_eq!(status, 204);
        let user = app.login("reset_me", "Given-by-admin-1").await;
        assert_error(
            &get(&app, &user, "/api/v1/cases").await,
            403,
            "password_change_required",
        );
        let (status, _) = post(
            &app,
            &user,
            "/api/v1/me/password",
            &json!({ "current_password": "Given-by-admin-1", "new_password": "Only-i-know-it-1" }),
        )
        .await;
        assert_eq!(status, 204);
        let (status, _) = get(&app, &user, "/api/v1/cases").await;
        assert_eq!(status, 200);
        let resets = audit(&app, &admin, "password_reset").await;
        assert_eq!(resets[0]["target"], "reset_me");
    }
);
