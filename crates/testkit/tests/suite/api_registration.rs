//! The JSON API as a client sees it: registration — numbers and codes, invalid and
//! malformed bodies, markup stored verbatim, group and anonymous petitions — on SQLite and
//! on PostgreSQL. The queue and corrections are in `api_queue.rs`, attachments in
//! `api_attachments.rs`, logging in and tokens in `api_session.rs`, administration in
//! `api_admin.rs`.

use chrono::Datelike;
use reqwest::header::CONTENT_TYPE;
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

both_backends!(
    registration_returns_number_code_and_case,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        let year = app.config.today().year();
        let made = register(&app, &admin, &sample_case()).await;
        let id = made["id"].as_i64().expect("id");
        assert_eq!(made["case_no"], format!("ROOT-{year}-000001"));
        let code = made["query_code"].as_str().expect("query code");
        assert_eq!(code.len(), 8, "{code}");
        assert!(
            code.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
            "{code}"
        );
        assert!(
            !code.contains(['0', 'O', '1', 'I']),
            "no look-alike characters: {code}"
        );
        let case = &made["case"];
        assert_eq!(case["id"], id);
        assert_eq!(case["case_no"], made["case_no"]);
        assert_eq!(case["query_code"], code);
        assert_eq!(case["channel"], "visit");
        assert_eq!(case["type"], "claim");
        assert_eq!(case["category"], "labor.wages");
        assert_eq!(case["state"], "open");
        assert_eq!(case["unit_code"], "ROOT");
        assert_eq!(case["received_on"], app.config.today().to_string());
        assert_eq!(case["content"], sample_case()["content"]);

        let second = register(&app, &admin, &sample_case()).await;
        assert_eq!(second["case_no"], format!("ROOT-{year}-000002"));
        assert_ne!(second["query_code"], made["query_code"]);

        let before = audit(&app, &admin, "read_personal_data").await.len();
        let (status, read) = get(&app, &admin, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read["case_no"], made["case_no"]);
        let petitioners = read["petitioners"].as_array().expect("petitioners");
        assert_eq!(petitioners.len(), 1);
        assert_eq!(petitioners[0]["name"], "张三");
        assert_eq!(petitioners[0]["phone"], "13800000000");
        assert_eq!(petitioners[0]["address"], "西湖区文三路1号");
        assert_eq!(read["respondent"], "某建筑公司");
        assert_eq!(read["demands"], "请求督促支付拖欠工资。");
        let reads = audit(&app, &admin, "read_personal_data").await;
        assert_eq!(reads.len(), before + 1, "{reads:?}");
        assert_eq!(reads[0]["target"], made["case_no"]);
        assert_eq!(reads[0]["actor_name"], "admin");

        let (status, events) = get(&app, &admin, &format!("/api/v1/cases/{id}/events")).await;
        assert_eq!(status, 200);
        let events = events.as_array().expect("events");
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0]["kind"], "registered");
        assert_eq!(events[0]["actor_name"], "admin");
        assert_eq!(events[0]["payload"]["case_no"], made["case_no"]);

        assert_error(
            &get(&app, &admin, "/api/v1/cases/999999").await,
            404,
            "not_found",
        );
        assert_eq!(
            get(&app, &admin, "/api/v1/cases/999999/events").await.0,
            404
        );
        assert_eq!(case_count(&app).await, 2);
    }
);

