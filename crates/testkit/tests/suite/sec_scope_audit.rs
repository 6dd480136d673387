//! The audit log is scoped like cases (issue 8, defect 2), on SQLite and on PostgreSQL:
//! a county's auditor and admin see their own county's logins, failed logins and reads
//! of personal data, never another county's (nor its addresses or failed usernames);
//! failed logins with unknown usernames belong to the root; the root auditor sees all.

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

/// Every entry the client may read, newest first.
async fn entries(app: &TestApp, c: &Client) -> Vec<Value> {
    let (status, body) = get(app, c, "/api/v1/audit?limit=1000").await;
    assert_eq!(status, 200, "audit: {body}");
    body.as_array().expect("entries").clone()
}

fn mentions(entries: &[Value], what: &str) -> bool {
    entries
        .iter()
        .any(|e| e["target"] == what || e["actor_name"] == what || e["detail"] == what)
}

async fn failed_login(app: &TestApp, username: &str) {
    let res = app
        .client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "username": username, "password": "Wrong-password-1" }))
        .send()
        .await
        .expect("login");
    assert!(res.status().is_client_error());
}

both_backends!(the_audit_log_is_scoped_like_cases, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let root = app.admin().await;
    app.unit(&root, "330106", "西湖区信访局", "county", "ROOT")
        .await;
    app.unit(&root, "330102", "上城区信访局", "county", "ROOT")
        .await;
    app.unit(&root, "330106001", "北山街道", "township", "330106")
        .await;
    let root_auditor = app.user(&root, "root_auditor", "auditor", "ROOT").await;
    let xh_auditor = app.user(&root, "xh_auditor", "auditor", "330106").await;
    let xh_admin = app.user(&root, "xh_admin", "admin", "330106").await;
    let town_auditor = app.user(&root, "bs_auditor", "auditor", "330106001").await;
    let xh_clerk = app.user(&root, "xh_clerk", "clerk", "330106").await;
    let sc_clerk = app.user(&root, "sc_clerk", "clerk", "330102").await;

    // Another county's activity: a login (above), a failed login, a personal-data read.
    failed_login(&app, "sc_clerk").await;
    let sc_case = register(&app, &sc_clerk, &sample_case()).await;
    let sc_no = sc_case["case_no"].as_str().expect("case_no").to_string();
    let (status, _) = get(&app, &sc_clerk, &format!("/api/v1/cases/{}", sc_case["id"])).await;
    assert_eq!(status, 200);
    // A failed login with a name nobody has.
    failed_login(&app, "ghost_of_330102").await;
    // The county's own activity.
    failed_login(&app, "xh_clerk").await;
    let xh_case = register(&app, &xh_clerk, &sample_case()).await;
    let xh_no = xh_case["case_no"].as_str().expect("case_no").to_string();
    let (status, _) = get(&app, &xh_clerk, &format!("/api/v1/cases/{}", xh_case["id"])).await;
    assert_eq!(status, 200);

    for (who, c) in [("county auditor", &xh_auditor), ("county admin", &xh_admin)] {
        let seen = entries(&app, c).await;
        assert!(
            !mentions(&seen, "sc_clerk"),
            "{who} sees another county's logins"
        );
        assert!(
            !mentions(&seen, &sc_no),
            "{who} sees another county's reads"
        );
        assert!(
            !mentions(&seen, "ghost_of_330102"),
            "{who} sees failed usernames"
        );
        assert!(
            !seen
                .iter()
                .any(|e| e["action"] == "login" && e["target"] == "admin"),
            "{who} sees the root's logins"
        );
        assert!(
            seen.iter()
                .any(|e| e["action"] == "login_failed" && e["target"] == "xh_clerk"),
            "{who} sees its own county's failed logins"
        );
        assert!(
            seen.iter()
                .any(|e| e["action"] == "read_personal_data" && e["target"] == xh_no),
            "{who} sees its own county's reads"
        );
    }
    // A township auditor sees its township only: not even the county above it.
    let seen = entries(&app, &town_auditor).await;
    assert!(!mentions(&seen, "xh_clerk") && !mentions(&seen, &xh_no));
    assert!(mentions(&seen, "bs_auditor"), "its own login");

    // The page shows the same scope.
    let html = xh_auditor
        .get(app.url("/staff/audit"))
        .send()
        .await
        .expect("audit page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("xh_clerk"));
    for hidden in ["sc_clerk", "ghost_of_330102", sc_no.as_str()] {
        assert!(!html.contains(hidden), "the page shows {hidden}");
    }

    // The root auditor sees everything.
    let all = entries(&app, &root_auditor).await;
    for what in [
        "sc_clerk",
        "ghost_of_330102",
        "xh_clerk",
        &sc_no,
        &xh_no,
        "admin",
    ] {
        assert!(mentions(&all, what), "the root auditor misses {what}");
    }
    // Paging keeps the scope: the county's second page holds no other county's entry.
    let (_, first) = get(&app, &xh_auditor, "/api/v1/audit?limit=2").await;
    let last = first.as_array().and_then(|a| a.last()).expect("entries")["id"].clone();
    let (_, rest) = get(
        &app,
        &xh_auditor,
        &format!("/api/v1/audit?limit=1000&before={last}"),
    )
    .await;
    assert!(!mentions(rest.as_array().expect("entries"), "sc_clerk"));
});
