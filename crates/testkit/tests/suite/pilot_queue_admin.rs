//! Administration for a pilot office: retiring units and routing rules (never deleting
//! them), and the audit rows every admin change writes, on SQLite and on PostgreSQL.

use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

fn actions(entries: &[Value]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or("").to_string(),
                e["target"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

both_backends!(
    a_retired_unit_takes_no_new_users_or_cases,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330106", "杭州市西湖区信访局", "county", "ROOT")
            .await;
        let clerk = app.user(&admin, "xh_clerk", "clerk", "330106").await;
        register(&app, &clerk, &sample_case()).await;

        let (status, unit) = patch(
            &app,
            &admin,
            "/api/v1/units/330106",
            &json!({ "name": "杭州市西湖区信访局", "retired": true }),
        )
        .await;
        assert_eq!(status, 200, "{unit}");
        assert_eq!(unit["retired"], true);

        // No new user in it…
        let (status, body) = post(
        &app,
        &admin,
        "/api/v1/users",
        &json!({ "username": "late", "role": "clerk", "unit": "330106", "password": "Test-password-1" }),
    )
    .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(field(&body, "unit"), "unit_retired");
        // …no new unit below it…
        let (status, body) = post(
        &app,
        &admin,
        "/api/v1/units",
        &json!({ "code": "330106001", "name": "街道", "level": "township", "parent": "330106" }),
    )
    .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(field(&body, "parent"), "unit_retired");
        // …and no new case, from its own staff or from above.
        let before = case_count(&app).await;
        let (status, body) = post(&app, &clerk, "/api/v1/cases", &sample_case()).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(field(&body, "unit"), "unit_retired");
        let mut aimed = sample_case();
        aimed["unit"] = json!("330106");
        let (status, _) = post(&app, &admin, "/api/v1/cases", &aimed).await;
        assert_eq!(status, 422);
        assert_eq!(case_count(&app).await, before, "nothing was stored");
        // Its existing case is still there and readable.
        let (status, list) = get(&app, &clerk, "/api/v1/cases?state=").await;
        assert_eq!(status, 200);
        assert_eq!(list["total"], 1);

        // An admin cannot retire their own unit; a retired unit can be restored.
        let (status, body) = patch(
            &app,
            &admin,
            "/api/v1/units/ROOT",
            &json!({ "name": "信访工作机构", "retired": true }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let (status, unit) = patch(
            &app,
            &admin,
            "/api/v1/units/330106",
            &json!({ "name": "西湖区信访局", "retired": false }),
        )
        .await;
        assert_eq!(status, 200, "{unit}");
        assert_eq!(unit["name"], "西湖区信访局");
        register(&app, &clerk, &sample_case()).await;
        // Units are listed still, never deleted.
        let (_, units) = get(&app, &admin, "/api/v1/units").await;
        assert!(units
            .as_array()
            .expect("units")
            .iter()
            .any(|u| u["code"] == "330106"));
    }
);

both_backends!(a_retired_rule_is_not_suggested, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    app.unit(&admin, "330106", "杭州市西湖区信访局", "county", "ROOT")
        .await;
    let sup = app.user(&admin, "rule_sup", "supervisor", "ROOT").await;
    let rule = json!({ "category": "labor", "region_prefix": "3301", "unit": "330106" });
    let (status, body) = post(&app, &sup, "/api/v1/routing-rules", &rule).await;
    assert_eq!(status, 204, "{body}");
    let mut case = sample_case();
    case["region"] = json!("330106");
    let id = register(&app, &sup, &case).await["id"]
        .as_i64()
        .expect("id");
    let (_, c) = get(&app, &sup, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(c["suggested_unit"]["unit_code"], "330106", "{c}");

    let (status, body) = post(
        &app,
        &sup,
        "/api/v1/routing-rules/retire",
        &json!({ "category": "labor", "region_prefix": "3301" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["retired"], true);
    let (_, c) = get(&app, &sup, &format!("/api/v1/cases/{id}")).await;
    assert!(
        c["suggested_unit"].is_null(),
        "a retired rule is not suggested: {c}"
    );
    let (_, rules) = get(&app, &sup, "/api/v1/routing-rules").await;
    assert_eq!(rules.as_array().map(Vec::len), Some(1), "the rule is kept");
    // Saving it again brings it back.
    let (status, _) = post(&app, &sup, "/api/v1/routing-rules", &rule).await;
    assert_eq!(status, 204);
    let (_, c) = get(&app, &sup, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(c["suggested_unit"]["unit_code"], "330106");
    // A retired unit cannot be a rule's target.
    patch(
        &app,
        &admin,
        "/api/v1/units/330106",
        &json!({ "name": "杭州市西湖区信访局", "retired": true }),
    )
    .await;
    let (status, body) = post(&app, &sup, "/api/v1/routing-rules", &rule).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field(&body, "unit"), "unit_retired");
});

both_backends!(every_admin_change_is_audited, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    app.unit(&admin, "330106", "杭州市西湖区信访局", "county", "ROOT")
        .await;
    app.user(&admin, "aud_clerk", "clerk", "330106").await;
    let (_, users) = get(&app, &admin, "/api/v1/users").await;
    let id = users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["username"] == "aud_clerk")
        .expect("user")["id"]
        .as_i64()
        .expect("id");
    let (status, _) = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{id}"),
        &json!({ "role": "handler" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{id}"),
        &json!({ "active": false }),
    )
    .await;
    assert_eq!(status, 200);
    patch(
        &app,
        &admin,
        "/api/v1/units/330106",
        &json!({ "name": "西湖区信访局", "retired": true }),
    )
    .await;
    post(
        &app,
        &admin,
        "/api/v1/routing-rules",
        &json!({ "category": "labor", "region_prefix": "", "unit": "ROOT" }),
    )
    .await;
    post(
        &app,
        &admin,
        "/api/v1/routing-rules/retire",
        &json!({ "category": "labor", "region_prefix": "" }),
    )
    .await;

    let (status, all) = get(&app, &admin, "/api/v1/audit?limit=50").await;
    assert_eq!(status, 200);
    let entries = all.as_array().expect("entries").clone();
    let got = actions(&entries);
    for expected in [
        ("unit_created", "330106"),
        ("user_created", "aud_clerk"),
        ("role_changed", "aud_clerk"),
        ("user_updated", "aud_clerk"),
        ("unit_retired", "330106"),
        ("routing_rule_saved", "labor @ *"),
        ("routing_rule_retired", "labor @ *"),
    ] {
        assert!(
            got.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {got:?}"
        );
    }
    let role = entries
        .iter()
        .find(|e| e["action"] == "role_changed")
        .expect("role change");
    assert_eq!(role["actor_name"], "admin");
    let detail: Value =
        serde_json::from_str(role["detail"].as_str().expect("detail")).expect("detail is JSON");
    assert_eq!(detail["role"], json!(["clerk", "handler"]));

    // The audit page shows them in Chinese: who, their unit, what, on what.
    let html = admin
        .get(app.url("/staff/audit"))
        .send()
        .await
        .expect("audit page")
        .text()
        .await
        .expect("html");
    for words in [
        "变更角色",
        "新增用户",
        "撤销单位",
        "登记员 → 承办人",
        "系统管理员",
        "信访工作机构",
    ] {
        assert!(html.contains(words), "the audit page shows {words}");
    }
});

both_backends!(users_page_is_paged_and_searchable, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    for i in 0..51 {
        let (status, body) = post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({ "username": format!("bulk{i:02}"), "display_name": format!("批量{i:02}"),
                     "role": "clerk", "password": "Test-password-1" }),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let html = |path: &'static str| {
        let admin = admin.clone();
        let url = app.url(path);
        async move {
            admin
                .get(url)
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("html")
        }
    };
    let first = html("/staff/admin/users").await;
    assert!(first.contains("共 52 名用户"), "count shown");
    assert_eq!(
        first.matches("href=\"/staff/admin/users/").count(),
        50,
        "50 a page"
    );
    assert!(
        !first.contains("name=\"role\" aria-label"),
        "no inline edit forms"
    );
    assert!(
        first.len() < 100_000,
        "the list is small: {} bytes",
        first.len()
    );
    let second = html("/staff/admin/users?page=1").await;
    assert_eq!(second.matches("href=\"/staff/admin/users/").count(), 2);
    let found = html("/staff/admin/users?q=%E6%89%B9%E9%87%8F07").await;
    assert!(
        found.contains("共 1 名用户") && found.contains("bulk07"),
        "search by name"
    );
    let found = html("/staff/admin/users?q=BULK1").await;
    assert!(found.contains("共 10 名用户"), "search by username");
    // `_` and `%` are literal in the search.
    let none = html("/staff/admin/users?q=%25").await;
    assert!(none.contains("共 0 名用户"));
});
