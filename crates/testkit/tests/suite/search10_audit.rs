//! A search can match petitioners' names, so every search by a role that may read
//! personal data leaves an audit row: who searched, when, and the query, through the API
//! and through the search page. A search that finds a name is audited like any other;
//! another unit's admin does not see the row.

use crate::common;

use testkit::http::*;
use testkit::{both_backends, TestApp};

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

both_backends!(search10_name_searches_are_audited, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let p = common::people(&app).await;
    let case = register(
        &app,
        &p.clerk,
        &case_with(serde_json::json!({
            "content": "小区门口的路灯坏了两个月，晚上出行不安全。",
            "petitioners": [{"name": "欧阳娜娜", "phone": "13800000001", "id_number": null, "address": null}],
        })),
    )
    .await;
    let id = case["id"].as_i64().expect("id");
    let before = chrono::Utc::now().timestamp_millis();

    // By the petitioner's name, through the API, once the index has the case.
    let mut found = false;
    for _ in 0..100 {
        let (status, page) =
            get(&app, &p.clerk, &format!("/api/v1/search?q={}", enc("欧阳"))).await;
        if status == 200
            && page["items"]
                .as_array()
                .is_some_and(|i| i.iter().any(|h| h["id"] == id))
        {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "the clerk finds the case by the petitioner's name");
    // Through the staff search page.
    let res = p
        .clerk
        .get(app.url(&format!("/staff/search?q={}", enc("路灯 欧阳"))))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), 200);

    let rows = audit(&app, &admin, "searched_personal_data").await;
    let by_clerk: Vec<_> = rows
        .iter()
        .filter(|r| r["actor_name"] == "xh_clerk")
        .collect();
    assert!(
        by_clerk
            .iter()
            .any(|r| r["target"] == "欧阳" && r["detail"] == "api"),
        "{rows:?}"
    );
    assert!(
        by_clerk
            .iter()
            .any(|r| r["target"] == "路灯 欧阳" && r["detail"] == "page"),
        "{rows:?}"
    );
    assert!(by_clerk
        .iter()
        .all(|r| r["at"].as_i64().unwrap_or(0) >= before - 1000));
    // The auditor of the root unit reads them too.
    assert!(!audit(&app, &p.auditor, "searched_personal_data")
        .await
        .is_empty());

    // A clerk of another unit who searches is audited in that unit's scope; the first
    // unit's staff search left nothing about that unit.
    let (status, _) = get(
        &app,
        &p.other_clerk,
        &format!("/api/v1/search?q={}", enc("菜场")),
    )
    .await;
    assert_eq!(status, 200);
    let rows = audit(&app, &admin, "searched_personal_data").await;
    assert!(rows
        .iter()
        .any(|r| r["actor_name"] == "sc_clerk" && r["target"] == "菜场"));
});
