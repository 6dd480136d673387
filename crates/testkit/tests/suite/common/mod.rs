//! People and helpers shared by the lifecycle suites.

#![allow(dead_code)]

use reqwest::Client;
use serde_json::Value;
use testkit::http::*;
use testkit::TestApp;

pub async fn act(
    app: &TestApp,
    c: &Client,
    id: i64,
    action: &str,
    body: Value,
) -> (reqwest::StatusCode, Value) {
    post(
        app,
        c,
        &format!("/api/v1/cases/{id}/actions/{action}"),
        &body,
    )
    .await
}

pub async fn ok(app: &TestApp, c: &Client, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = act(app, c, id, action, body).await;
    assert_eq!(status, 200, "{action}: {v}");
    v
}

pub fn today() -> String {
    // The office's date (Asia/Shanghai), as the server counts it.
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

pub struct People {
    pub sup: Client,
    pub handler: Client,
    pub leader: Client,
    pub clerk: Client,
    pub root_leader: Client,
    pub auditor: Client,
    pub other_clerk: Client,
}

pub async fn people(app: &TestApp) -> People {
    let admin = app.admin().await;
    app.unit(&admin, "330106", "西湖区信访局", "county", "ROOT")
        .await;
    app.unit(&admin, "330102", "上城区信访局", "county", "ROOT")
        .await;
    People {
        sup: app.user(&admin, "sup", "supervisor", "ROOT").await,
        handler: app.user(&admin, "xh_handler", "handler", "330106").await,
        leader: app.user(&admin, "xh_leader", "leader", "330106").await,
        clerk: app.user(&admin, "xh_clerk", "clerk", "330106").await,
        root_leader: app.user(&admin, "root_leader", "leader", "ROOT").await,
        auditor: app.user(&admin, "auditor1", "auditor", "ROOT").await,
        other_clerk: app.user(&admin, "sc_clerk", "clerk", "330102").await,
    }
}
