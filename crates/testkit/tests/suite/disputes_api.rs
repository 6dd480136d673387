//! The dispute register through the API: an entry from creation to resolution, linked to
//! two petitions, with each change on its timeline; fields refused by name; entries
//! outside the reader's subtree do not exist for them.

use crate::supervision_common::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

pub fn entry(changes: Value) -> Value {
    let mut v = json!({
        "kind": "wage_arrears",
        "title": "某工地拖欠农民工工资",
        "region": "330106",
        "address": "西湖区某某路工地",
        "parties": "某建筑公司；18名工人",
        "people": 18,
        "scale": "large",
        "urgency": "urgent",
        "owner_name": "王副区长",
    });
    if let (Some(o), Some(c)) = (v.as_object_mut(), changes.as_object()) {
        for (k, x) in c {
            o.insert(k.clone(), x.clone());
        }
    }
    v
}

pub async fn create(app: &TestApp, c: &reqwest::Client, changes: Value) -> Value {
    let (status, d) = post(app, c, "/api/v1/disputes", &entry(changes)).await;
    assert_eq!(status, 201, "create: {d}");
    d
}

fn event_kinds(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

both_backends!(
    a_dispute_runs_from_entry_to_resolution_with_two_petitions,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let a = case_in(&app, &o, "330106", 2).await;
        let b = case_in(&app, &o, "330106", 1).await;
        let d = create(&app, &o.county_clerk, json!({"cases": [a]})).await;
        let id = d["id"].as_i64().expect("id");
        assert_eq!(d["outcome"], "open");
        assert_eq!(d["unit_code"], "330106");
        assert_eq!(d["cases"].as_array().expect("cases").len(), 1);

        let path = format!("/api/v1/disputes/{id}");
        let (s, d) = post(
            &app,
            &o.county_clerk,
            &format!("{path}/steps"),
            &json!({"what": "约谈建筑公司负责人", "due_on": days_ago(-5), "assignee": "区人社局"}),
        )
        .await;
        assert_eq!(s, 200, "{d}");
        let step = d["steps"][0]["id"].as_i64().expect("step");
        let (s, d) = post(
            &app,
            &o.county_clerk,
            &format!("{path}/mediations"),
            &json!({"held_on": days_ago(0), "mediator": "区人民调解委员会", "agreed": "公司分两期支付欠薪"}),
        )
        .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["mediations"][0]["mediator"], "区人民调解委员会");
        let (s, d) = post(
            &app,
            &o.county_clerk,
            &format!("{path}/cases"),
            &json!({"cases": [a, b]}),
        )
        .await;
        assert_eq!(s, 200, "{d}");
        let nos: Vec<&str> = d["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| c["state"].as_str().expect("state"))
            .collect();
        assert_eq!(nos, ["open", "open"], "{d}");
        assert!(d["cases"][0]["case_no"]
            .as_str()
            .is_some_and(|n| !n.is_empty()));
        let (s, _) = post(
            &app,
            &o.county_clerk,
            &format!("{path}/steps/{step}/done"),
            &json!({}),
        )
        .await;
        assert_eq!(s, 200);
        let (s, d) = post(
            &app,
            &o.county_clerk,
            &format!("{path}/outcome"),
            &json!({"outcome": "resolved"}),
        )
        .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["outcome"], "resolved");
        assert_eq!(d["closed_on"], days_ago(0));
        // Closed entries take no more steps.
        let again = post(
            &app,
            &o.county_clerk,
            &format!("{path}/outcome"),
            &json!({"outcome": "resolved"}),
        )
        .await;
        assert_error(&again, 422, "validation_failed");
        assert_eq!(field(&again.1, "outcome"), "already_closed");

        let (s, ev) = get(&app, &o.city_sup, &format!("{path}/events")).await;
        assert_eq!(s, 200, "{ev}");
        assert_eq!(
            event_kinds(&ev),
            [
                "created",
                "case_linked",
                "step_added",
                "mediation",
                "case_linked",
                "step_done",
                "closed"
            ]
        );
        assert_eq!(ev[0]["actor_name"], "xh_clerk");
        // Auditors read, but do not keep the register.
        let (s, _) = get(&app, &o.auditor, &path).await;
        assert_eq!(s, 200);
        let no = post(&app, &o.auditor, "/api/v1/disputes", &entry(json!({}))).await;
        assert_error(&no, 403, "forbidden");
    }
);

