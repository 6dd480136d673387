//! The JSON API's scopes and roles, administration, and the service endpoints, on SQLite
//! and on PostgreSQL. Registration and case work are in `api.rs`.

use chrono::Datelike;
use reqwest::header::{CACHE_CONTROL, X_CONTENT_TYPE_OPTIONS};
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, Kind, TestApp};

/// The code a validation error gives `field`.
fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v["fields"][name].as_str().unwrap_or("")
}

async fn register(app: &TestApp, c: &Client, case: &Value) -> Value {
    let (status, body) = post(app, c, "/api/v1/cases", case).await;
    assert_eq!(status, 201, "register: {body}");
    body
}

/// The ids in a page of the queue.
async fn listed(app: &TestApp, c: &Client, query: &str) -> Vec<i64> {
    let (status, page) = get(app, c, &format!("/api/v1/cases{query}")).await;
    assert_eq!(status, 200, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

const PASSWORD: &str = "Test-password-1";

both_backends!(users_see_only_their_own_subtree, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let year = app.config.today().year();
    app.unit(&admin, "330102", "上城区", "county", "ROOT").await;
    app.unit(&admin, "330106", "西湖区", "county", "ROOT").await;
    let clerk_a = app.user(&admin, "clerk_a", "clerk", "330102").await;
    let clerk_b = app.user(&admin, "clerk_b", "clerk", "330106").await;

    let made = register(&app, &clerk_a, &sample_case()).await;
    let id = made["id"].as_i64().expect("id");
    assert_eq!(made["case_no"], format!("330102-{year}-000001"));
    assert_eq!(made["case"]["unit_code"], "330102");
    let case = format!("/api/v1/cases/{id}");

    assert_error(&get(&app, &clerk_b, &case).await, 404, "not_found");
    assert_error(
        &get(&app, &clerk_b, &format!("{case}/events")).await,
        404,
        "not_found",
    );
    assert_error(
        &patch(
            &app,
            &clerk_b,
            &case,
            &json!({ "version": 1, "content": "改" }),
        )
        .await,
        404,
        "not_found",
    );
    assert!(!listed(&app, &clerk_b, "").await.contains(&id));
    assert!(
        listed(&app, &clerk_b, "?unit=330102").await.is_empty(),
        "asking for another unit shows nothing"
    );
    let other = sample_case_in("330102");
    assert_eq!(
        field(
            &post(&app, &clerk_b, "/api/v1/cases", &other).await.1,
            "unit"
        ),
        "unit_out_of_scope"
    );

    assert_eq!(get(&app, &clerk_a, &case).await.0, 200);
    assert_eq!(listed(&app, &clerk_a, "").await, [id]);
    assert_eq!(
        get(&app, &admin, &case).await.0,
        200,
        "the root admin sees every county"
    );
    assert_eq!(listed(&app, &admin, "").await, [id]);
    assert_eq!(listed(&app, &admin, "?unit=330102").await, [id]);
    assert!(listed(&app, &admin, "?unit=330106").await.is_empty());

    // A case registered above a county is not the county's.
    let at_root = register(&app, &admin, &sample_case()).await["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        get(&app, &clerk_a, &format!("/api/v1/cases/{at_root}"))
            .await
            .0,
        404
    );
    // An admin may register straight into a unit below them.
    let for_b = register(&app, &admin, &sample_case_in("330106")).await;
    assert_eq!(for_b["case_no"], format!("330106-{year}-000001"));
    let for_b = for_b["id"].as_i64().expect("id");
    assert_eq!(listed(&app, &clerk_b, "").await, [for_b]);
    assert_eq!(listed(&app, &admin, "").await, [id, at_root, for_b]);

    let (_, units) = get(&app, &clerk_b, "/api/v1/units").await;
    let codes: Vec<&str> = units
        .as_array()
        .expect("units")
        .iter()
        .filter_map(|u| u["code"].as_str())
        .collect();
    assert_eq!(codes, ["330106"]);

    // Roles: an auditor reads but never writes; a clerk does not administer.
    let auditor = app.user(&admin, "auditor_1", "auditor", "ROOT").await;
    assert_error(
        &post(&app, &auditor, "/api/v1/cases", &sample_case()).await,
        403,
        "forbidden",
    );
    assert_eq!(get(&app, &auditor, &case).await.0, 200);
    assert_error(
        &patch(
            &app,
            &auditor,
            &case,
            &json!({ "version": 1, "content": "改" }),
        )
        .await,
        403,
        "forbidden",
    );
    assert_eq!(get(&app, &auditor, "/api/v1/audit").await.0, 200);
    let new_user =
        json!({ "username": "sneaky", "role": "admin", "unit": "ROOT", "password": PASSWORD });
    assert_error(
        &post(&app, &auditor, "/api/v1/users", &new_user).await,
        403,
        "forbidden",
    );
    assert_error(
        &post(&app, &clerk_a, "/api/v1/users", &new_user).await,
        403,
        "forbidden",
    );
    let new_unit =
        json!({ "code": "330103", "name": "下城区", "level": "county", "parent": "ROOT" });
    assert_error(
        &post(&app, &clerk_a, "/api/v1/units", &new_unit).await,
        403,
        "forbidden",
    );
    assert_error(
        &get(&app, &clerk_a, "/api/v1/users").await,
        403,
        "forbidden",
    );
    assert_error(
        &get(&app, &clerk_a, "/api/v1/audit").await,
        403,
        "forbidden",
    );
    assert_eq!(app.store.case_count().await.expect("count"), 3);
    let (_, users) = get(&app, &admin, "/api/v1/users").await;
    assert!(!users.to_string().contains("sneaky"));
});

fn sample_case_in(unit: &str) -> Value {
    let mut case = sample_case();
    case["unit"] = json!(unit);
    case
}

both_backends!(admins_manage_units_and_users, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let county = app.unit(&admin, "330102", "上城区", "county", "ROOT").await;
    assert_eq!(county["code"], "330102");
    assert_eq!(county["level"], "county");
    let (status, town) = post(
        &app,
        &admin,
        "/api/v1/units",
        &json!({ "code": "33010201", "name": "湖滨街道", "level": "township", "parent": "330102" }),
    )
    .await;
    assert_eq!(status, 201, "{town}");
    assert_eq!(town["parent_id"], county["id"]);
    assert!(
        town["path"]
            .as_str()
            .is_some_and(|p| p.starts_with(county["path"].as_str().unwrap_or("?"))),
        "{town}"
    );

    let got = post(
        &app,
        &admin,
        "/api/v1/units",
        &json!({ "code": "x", "name": "", "level": "galaxy", "parent": "NOWHERE" }),
    )
    .await;
    assert_error(&got, 422, "validation_failed");
    assert_eq!(field(&got.1, "code"), "invalid_unit_code");
    assert_eq!(field(&got.1, "name"), "required");
    assert_eq!(field(&got.1, "level"), "invalid_level");
    assert_eq!(field(&got.1, "parent"), "unknown_unit");
    let got = post(
        &app,
        &admin,
        "/api/v1/units",
        &json!({ "code": "330102", "name": "重复", "level": "county", "parent": "ROOT" }),
    )
    .await;
    assert_eq!(field(&got.1, "code"), "duplicate_unit_code", "{}", got.1);
    let (status, renamed) = patch(
        &app,
        &admin,
        "/api/v1/units/330102",
        &json!({ "name": "上城区（新）", "name_en": "Shangcheng" }),
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["name"], "上城区（新）");
    assert_eq!(
        patch(
            &app,
            &admin,
            "/api/v1/units/NOWHERE",
            &json!({ "name": "x" })
        )
        .await
        .0,
        404
    );

    let (status, user) = post(&app, &admin, "/api/v1/users", &json!({ "username": "Handler_1", "display_name": "王五", "role": "handler", "unit": "330102", "password": PASSWORD })).await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(
        user["username"], "handler_1",
        "usernames are case-insensitive"
    );
    assert_eq!(user["role"], "handler");
    assert_eq!(user["unit_code"], "330102");
    assert!(
        user.get("password_hash").is_none() && !user.to_string().contains("argon2"),
        "{user}"
    );
    let uid = user["id"].as_i64().expect("user id");
    let handler = app.login("handler_1", PASSWORD).await;

    for (body, name, code) in [
        (
            json!({ "username": "HANDLER_1", "role": "clerk", "unit": "330102", "password": PASSWORD }),
            "username",
            "duplicate_username",
        ),
        (
            json!({ "username": "weak_1", "role": "clerk", "unit": "330102", "password": "Short1" }),
            "password",
            "password_too_short",
        ),
        (
            json!({ "username": "weak_2", "role": "clerk", "unit": "330102", "password": "alllowercaseletters" }),
            "password",
            "password_too_simple",
        ),
        (
            json!({ "username": "a b", "role": "clerk", "unit": "330102", "password": PASSWORD }),
            "username",
            "invalid_username",
        ),
        (
            json!({ "username": "emperor", "role": "emperor", "unit": "330102", "password": PASSWORD }),
            "role",
            "invalid_role",
        ),
        (
            json!({ "username": "lost", "role": "clerk", "unit": "NOWHERE", "password": PASSWORD }),
            "unit",
            "unknown_unit",
        ),
    ] {
        let got = post(&app, &admin, "/api/v1/users", &body).await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, name), code, "{body} gave {}", got.1);
    }
    let (_, users) = get(&app, &admin, "/api/v1/users").await;
    let names: Vec<&str> = users
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "only admin and handler_1 exist: {names:?}");

    // A role change ends the user's sessions (and tokens); the next login has the role.
    let (status, changed) = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{uid}"),
        &json!({ "role": "clerk" }),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["role"], "clerk");
    assert_eq!(changed["display_name"], "王五");
    assert_eq!(get(&app, &handler, "/api/v1/me").await.0, 401);
    let handler = app.login("handler_1", PASSWORD).await;
    assert_eq!(get(&app, &handler, "/api/v1/me").await.1["role"], "clerk");
    let got = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{uid}"),
        &json!({ "role": "emperor" }),
    )
    .await;
    assert_eq!(field(&got.1, "role"), "invalid_role");
    assert_eq!(
        patch(
            &app,
            &admin,
            "/api/v1/users/999999",
            &json!({ "role": "clerk" })
        )
        .await
        .0,
        404
    );
    let me = get(&app, &admin, "/api/v1/me").await.1;
    let got = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{}", me["id"]),
        &json!({ "role": "clerk" }),
    )
    .await;
    assert_eq!(
        field(&got.1, "role"),
        "cannot_change_own_account",
        "{}",
        got.1
    );

    // A county admin manages the county and nothing above it.
    let county_admin = app.user(&admin, "county_admin", "admin", "330102").await;
    let (_, users) = get(&app, &county_admin, "/api/v1/users").await;
    let names: Vec<&str> = users
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert!(
        names.contains(&"handler_1") && !names.contains(&"admin"),
        "{names:?}"
    );
    assert_eq!(
        patch(
            &app,
            &county_admin,
            &format!("/api/v1/users/{}", me["id"]),
            &json!({ "active": false })
        )
        .await
        .0,
        404
    );
    let above =
        json!({ "username": "root_clerk", "role": "clerk", "unit": "ROOT", "password": PASSWORD });
    assert_eq!(
        field(
            &post(&app, &county_admin, "/api/v1/users", &above).await.1,
            "unit"
        ),
        "unknown_unit"
    );
    let sibling =
        json!({ "code": "330106", "name": "西湖区", "level": "county", "parent": "ROOT" });
    assert_eq!(
        field(
            &post(&app, &county_admin, "/api/v1/units", &sibling).await.1,
            "parent"
        ),
        "unknown_unit"
    );
    assert_eq!(
        patch(
            &app,
            &county_admin,
            "/api/v1/units/ROOT",
            &json!({ "name": "夺权" })
        )
        .await
        .0,
        404
    );
    let (status, local) = post(
        &app,
        &county_admin,
        "/api/v1/users",
        &json!({ "username": "local_clerk", "role": "clerk", "password": PASSWORD }),
    )
    .await;
    assert_eq!(status, 201, "{local}");
    assert_eq!(
        local["unit_code"], "330102",
        "a user without a unit joins the admin's own"
    );

    // Deactivating a user ends their sessions and stops their logins.
    let (status, _) = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{uid}"),
        &json!({ "active": false }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(get(&app, &handler, "/api/v1/me").await.0, 401);
    let login = json!({ "username": "handler_1", "password": PASSWORD });
    assert_error(
        &post(&app, &app.client(), "/api/v1/session", &login).await,
        401,
        "invalid_credentials",
    );
    let (status, _) = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{uid}"),
        &json!({ "active": true }),
    )
    .await;
    assert_eq!(status, 200);
    app.login("handler_1", PASSWORD).await;
});

