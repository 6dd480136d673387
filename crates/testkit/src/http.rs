//! Small HTTP helpers for the API suites.

use crate::{sample_case, TestApp};
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};

/// Sends a request and returns its status and body (JSON, or the text as a JSON string).
pub async fn send(req: RequestBuilder) -> (StatusCode, Value) {
    let res = req.send().await.expect("request");
    let status = res.status();
    let text = res.text().await.expect("response body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub async fn get(app: &TestApp, c: &Client, path: &str) -> (StatusCode, Value) {
    send(c.get(app.url(path))).await
}

pub async fn post(app: &TestApp, c: &Client, path: &str, body: &Value) -> (StatusCode, Value) {
    send(c.post(app.url(path)).json(body)).await
}

pub async fn patch(app: &TestApp, c: &Client, path: &str, body: &Value) -> (StatusCode, Value) {
    send(c.patch(app.url(path)).json(body)).await
}

/// Asserts an error answer: its status and its stable code.
pub fn assert_error(got: &(StatusCode, Value), status: u16, code: &str) {
    assert_eq!(
        got.0.as_u16(),
        status,
        "expected {status} {code}, got {} {}",
        got.0,
        got.1
    );
    assert_eq!(got.1["error"], code, "{}", got.1);
    assert!(
        got.1["message"].as_str().is_some_and(|m| !m.is_empty()),
        "an error has a message: {}",
        got.1
    );
}

/// The code a validation error gives `field`.
pub fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v["fields"][name].as_str().unwrap_or("")
}

/// Registers a case and returns the 201 body.
pub async fn register(app: &TestApp, c: &Client, case: &Value) -> Value {
    let (status, body) = post(app, c, "/api/v1/cases", case).await;
    assert_eq!(status, 201, "register: {body}");
    body
}

pub fn case_with(changes: Value) -> Value {
    let mut case = sample_case();
    for (k, v) in changes.as_object().expect("an object of changes") {
        case[k] = v.clone();
    }
    case
}

pub async fn case_count(app: &TestApp) -> i64 {
    app.store.case_count().await.expect("case count")
}

/// Audit entries with this action, newest first, read by an admin.
pub async fn audit(app: &TestApp, admin: &Client, action: &str) -> Vec<Value> {
    let (status, body) = get(app, admin, &format!("/api/v1/audit?action={action}")).await;
    assert_eq!(status, 200, "audit: {body}");
    body.as_array().expect("audit entries").clone()
}

/// Logs in with a client that keeps no cookies and returns the session cookie's value.
pub async fn session_cookie(app: &TestApp, username: &str, password: &str) -> String {
    let res = Client::new()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200);
    let header = res
        .headers()
        .get(SET_COOKIE)
        .expect("set-cookie")
        .to_str()
        .expect("ascii cookie");
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Strict"),
        "{header}"
    );
    let pair = header.split(';').next().expect("cookie pair");
    pair.strip_prefix("hearken_session=")
        .expect("the session cookie")
        .to_string()
}

pub async fn me_with_cookie(app: &TestApp, cookie: &str) -> StatusCode {
    let res = Client::new()
        .get(app.url("/api/v1/me"))
        .header(COOKIE, format!("hearken_session={cookie}"))
        .send()
        .await
        .expect("me");
    res.status()
}

/// A client logged in as `username` that sends its session's CSRF token on every
/// request, as Hearken's own pages would: multipart and bodiless API calls on a session
/// cookie need it (`X-CSRF-Token`).
pub async fn login_with_csrf(app: &TestApp, username: &str, password: &str) -> Client {
    let res = Client::new()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200, "login as {username}");
    let cookie = res
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("the session cookie")
        .to_string();
    let body: Value = res.json().await.expect("login json");
    let csrf = body["csrf_token"].as_str().expect("csrf_token");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(COOKIE, cookie.parse().expect("cookie header"));
    headers.insert("x-csrf-token", csrf.parse().expect("csrf header"));
    Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}
