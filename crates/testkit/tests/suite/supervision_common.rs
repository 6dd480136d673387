//! People and cases shared by the supervision suites: a city office above a county, a
//! second county beside it, and cases registered late in the first county.
#![allow(dead_code)]

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::TestApp;

pub struct Office {
    pub admin: Client,
    /// The city petition office's supervisor and leader.
    pub city_sup: Client,
    pub city_leader: Client,
    /// The county's clerk, supervisor and leader.
    pub county_clerk: Client,
    pub county_sup: Client,
    /// A clerk of the county beside it.
    pub other_clerk: Client,
    pub auditor: Client,
}

pub async fn office(app: &TestApp) -> Office {
    let admin = app.admin().await;
    app.unit(&admin, "3301", "杭州市信访局", "city", "ROOT")
        .await;
    app.unit(&admin, "330106", "西湖区信访局", "county", "3301")
        .await;
    app.unit(&admin, "330102", "上城区信访局", "county", "3301")
        .await;
    Office {
        city_sup: app.user(&admin, "hz_sup", "supervisor", "3301").await,
        city_leader: app.user(&admin, "hz_leader", "leader", "3301").await,
        county_clerk: app.user(&admin, "xh_clerk", "clerk", "330106").await,
        county_sup: app.user(&admin, "xh_sup", "supervisor", "330106").await,
        other_clerk: app.user(&admin, "sc_clerk", "clerk", "330102").await,
        auditor: app.user(&admin, "auditor1", "auditor", "ROOT").await,
        admin,
    }
}

/// The office's date `n` days ago.
pub fn days_ago(n: i64) -> String {
    ((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() - chrono::Duration::days(n))
        .to_string()
}

/// Registers a case in `unit` received `days` days ago; returns its id.
pub async fn case_in(app: &TestApp, o: &Office, unit: &str, days: i64) -> i64 {
    let v = register(
        app,
        &o.admin,
        &case_with(json!({"unit": unit, "received_on": days_ago(days)})),
    )
    .await;
    v["id"].as_i64().expect("id")
}

pub async fn events_of(app: &TestApp, c: &Client, id: i64) -> Vec<Value> {
    let (status, v) = get(app, c, &format!("/api/v1/cases/{id}/events")).await;
    assert_eq!(status, 200, "events: {v}");
    v.as_array().expect("events").clone()
}

pub fn kinds(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| e["kind"].as_str().map(String::from))
        .collect()
}

pub async fn notes(app: &TestApp, c: &Client) -> Vec<String> {
    let (_, v) = get(app, c, "/api/v1/notifications").await;
    v.as_array()
        .expect("notifications")
        .iter()
        .filter_map(|n| n["kind"].as_str().map(String::from))
        .collect()
}
