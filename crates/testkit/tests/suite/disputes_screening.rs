//! Screening campaigns (排查): the city opens one for two counties; one answers
//! "nothing found", the other with an entry it registered; the progress by unit says so.

use crate::disputes_api::create;
use crate::supervision_common::*;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(a_campaign_shows_each_units_answer, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    let body = json!({"title": "春节前矛盾纠纷排查", "sectors": "建筑工地、劳动密集型企业",
        "starts_on": days_ago(5), "ends_on": days_ago(-10), "units": ["330106", "330102"]});
    // Only units below the issuer, and a period that ends after it starts.
    let bad = post(
        &app,
        &o.city_sup,
        "/api/v1/screenings",
        &json!({"title": "x", "starts_on": days_ago(0), "ends_on": days_ago(1), "units": ["3301"]}),
    )
    .await;
    assert_error(&bad, 422, "validation_failed");
    assert_eq!(field(&bad.1, "units"), "not_below");
    assert_eq!(field(&bad.1, "ends_on"), "before_start");
    let no = post(&app, &o.county_clerk, "/api/v1/screenings", &body).await;
    assert_error(&no, 403, "forbidden");
    let (s, c) = post(&app, &o.city_sup, "/api/v1/screenings", &body).await;
    assert_eq!(s, 201, "{c}");
    let id = c["id"].as_i64().expect("id");
    assert_eq!(c["units"], 2);
    assert_eq!(c["answered"], 0);

    let (s, c) = post(
        &app,
        &o.other_clerk,
        &format!("/api/v1/screenings/{id}/answer"),
        &json!({"answer": "nothing_found"}),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    let d = create(&app, &o.county_clerk, json!({})).await;
    let empty = post(
        &app,
        &o.county_clerk,
        &format!("/api/v1/screenings/{id}/answer"),
        &json!({"answer": "found"}),
    )
    .await;
    assert_eq!(field(&empty.1, "disputes"), "required");
    let (s, c) = post(
        &app,
        &o.county_clerk,
        &format!("/api/v1/screenings/{id}/answer"),
        &json!({"answer": "found", "disputes": [d["id"]]}),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["answered"], 2);
    let unit = |code: &str| {
        c["covered"]
            .as_array()
            .expect("covered")
            .iter()
            .find(|u| u["code"] == code)
            .expect("unit")
            .clone()
    };
    assert_eq!(unit("330102")["answer"], "nothing_found");
    assert_eq!(unit("330106")["answer"], "found");
    assert_eq!(unit("330106")["found"], 1);
    assert_eq!(unit("330106")["findings"][0]["title"], d["title"]);
    // A unit sees the campaign that covers it; an unrelated auditor at the root sees it too,
    // but a unit the campaign does not cover cannot answer.
    let (s, list) = get(&app, &o.other_clerk, "/api/v1/screenings").await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().expect("list").len(), 1);
    let (_, ev) = get(
        &app,
        &o.city_sup,
        &format!("/api/v1/screenings/{id}/events"),
    )
    .await;
    assert_eq!(ev.as_array().expect("events").len(), 3, "{ev}");
    let no = post(
        &app,
        &o.city_sup,
        &format!("/api/v1/screenings/{id}/answer"),
        &json!({"answer": "nothing_found"}),
    )
    .await;
    assert_error(&no, 403, "forbidden");
});