both_backends!(
    entries_outside_the_subtree_do_not_exist_for_the_reader,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let d = create(&app, &o.county_clerk, json!({})).await;
        let id = d["id"].as_i64().expect("id");
        for path in [
            format!("/api/v1/disputes/{id}"),
            format!("/api/v1/disputes/{id}/events"),
        ] {
            let got = get(&app, &o.other_clerk, &path).await;
            assert_error(&got, 404, "not_found");
        }
        let got = post(
            &app,
            &o.other_clerk,
            &format!("/api/v1/disputes/{id}/steps"),
            &json!({"what": "x", "due_on": days_ago(0), "assignee": "y"}),
        )
        .await;
        assert_error(&got, 404, "not_found");
        let (_, list) = get(&app, &o.other_clerk, "/api/v1/disputes").await;
        assert_eq!(list, json!([]));
        let (_, list) = get(&app, &o.city_sup, "/api/v1/disputes?unit=330106").await;
        assert_eq!(list.as_array().expect("list").len(), 1);
        // The other county's clerk may not link this county's petitions either.
        let c = case_in(&app, &o, "330106", 1).await;
        let got = post(
            &app,
            &o.other_clerk,
            "/api/v1/disputes",
            &entry(json!({"cases": [c], "region": "330102"})),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "cases"), "not_found");
        // The page says the same.
        let (s, _) = get(&app, &o.other_clerk, &format!("/staff/disputes/{id}")).await;
        assert_eq!(s, 404);
    }
);

both_backends!(
    bad_fields_are_named_and_nothing_is_saved,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let got = post(
            &app,
            &o.county_clerk,
            "/api/v1/disputes",
            &entry(
                json!({"kind": "person", "title": " ", "region": "99", "people": 0,
            "owner_user": "sc_clerk", "unit": "330102"}),
            ),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        for (f, code) in [
            ("kind", "invalid"),
            ("title", "required"),
            ("region", "invalid_region"),
            ("people", "invalid"),
            ("unit", "not_found"),
            ("owner_user", "not_in_unit"),
        ] {
            assert_eq!(field(&got.1, f), code, "{f}: {}", got.1);
        }
        let (_, list) = get(&app, &o.county_clerk, "/api/v1/disputes").await;
        assert_eq!(list, json!([]));
        let d = create(&app, &o.county_clerk, json!({"owner_user": "xh_sup"})).await;
        assert!(d["owner_user_id"].is_i64(), "{d}");
        let id = d["id"].as_i64().expect("id");
        let got = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/disputes/{id}/steps"),
            &json!({"what": "", "due_on": "tomorrow", "assignee": ""}),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "due_on"), "invalid_date");
        assert_eq!(field(&got.1, "what"), "required");
        let got = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/disputes/{id}/outcome"),
            &json!({"outcome": "referred"}),
        )
        .await;
        assert_eq!(field(&got.1, "channel"), "required");
        let got = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/disputes/{id}/outcome"),
            &json!({"outcome": "unresolved"}),
        )
        .await;
        assert_eq!(field(&got.1, "note"), "required");
        let (s, d) = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/disputes/{id}/outcome"),
            &json!({"outcome": "referred", "channel": "labour_arbitration"}),
        )
        .await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["channel"], "labour_arbitration");
        let got = get(&app, &o.county_clerk, "/api/v1/disputes?kind=person").await;
        assert_error(&got, 422, "validation_failed");
    }
);