both_backends!(health_openapi_and_categories, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let bare = Client::new();
    let (status, body) = send(bare.get(app.url("/healthz"))).await;
    assert_eq!((status.as_u16(), body), (200, json!("ok")));
    let (status, ready) = send(bare.get(app.url("/readyz"))).await;
    assert_eq!(status, 200, "{ready}");
    assert_eq!(ready["status"], "ready");
    assert_eq!(
        ready["database"],
        if kind == Kind::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );

    let (status, doc) = send(bare.get(app.url("/api/openapi.json"))).await;
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/events",
        "/api/v1/cases/{id}/attachments",
        "/api/v1/session",
        "/api/v1/categories",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/units",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/audit",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} is not documented: {:?}",
            paths.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        doc["paths"]["/api/v1/cases"]["get"].is_object()
            && doc["paths"]["/api/v1/cases"]["post"].is_object()
    );
    assert!(doc["paths"]["/api/v1/cases/{id}"]["patch"].is_object());
    assert!(doc["paths"]["/api/v1/session"]["delete"].is_object());

    assert_error(
        &send(bare.get(app.url("/api/v1/categories"))).await,
        401,
        "unauthorized",
    );
    let admin = app.admin().await;
    let res = admin
        .get(app.url("/api/v1/categories"))
        .send()
        .await
        .expect("categories");
    assert_eq!(
        res.headers()
            .get(X_CONTENT_TYPE_OPTIONS)
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert_eq!(
        res.headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let tree: Value = res.json().await.expect("json");
    let tree = tree.as_array().expect("categories");
    let wages = tree
        .iter()
        .position(|c| c["code"] == "labor.wages")
        .expect("labor.wages");
    let labor = tree
        .iter()
        .position(|c| c["code"] == "labor")
        .expect("labor");
    assert_eq!(tree[wages]["parent"], "labor");
    assert!(labor < wages, "parents come before children");
    assert!(tree[wages]["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(
        tree.iter()
            .all(|c| c["parent"].is_null() || tree.iter().any(|p| p["code"] == c["parent"])),
        "every parent exists"
    );

    assert_eq!(get(&app, &admin, "/api/v1/nothing-here").await.0, 404);
});
