//! Every change to a case bumps its version, so that the events of one case are strictly
//! ordered and a correction prepared before someone else's change is refused as stale:
//! naming the owner leader, telling people to attend a group visit and recording who
//! came each count, on SQLite and on PostgreSQL.

use crate::common;

use common::*;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

both_backends!(owner_and_attendance_bump_the_version, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let p = people(&app).await;
    let mut group = sample_case();
    group["unit"] = json!("330106");
    group["headcount"] = json!(25);
    group["petitioners"] = json!([{"name":"甲"},{"name":"乙"},{"name":"丙"}]);
    group["representatives"] = json!([0, 1]);
    let made = register(&app, &p.sup, &group).await;
    let id = made["id"].as_i64().expect("id");
    let path = format!("/api/v1/cases/{id}");
    let version = |v: &serde_json::Value| v["version"].as_i64().expect("version");
    let v0 = version(&made["case"]);

    let (status, _) = post(
        &app,
        &p.sup,
        &format!("{path}/owner"),
        &json!({"user": "root_leader"}),
    )
    .await;
    assert_eq!(status, 204);
    let v1 = version(&get(&app, &p.sup, &path).await.1);
    assert_eq!(v1, v0 + 1, "naming the owner is a change");

    // A correction prepared before the owner was named is stale.
    let stale = patch(
        &app,
        &p.sup,
        &path,
        &json!({"version": v0, "content": "改"}),
    )
    .await;
    assert_error(&stale, 409, "version_conflict");
    assert_eq!(stale.1["current_version"], v1);

    let notify = format!("{path}/attendance/notify");
    let (status, a) = post(&app, &p.sup, &notify, &json!({})).await;
    assert_eq!(status, 200, "{a}");
    let v2 = version(&get(&app, &p.sup, &path).await.1);
    assert_eq!(v2, v1 + 1, "telling people to attend is a change");
    // Telling the same people again tells nobody and changes nothing.
    post(&app, &p.sup, &notify, &json!({})).await;
    assert_eq!(version(&get(&app, &p.sup, &path).await.1), v2);

    let (status, a) = post(
        &app,
        &p.sup,
        &format!("{path}/attendance"),
        &json!({"attended": ["xh_leader"]}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let v3 = version(&get(&app, &p.sup, &path).await.1);
    assert_eq!(v3, v2 + 1, "recording who came is a change");

    // The events of the case are in the order of its changes.
    let (_, events) = get(&app, &p.sup, &format!("{path}/events")).await;
    let kinds: Vec<&str> = events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    let at = |k: &str| kinds.iter().position(|x| *x == k).expect(k);
    assert!(
        at("owner_assigned") < at("attendance_notified"),
        "{kinds:?}"
    );
    assert!(
        at("attendance_notified") < at("attendance_recorded"),
        "{kinds:?}"
    );

    // The current version still corrects.
    let (status, fixed) = patch(
        &app,
        &p.sup,
        &path,
        &json!({"version": v3, "content": "改"}),
    )
    .await;
    assert_eq!(status, 200, "{fixed}");
    assert_eq!(version(&fixed), v3 + 1);
});