both_backends!(
    invalid_registrations_name_the_fields_and_store_nothing,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        let cases = [
            (json!({ "channel": "pigeon" }), "channel", "invalid_channel"),
            (json!({ "channel": "" }), "channel", "required"),
            (json!({ "type": "rumour" }), "type", "invalid_type"),
            (json!({ "region": "12" }), "region", "invalid_region"),
            (json!({ "region": "990102" }), "region", "invalid_region"),
            (
                json!({ "category": "nope" }),
                "category",
                "unknown_category",
            ),
            (
                json!({ "anonymous": true, "petitioners": [] }),
                "anonymous",
                "claim_not_anonymous",
            ),
            (json!({ "petitioners": [] }), "petitioners", "required"),
            (json!({ "content": "   " }), "content", "required"),
            (
                json!({ "content": "x".repeat(20_001) }),
                "content",
                "too_long",
            ),
            (json!({ "demands": "" }), "demands", "required"),
            (json!({ "headcount": 0 }), "headcount", "invalid_headcount"),
            (
                json!({ "received_on": "2999-01-01" }),
                "received_on",
                "date_in_future",
            ),
            (
                json!({ "received_on": "yesterday" }),
                "received_on",
                "invalid_date",
            ),
            (json!({ "unit": "NOWHERE" }), "unit", "unit_out_of_scope"),
            (
                json!({ "content": "bell\u{7}" }),
                "content",
                "invalid_characters",
            ),
            (
                json!({ "petitioners": [{ "name": "李四", "phone": "call me" }] }),
                "petitioners[0].phone",
                "invalid_phone",
            ),
            (
                json!({ "petitioners": [{ "name": "李四", "id_number": "123" }] }),
                "petitioners[0].id_number",
                "invalid_id_number",
            ),
            (
                json!({ "petitioners": [{ "name": "" }] }),
                "petitioners[0].name",
                "required",
            ),
        ];
        for (changes, name, code) in cases {
            let got = post(&app, &admin, "/api/v1/cases", &case_with(changes.clone())).await;
            assert_error(&got, 422, "validation_failed");
            assert_eq!(field(&got.1, name), code, "{changes} gave {}", got.1);
        }

        // Every problem is reported at once.
        let all = case_with(
            json!({ "channel": "pigeon", "region": "12", "category": "nope", "content": "" }),
        );
        let got = post(&app, &admin, "/api/v1/cases", &all).await;
        assert_error(&got, 422, "validation_failed");
        for name in ["channel", "region", "category", "content"] {
            assert!(
                !field(&got.1, name).is_empty(),
                "{name} missing from {}",
                got.1
            );
        }

        // A value of the wrong JSON type names its field.
        let got = post(
            &app,
            &admin,
            "/api/v1/cases",
            &case_with(json!({ "headcount": "many" })),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "headcount"), "invalid_type", "{}", got.1);
        let got = post(
            &app,
            &admin,
            "/api/v1/cases",
            &case_with(json!({ "petitioners": [{ "name": 7 }] })),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(
            field(&got.1, "petitioners[0].name"),
            "invalid_type",
            "{}",
            got.1
        );
        let got = post(
            &app,
            &admin,
            "/api/v1/cases",
            &json!("a string, not a registration"),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "body"), "invalid_type", "{}", got.1);
        assert_error(
            &post(&app, &admin, "/api/v1/cases", &json!([1, 2, 3])).await,
            422,
            "validation_failed",
        );

        assert_eq!(case_count(&app).await, 0);
        let (_, page) = get(&app, &admin, "/api/v1/cases").await;
        assert_eq!(page["items"].as_array().map(Vec::len), Some(0));
    }
);

both_backends!(
    malformed_bodies_are_refused_and_store_nothing,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        // With the session's CSRF token, so that the body itself is what is judged.
        let admin = login_with_csrf(&app, "admin", &app.admin_password).await;
        let url = app.url("/api/v1/cases");
        let json_body = |bytes: Vec<u8>| {
            admin
                .post(&url)
                .header(CONTENT_TYPE, "application/json")
                .body(bytes)
        };

        assert_error(
            &send(json_body(b"{\"channel\": ".to_vec())).await,
            400,
            "malformed_json",
        );
        assert_error(
            &send(json_body(b"not json at all".to_vec())).await,
            400,
            "malformed_json",
        );

        let text = serde_json::to_vec(&sample_case()).expect("json");
        let plain = admin
            .post(&url)
            .header(CONTENT_TYPE, "text/plain")
            .body(text.clone());
        assert_error(&send(plain).await, 415, "unsupported_media_type");
        assert_error(
            &send(admin.post(&url).body(text)).await,
            415,
            "unsupported_media_type",
        );

        let huge = case_with(json!({ "content": "x".repeat(300_000) }));
        assert_error(
            &post(&app, &admin, "/api/v1/cases", &huge).await,
            413,
            "payload_too_large",
        );

        let mut bad_utf8 =
            br#"{"channel":"visit","type":"claim","category":"labor.wages","region":"330102","#
                .to_vec();
        bad_utf8.extend_from_slice(b"\"petitioners\":[{\"name\":\"\xff\xfe\"}],\"content\":\"\xc3\x28\",\"demands\":\"x\"}");
        let got = send(json_body(bad_utf8)).await;
        assert!(got.0.is_client_error(), "{} {}", got.0, got.1);
        assert!(got.1["error"].is_string(), "an error in JSON: {}", got.1);

        // The session and correction routes answer the same way.
        let session = app.url("/api/v1/session");
        let bare = Client::new();
        assert_error(
            &send(
                bare.post(&session)
                    .header(CONTENT_TYPE, "application/json")
                    .body("{"),
            )
            .await,
            400,
            "malformed_json",
        );
        assert_error(
            &send(bare.post(&session).body("username=admin")).await,
            415,
            "unsupported_media_type",
        );
        let made = register(&app, &admin, &sample_case()).await;
        let id = made["id"].as_i64().expect("id");
        let big_patch = json!({ "version": 1, "content": "x".repeat(300_000) });
        assert_error(
            &patch(&app, &admin, &format!("/api/v1/cases/{id}"), &big_patch).await,
            413,
            "payload_too_large",
        );
        let no_version = json!({ "content": "新内容" });
        assert_error(
            &patch(&app, &admin, &format!("/api/v1/cases/{id}"), &no_version).await,
            422,
            "validation_failed",
        );

        assert_eq!(
            case_count(&app).await,
            1,
            "only the one good registration is stored"
        );
        let (_, read) = get(&app, &admin, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(read["content"], sample_case()["content"]);
    }
);

