//! Settings belong to a unit (issue 8, defect 1), on SQLite and on PostgreSQL: a county
//! admin cannot change the portal's contact block; a county admin's notice template
//! reaches the notices of its own county's cases and never a sibling county's; the root
//! admin changes the contact block; every change is in the audit log.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

/// The hidden CSRF token of a page's first form.
fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a csrf field")
        .to_string()
}

async fn page(c: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.expect("get page");
    let status = res.status();
    (status, res.text().await.expect("page text"))
}

async fn put(app: &TestApp, c: &Client, path: &str, body: &Value) -> (StatusCode, Value) {
    send(c.put(app.url(path)).json(body)).await
}

/// A case registered, routed to itself and accepted in the supervisor's unit: its
/// acceptance notice's text.
async fn accepted_notice(app: &TestApp, sup: &Client) -> String {
    let made = register(app, sup, &sample_case()).await;
    let id = made["id"].as_i64().expect("id");
    for (action, body) in [("route", json!({ "mode": "self" })), ("accept", json!({}))] {
        let (status, v) = post(
            app,
            sup,
            &format!("/api/v1/cases/{id}/actions/{action}"),
            &body,
        )
        .await;
        assert_eq!(status, 200, "{action}: {v}");
    }
    let (status, notices) = get(app, sup, &format!("/api/v1/cases/{id}/notices")).await;
    assert_eq!(status, 200, "{notices}");
    let acceptance = notices
        .as_array()
        .expect("notices")
        .iter()
        .find(|n| n["kind"] == "acceptance")
        .cloned()
        .expect("an acceptance notice");
    acceptance.to_string()
}

const FAKE_ACCOUNT: &str = "请将处理费汇至账户 6222 0000 1111 2222";

