//! Helpers shared by the portal suites (`api_public_*.rs`).
#![allow(dead_code)]

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use testkit::http::*;
use testkit::TestApp;

pub fn office_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

pub fn petition() -> Value {
    json!({
        "type": "claim", "category": "labor.wages", "region": "330106",
        "respondent": "某建筑公司", "content": "我在某工地务工，被拖欠工资三个月。",
        "demands": "请求督促支付拖欠工资。", "name": "张三", "phone": "13800000000"
    })
}

/// A client with no cookies, as an app would be.
pub fn public() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn submit(app: &TestApp, body: &Value) -> (String, String) {
    let (status, v) = post(app, &public(), "/api/v1/public/petitions", body).await;
    assert_eq!(status, 201, "submit: {v}");
    (
        v["case_no"].as_str().expect("case_no").to_string(),
        v["query_code"].as_str().expect("query_code").to_string(),
    )
}

pub async fn track(app: &TestApp, case_no: &str, code: &str) -> (StatusCode, Value) {
    get(
        app,
        &public(),
        &format!("/api/v1/public/cases/{case_no}?code={code}"),
    )
    .await
}

/// The hidden CSRF token of a page's first form.
pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a csrf field")
        .to_string()
}

pub async fn page(c: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.expect("get page");
    let status = res.status();
    (status, res.text().await.expect("page text"))
}

pub async fn act(app: &TestApp, c: &Client, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = post(
        app,
        c,
        &format!("/api/v1/cases/{id}/actions/{action}"),
        &body,
    )
    .await;
    assert_eq!(status, 200, "{action}: {v}");
    v
}