both_backends!(
    markup_and_sql_are_stored_and_returned_verbatim,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        let nasty = "<script>alert(1)</script>'; DROP TABLE cases; --";
        let case = case_with(json!({
            "content": format!("{nasty}\n第二行 \"引号\" & <b>粗</b>"),
            "demands": nasty,
            "respondent": "Robert'); DROP TABLE petitioners;--",
            "petitioners": [{ "name": nasty, "phone": null, "id_number": null, "address": "' OR '1'='1" }],
        }));
        let made = register(&app, &admin, &case).await;
        let id = made["id"].as_i64().expect("id");
        for body in [
            made["case"].clone(),
            get(&app, &admin, &format!("/api/v1/cases/{id}")).await.1,
        ] {
            assert_eq!(body["content"], case["content"], "{body}");
            assert_eq!(body["demands"], nasty);
            assert_eq!(body["respondent"], case["respondent"]);
            assert_eq!(body["petitioners"][0]["name"], nasty);
            assert_eq!(body["petitioners"][0]["address"], "' OR '1'='1");
        }
        let res = admin
            .get(app.url(&format!("/api/v1/cases/{id}")))
            .send()
            .await
            .expect("get");
        let content_type = res
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );

        let (_, page) = get(&app, &admin, "/api/v1/cases").await;
        assert_eq!(
            page["items"].as_array().map(Vec::len),
            Some(1),
            "the table is still there"
        );
        assert!(
            page["items"][0]["excerpt"]
                .as_str()
                .is_some_and(|e| e.starts_with("<script>")),
            "{page}"
        );
        let (_, found) = get(&app, &admin, "/api/v1/cases?channel=visit'%20OR%20'1'='1").await;
        assert_eq!(
            found["items"].as_array().map(Vec::len),
            Some(0),
            "a filter value is data, not SQL"
        );
    }
);

both_backends!(group_and_anonymous_petitions, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let workers: Vec<Value> = (0..7)
        .map(|i| json!({ "name": format!("工人{i}") }))
        .collect();
    let group =
        case_with(json!({ "headcount": 30, "petitioners": workers, "representatives": [0, 1] }));
    let made = register(&app, &admin, &group).await;
    let case = &made["case"];
    assert_eq!(case["headcount"], 30);
    let petitioners = case["petitioners"].as_array().expect("petitioners");
    assert_eq!(petitioners.len(), 7);
    let reps: Vec<bool> = petitioners
        .iter()
        .map(|p| p["representative"] == true)
        .collect();
    assert_eq!(reps, [true, true, false, false, false, false, false]);

    let by_name =
        case_with(json!({ "headcount": 30, "petitioners": workers, "representatives": ["工人3"] }));
    let made = register(&app, &admin, &by_name).await;
    assert_eq!(made["case"]["petitioners"][3]["representative"], true);

    let too_many = case_with(
        json!({ "headcount": 30, "petitioners": workers, "representatives": [0, 1, 2, 3, 4, 5] }),
    );
    let got = post(&app, &admin, "/api/v1/cases", &too_many).await;
    assert_error(&got, 422, "validation_failed");
    assert_eq!(field(&got.1, "representatives"), "too_many_representatives");
    let stranger =
        case_with(json!({ "headcount": 30, "petitioners": workers, "representatives": ["外人"] }));
    assert_eq!(
        field(
            &post(&app, &admin, "/api/v1/cases", &stranger).await.1,
            "representatives"
        ),
        "representative_not_petitioner"
    );
    let small = case_with(
        json!({ "headcount": 2, "petitioners": [workers[0], workers[1]], "representatives": [0] }),
    );
    assert_eq!(
        field(
            &post(&app, &admin, "/api/v1/cases", &small).await.1,
            "representatives"
        ),
        "representatives_need_group"
    );
    let below = case_with(json!({ "headcount": 3, "petitioners": workers }));
    assert_eq!(
        field(
            &post(&app, &admin, "/api/v1/cases", &below).await.1,
            "headcount"
        ),
        "headcount_below_petitioners"
    );

    let anonymous = case_with(
        json!({ "type": "accusation", "anonymous": true, "petitioners": [], "demands": null }),
    );
    let made = register(&app, &admin, &anonymous).await;
    assert_eq!(made["case"]["anonymous"], true);
    assert_eq!(made["case"]["type"], "accusation");
    assert_eq!(
        made["case"]["petitioners"].as_array().map(Vec::len),
        Some(0)
    );
    let reads = audit(&app, &admin, "read_personal_data").await.len();
    let id = made["id"].as_i64().expect("id");
    assert_eq!(
        get(&app, &admin, &format!("/api/v1/cases/{id}")).await.0,
        200
    );
    assert_eq!(
        audit(&app, &admin, "read_personal_data").await.len(),
        reads,
        "no personal data, no audit entry"
    );

    let named = case_with(json!({ "type": "accusation", "anonymous": true }));
    assert_eq!(
        field(
            &post(&app, &admin, "/api/v1/cases", &named).await.1,
            "petitioners"
        ),
        "anonymous_with_petitioners"
    );
    assert_eq!(case_count(&app).await, 3);
});