both_backends!(settings_belong_to_a_unit, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let root_admin = app.admin().await;
    app.unit(&root_admin, "330106", "西湖区信访局", "county", "ROOT")
        .await;
    app.unit(&root_admin, "330102", "上城区信访局", "county", "ROOT")
        .await;
    let xh_admin = app.user(&root_admin, "xh_admin", "admin", "330106").await;
    let sc_admin = app.user(&root_admin, "sc_admin", "admin", "330102").await;
    let xh_sup = app
        .user(&root_admin, "xh_sup", "supervisor", "330106")
        .await;
    let sc_sup = app
        .user(&root_admin, "sc_sup", "supervisor", "330102")
        .await;

    // A county admin cannot change the portal's contact block: not by the API …
    let fake = json!({ "office_name": "假冒信访办", "phone": "0571-66666666" });
    assert_error(
        &put(&app, &xh_admin, "/api/v1/portal-settings", &fake).await,
        403,
        "forbidden",
    );
    // … nor by the page, which says why, and shows no form to try.
    let (_, reception) = page(&xh_admin, &app, "/staff/reception").await;
    assert!(reception.contains("data-testid=\"office-root-only\""));
    assert!(!reception.contains("data-testid=\"office-form\""));
    let res = xh_admin
        .post(app.url("/staff/reception/settings"))
        .form(&[
            ("csrf", csrf_of(&reception).as_str()),
            ("office_name", "假冒信访办"),
            ("phone", "0571-66666666"),
        ])
        .send()
        .await
        .expect("post settings");
    assert_eq!(res.status(), 403);
    assert!(res
        .text()
        .await
        .expect("text")
        .contains("只有根单位的管理员可以修改"));
    let (_, home) = page(&app.client(), &app, "/").await;
    assert!(!home.contains("0571-66666666") && !home.contains("假冒信访办"));
    assert!(audit(&app, &root_admin, "portal_settings_set")
        .await
        .is_empty());

    // The root admin can, by the API and by the page; each change is audited.
    let real = json!({ "office_name": "杭州市信访局", "phone": "0571-12345" });
    let (status, saved) = put(&app, &root_admin, "/api/v1/portal-settings", &real).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["phone"], "0571-12345");
    let (_, reception) = page(&root_admin, &app, "/staff/reception").await;
    assert!(reception.contains("data-testid=\"office-form\""));
    let res = root_admin
        .post(app.url("/staff/reception/settings"))
        .form(&[
            ("csrf", csrf_of(&reception).as_str()),
            ("office_name", "杭州市信访局"),
            ("phone", "0571-88888888"),
            ("duty_phone", "0571-87000000"),
            ("email", "xf@hangzhou.example"),
        ])
        .send()
        .await
        .expect("post settings");
    assert_eq!(res.status(), 303);
    let (_, home) = page(&app.client(), &app, "/").await;
    assert!(home.contains("0571-88888888") && home.contains("杭州市信访局"));
    assert!(
        home.contains("24小时值班电话") && home.contains("tel:057187000000"),
        "the duty phone is published"
    );
    let changes = audit(&app, &root_admin, "portal_settings_set").await;
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["actor_name"], "admin");
    assert!(changes[0]["detail"]
        .as_str()
        .is_some_and(|d| d.contains("phone=0571-88888888")));
    // An unknown key is a field error, and nothing is changed.
    let got = put(
        &app,
        &root_admin,
        "/api/v1/portal-settings",
        &json!({ "fax": "1" }),
    )
    .await;
    assert_error(&got, 422, "validation_failed");
    assert_eq!(field(&got.1, "fax"), "unknown_setting");

    // The fake-bank-account scenario: a county admin's acceptance template …
    let tpl = json!({ "title": "受理告知书", "body": format!("{{petitioner}}：您的信访事项已受理。\n\n{FAKE_ACCOUNT}。") });
    let (status, saved) = put(
        &app,
        &xh_admin,
        "/api/v1/notice-templates/acceptance/zh",
        &tpl,
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["source"]["code"], "330106");
    assert_eq!(saved["lang"], "zh");
    // A language that does not ship is a template that does not exist.
    let (status, body) = put(
        &app,
        &xh_admin,
        "/api/v1/notice-templates/acceptance/fr",
        &tpl,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    // … reaches its own county's notices …
    assert!(accepted_notice(&app, &xh_sup).await.contains(FAKE_ACCOUNT));
    // … and never the sibling county's, which keeps the default.
    let sibling = accepted_notice(&app, &sc_sup).await;
    assert!(!sibling.contains(FAKE_ACCOUNT), "{sibling}");
    assert!(sibling.contains("本机关已于"), "the default: {sibling}");
    // Nor may it edit the sibling's templates, or the root's.
    for unit in ["330102", "ROOT"] {
        let mut other = tpl.clone();
        other["unit"] = json!(unit);
        assert_error(
            &put(
                &app,
                &xh_admin,
                "/api/v1/notice-templates/acceptance/zh",
                &other,
            )
            .await,
            403,
            "forbidden",
        );
    }
    let (status, _) = page(&xh_admin, &app, "/staff/admin/notices?unit=330102").await;
    assert_eq!(status, 403);
    let (_, listed) = get(&app, &sc_admin, "/api/v1/notice-templates").await;
    let sc_acceptance = listed
        .as_array()
        .expect("templates")
        .iter()
        .find(|t| t["kind"] == "acceptance" && t["lang"] == "zh")
        .cloned()
        .expect("acceptance");
    assert_eq!(sc_acceptance["source"]["from"], "default");

    // The root's template is the parent's: it reaches the sibling county, while the
    // county's own still wins in its subtree.
    let root_tpl = json!({ "title": "受理告知书", "body": "{petitioner}：经审查，本机关决定受理（市级模板）。" });
    let (status, _) = put(
        &app,
        &root_admin,
        "/api/v1/notice-templates/acceptance/zh",
        &root_tpl,
    )
    .await;
    assert_eq!(status, 200);
    assert!(accepted_notice(&app, &sc_sup).await.contains("市级模板"));
    let own = accepted_notice(&app, &xh_sup).await;
    assert!(own.contains(FAKE_ACCOUNT) && !own.contains("市级模板"));
    // Removing the county's edit brings the parent's back.
    let (status, back) =
        send(xh_admin.delete(app.url("/api/v1/notice-templates/acceptance/zh"))).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["source"]["code"], "ROOT");
    assert!(accepted_notice(&app, &xh_sup).await.contains("市级模板"));

    // Every template change is audited, and the county's entries stay in its scope.
    let root_view = audit(&app, &root_admin, "notice_template_set").await;
    assert_eq!(root_view.len(), 2, "{root_view:?}");
    assert_eq!(
        audit(&app, &root_admin, "notice_template_reset")
            .await
            .len(),
        1
    );
    let county_view = audit(&app, &xh_admin, "notice_template_set").await;
    assert!(county_view
        .iter()
        .any(|e| e["target"] == "330106:acceptance:zh"));
    let sibling_view = audit(&app, &sc_admin, "notice_template_set").await;
    assert!(
        sibling_view.iter().all(|e| e["actor_name"] != "xh_admin"),
        "{sibling_view:?}"
    );
});
