//! The API keeps the contract its OpenAPI document states: requests that do not parse get
//! the JSON error body with a 4xx (never axum's text/plain), a `limit` over the maximum
//! gets 422, and `/api/openapi.json` documents the error answers, the rate limits, the
//! registration bodies and the code and password rules. On SQLite and PostgreSQL.

use reqwest::{Method, Response};
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

/// The status, the content type and the body as JSON (Null if it is not JSON).
async fn answer(res: Response) -> (u16, String, Value) {
    let status = res.status().as_u16();
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = res.text().await.expect("body");
    (
        status,
        ctype,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// Asserts a JSON error answer with this status and code.
fn json_error(got: &(u16, String, Value), status: u16, code: &str, what: &str) {
    assert_eq!(got.0, status, "{what}: {got:?}");
    assert!(
        got.1.starts_with("application/json"),
        "{what}: the error is JSON, not {:?}",
        got.1
    );
    assert_eq!(got.2["error"], code, "{what}: {got:?}");
    assert!(
        got.2["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: an error has a message: {got:?}"
    );
}

both_backends!(unparsable_requests_answer_json_errors, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let made = register(&app, &admin, &sample_case()).await;
    let id = made["id"].as_i64().expect("id");
    let send = |method: Method, path: &str| admin.request(method, app.url(path));

    // A path parameter that does not parse names no record: 404, in JSON.
    for path in [
        "/api/v1/cases/abc",
        "/api/v1/cases/99999999999999999999999",
        "/api/v1/cases/1.5/events",
        &format!("/api/v1/cases/{id}/attachments/x"),
        "/api/v1/users/me/password",
    ] {
        let method = if path.ends_with("/password") {
            Method::POST
        } else {
            Method::GET
        };
        let body = json!({ "password": "Another-pass-1" });
        let got = answer(send(method, path).json(&body).send().await.expect("send")).await;
        json_error(&got, 404, "not_found", path);
    }
    let got = answer(
        send(Method::POST, "/api/v1/cases/abc/actions/accept")
            .json(&json!({}))
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(
        &got,
        404,
        "not_found",
        "an action on a case id that does not parse",
    );
    // A path no route has, under /api, is JSON too; so is a method a route lacks.
    let got = answer(
        send(Method::GET, "/api/v1/nothing-here")
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(&got, 404, "not_found", "an unknown API path");
    let got = answer(
        send(Method::PUT, "/api/v1/cases")
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(&got, 405, "method_not_allowed", "PUT on the queue");

    // A query parameter that does not parse: 422, naming it.
    for (path, param) in [
        ("/api/v1/cases?limit=lots", "limit"),
        ("/api/v1/audit?before=yesterday", "before"),
    ] {
        let got = answer(send(Method::GET, path).send().await.expect("send")).await;
        json_error(&got, 422, "validation_failed", path);
        assert_eq!(got.2["fields"][param], "invalid", "{path}: {:?}", got.2);
    }
    let got = answer(
        send(Method::GET, "/api/v1/cases?region=33x")
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(
        &got,
        422,
        "validation_failed",
        "a region prefix that is not digits",
    );
    assert_eq!(got.2["fields"]["region"], "invalid_region");

    // Bodies: malformed JSON is 400, another content type 415, both in JSON.
    let got = answer(
        send(Method::POST, "/api/v1/cases")
            .header("content-type", "application/json")
            .body("{\"channel\": ")
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(&got, 400, "malformed_json", "a cut-off registration");
    let got = answer(
        send(Method::POST, "/api/v1/tokens")
            .header("content-type", "text/plain")
            .body("name=x")
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(&got, 415, "unsupported_media_type", "a token as text/plain");
    let got = answer(
        send(Method::POST, &format!("/api/v1/cases/{id}/attachments"))
            .json(&json!({ "attachments": [] }))
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(&got, 415, "unsupported_media_type", "attachments as JSON");
    let got = answer(
        send(Method::POST, &format!("/api/v1/cases/{id}/attachments"))
            .header("content-type", "multipart/form-data; boundary=XYZ")
            .body("this is not multipart")
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert!(
        matches!(got.0, 400 | 422) && got.1.starts_with("application/json"),
        "a broken multipart body gets a JSON 4xx: {got:?}"
    );

    // The public API, with no login: a case number with bytes that are not UTF-8, and a
    // petition that is not JSON.
    let public = app.client();
    let got = answer(
        public
            .get(app.url("/api/v1/public/cases/%FF%FE?code=ABCDEFGH"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(&got, 404, "not_found", "a case number that is not UTF-8");
    let got = answer(
        public
            .post(app.url("/api/v1/public/petitions"))
            .header("content-type", "text/plain")
            .body("hello")
            .send()
            .await
            .expect("send"),
    )
    .await;
    json_error(
        &got,
        415,
        "unsupported_media_type",
        "a petition as text/plain",
    );
});

both_backends!(a_limit_over_the_maximum_is_refused, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    register(&app, &admin, &sample_case()).await;
    for (path, ok) in [
        ("/api/v1/cases?limit=201", false),
        ("/api/v1/cases?limit=0", false),
        ("/api/v1/cases?limit=-5", false),
        ("/api/v1/cases?limit=200", true),
        ("/api/v1/cases?limit=1", true),
        ("/api/v1/audit?limit=1001", false),
        ("/api/v1/audit?limit=1000", true),
    ] {
        let got = get(&app, &admin, path).await;
        if ok {
            assert_eq!(got.0, 200, "{path}: {}", got.1);
        } else {
            assert_error(&got, 422, "validation_failed");
            assert_eq!(field(&got.1, "limit"), "out_of_range", "{path}: {}", got.1);
        }
    }
    // The document states the same range.
    let (_, doc) = get(&app, &app.client(), "/api/openapi.json").await;
    let limit = param(&doc, "/api/v1/cases", "get", "limit");
    assert_eq!(limit["schema"]["maximum"], 200, "{limit}");
    assert_eq!(limit["schema"]["minimum"], 1, "{limit}");
    let limit = param(&doc, "/api/v1/audit", "get", "limit");
    assert_eq!(limit["schema"]["maximum"], 1000, "{limit}");
});

fn op<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is documented");
    op
}

fn param<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    op(doc, path, method)["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("{method} {path} documents `{name}`"))
}

/// Follows a `$ref` into the components.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or("")],
        None => schema,
    }
}

fn error_body_ref(response: &Value) -> &str {
    response["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .unwrap_or("")
}

both_backends!(the_document_states_the_contract, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let (status, doc) = get(&app, &app.client(), "/api/openapi.json").await;
    assert_eq!(status, 200);
    let error = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(error["required"], json!(["error", "message"]), "{error}");
    assert!(error["properties"]["fields"].is_object(), "{error}");

    // The error answers, each with the JSON error body.
    let cases_post = op(&doc, "/api/v1/cases", "post");
    for status in ["400", "401", "403", "413", "415", "422"] {
        assert_eq!(
            error_body_ref(&cases_post["responses"][status]),
            "#/components/schemas/ErrorBody",
            "POST /api/v1/cases documents {status}"
        );
    }
    let list = op(&doc, "/api/v1/cases", "get");
    assert!(list["responses"]["422"].is_object(), "the queue's 422");
    let one = op(&doc, "/api/v1/cases/{id}", "get");
    assert!(one["responses"]["404"].is_object(), "a case's 404");
    assert!(
        one["security"].is_array(),
        "a staff route names how to log in"
    );
    for (path, method) in [
        ("/api/v1/public/petitions", "post"),
        ("/api/v1/public/cases/{case_no}", "get"),
        ("/api/v1/public/cases/{case_no}/rating", "post"),
        ("/api/v1/public/cases/{case_no}/review-request", "post"),
        ("/api/v1/public/appointments", "post"),
        ("/api/v1/public/appointments/{ref_no}", "get"),
        ("/api/v1/public/appointments/{ref_no}/accept", "post"),
        ("/api/v1/session", "post"),
    ] {
        let limited = &op(&doc, path, method)["responses"]["429"];
        assert_eq!(
            error_body_ref(limited),
            "#/components/schemas/ErrorBody",
            "{method} {path} documents its rate limit"
        );
        assert!(
            limited["headers"]["Retry-After"].is_object(),
            "{method} {path}: 429 names Retry-After"
        );
    }
    let public_case = op(&doc, "/api/v1/public/cases/{case_no}", "get");
    assert!(public_case["responses"]["422"].is_object());

    // The two registration bodies: JSON, and multipart with a JSON part and files.
    for (path, part, schema) in [
        ("/api/v1/cases", "case", "NewCase"),
        ("/api/v1/public/petitions", "petition", "PublicPetition"),
    ] {
        let content = &op(&doc, path, "post")["requestBody"]["content"];
        let json_schema = resolve(&doc, &content["application/json"]["schema"]);
        assert_eq!(
            content["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}")
        );
        for field in ["type", "category", "region", "content"] {
            assert!(
                json_schema["required"]
                    .as_array()
                    .is_some_and(|r| r.contains(&json!(field))),
                "{schema} requires {field}: {json_schema}"
            );
        }
        assert_eq!(
            json_schema["properties"]["region"]["pattern"],
            domain::codes::REGION_CODE_PATTERN
        );
        assert_eq!(
            json_schema["properties"]["content"]["maxLength"],
            domain::registration::MAX_CONTENT_CHARS
        );
        let multipart = &content["multipart/form-data"];
        let form = resolve(&doc, &multipart["schema"]);
        assert!(form["properties"][part].is_object(), "{form}");
        assert_eq!(form["properties"]["attachments"]["type"], "array", "{form}");
        assert_eq!(
            multipart["encoding"][part]["contentType"],
            "application/json"
        );
    }
    let new_case = &doc["components"]["schemas"]["NewCase"];
    assert_eq!(new_case["properties"]["representatives"]["maxItems"], 5);
    assert!(new_case["properties"]["channel"]["enum"]
        .as_array()
        .is_some_and(|v| v.contains(&json!("visit"))));

    // The rules: passwords, usernames, unit codes, case numbers and query codes.
    let user = &doc["components"]["schemas"]["UserInput"]["properties"];
    assert_eq!(user["password"]["minLength"], 10, "{user}");
    assert!(user["password"]["pattern"].is_string(), "{user}");
    assert_eq!(user["username"]["pattern"], "^[A-Za-z0-9._-]{2,40}$");
    let reset = &doc["components"]["schemas"]["PasswordReset"]["properties"]["password"];
    assert_eq!(reset["minLength"], 10);
    let unit = &doc["components"]["schemas"]["UnitInput"]["properties"];
    assert_eq!(unit["code"]["pattern"], domain::codes::UNIT_CODE_PATTERN);
    let case_no = param(&doc, "/api/v1/public/cases/{case_no}", "get", "case_no");
    assert_eq!(case_no["schema"]["pattern"], domain::codes::CASE_NO_PATTERN);
    let code = param(&doc, "/api/v1/public/cases/{case_no}", "get", "code");
    assert_eq!(code["schema"]["pattern"], domain::codes::QUERY_CODE_PATTERN);

    // Operation ids are unique.
    let mut ids = vec![];
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("path item").values() {
            if let Some(id) = op["operationId"].as_str() {
                assert!(!ids.contains(&id.to_string()), "duplicate operationId {id}");
                ids.push(id.to_string());
            }
        }
    }
});
