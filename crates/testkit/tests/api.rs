//! The JSON API as a client sees it: registration, the queue, corrections and
//! attachments, on SQLite and on PostgreSQL. Logging in and tokens are in
//! `api_session.rs`; administration, scope and the service endpoints in `api_admin.rs`.

use chrono::Datelike;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::multipart::{Form, Part};
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

both_backends!(the_queue_pages_and_filters, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let today = app.config.today();
    let day = |n: i64| (today - chrono::Duration::days(n)).to_string();
    let specs = [
        ("visit", "claim", "labor.wages", 30),
        ("letter", "claim", "labor.pension", 20),
        ("letter", "suggestion", "land.requisition", 10),
        ("online", "accusation", "housing.property", 5),
        ("visit", "suggestion", "labor.wages", 3),
        ("phone", "claim", "market.food", 1),
        ("letter", "accusation", "labor", 0),
    ];
    let mut ids = vec![];
    for (channel, kind, category, age) in specs {
        let case = case_with(
            json!({ "channel": channel, "type": kind, "category": category, "received_on": day(age) }),
        );
        ids.push(
            register(&app, &admin, &case).await["id"]
                .as_i64()
                .expect("id"),
        );
    }

    let mut seen = vec![];
    let mut path = "/api/v1/cases?limit=3".to_string();
    let mut pages = 0;
    loop {
        let (status, page) = get(&app, &admin, &path).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 3);
        assert!(
            items
                .iter()
                .all(|c| c.get("petitioners").is_none() && c.get("content").is_none()),
            "no personal data in the queue"
        );
        seen.extend(items.iter().map(|c| c["id"].as_i64().expect("id")));
        pages += 1;
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/cases?limit=3&cursor={next}"),
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(seen, ids, "every case once, in registration order");
    assert_eq!(pages, 3);

    let ids_of = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["id"].as_i64().expect("id"))
            .collect()
    };
    let pick = |which: &[usize]| -> Vec<i64> { which.iter().map(|i| ids[*i]).collect() };
    let filters = [
        ("channel=letter".to_string(), pick(&[1, 2, 6])),
        ("category=labor".into(), pick(&[0, 1, 4, 6])),
        ("category=labor.wages".into(), pick(&[0, 4])),
        ("category=lab".into(), vec![]),
        ("type=suggestion".into(), pick(&[2, 4])),
        ("type=accusation&channel=letter".into(), pick(&[6])),
        (format!("from={}", day(5)), pick(&[3, 4, 5, 6])),
        (format!("to={}", day(10)), pick(&[0, 1, 2])),
        (
            format!("from={}&to={}", day(20), day(3)),
            pick(&[1, 2, 3, 4]),
        ),
        ("region=3301".into(), ids.clone()),
        ("region=3302".into(), vec![]),
        ("state=open".into(), ids.clone()),
        ("state=closed".into(), vec![]),
        ("unit=root".into(), ids.clone()),
        ("unit=NOWHERE".into(), vec![]),
        ("channel=".into(), ids.clone()),
    ];
    for (query, expected) in filters {
        let (status, page) = get(&app, &admin, &format!("/api/v1/cases?{query}")).await;
        assert_eq!(status, 200, "{query}: {page}");
        assert_eq!(ids_of(&page), expected, "{query}");
    }
    let (_, two) = get(&app, &admin, "/api/v1/cases?category=labor&limit=2").await;
    assert_eq!(ids_of(&two), pick(&[0, 1]));
    let next = two["next"].as_str().expect("next");
    let (_, rest) = get(
        &app,
        &admin,
        &format!("/api/v1/cases?category=labor&limit=2&cursor={next}"),
    )
    .await;
    assert_eq!(
        ids_of(&rest),
        pick(&[4, 6]),
        "the cursor keeps the filter's order"
    );

    let case_no = get(&app, &admin, &format!("/api/v1/cases/{}", ids[3]))
        .await
        .1["case_no"]
        .clone();
    let (_, by_no) = get(
        &app,
        &admin,
        &format!(
            "/api/v1/cases?case_no={}",
            case_no.as_str().expect("no").to_lowercase()
        ),
    )
    .await;
    assert_eq!(ids_of(&by_no), pick(&[3]));

    let got = get(&app, &admin, "/api/v1/cases?from=2026-13-01").await;
    assert_error(&got, 422, "validation_failed");
    assert_eq!(field(&got.1, "from"), "invalid_date");
    assert_eq!(
        field(
            &get(&app, &admin, "/api/v1/cases?to=tomorrow").await.1,
            "to"
        ),
        "invalid_date"
    );
    assert_eq!(
        field(
            &get(&app, &admin, "/api/v1/cases?cursor=garbage").await.1,
            "cursor"
        ),
        "invalid_cursor"
    );
    assert_eq!(
        get(&app, &admin, "/api/v1/cases?limit=lots")
            .await
            .0
            .as_u16()
            / 100,
        4
    );
});

both_backends!(stale_corrections_conflict, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let made = register(&app, &admin, &sample_case()).await;
    let id = made["id"].as_i64().expect("id");
    let path = format!("/api/v1/cases/{id}");
    let v = made["case"]["version"].as_i64().expect("version");

    let (status, first) = patch(
        &app,
        &admin,
        &path,
        &json!({ "version": v, "content": "第一次更正" }),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["version"], v + 1);
    assert_eq!(first["content"], "第一次更正");
    assert_eq!(
        first["demands"],
        sample_case()["demands"],
        "fields not sent stay as they were"
    );

    let got = patch(
        &app,
        &admin,
        &path,
        &json!({ "version": v, "content": "第二次更正" }),
    )
    .await;
    assert_error(&got, 409, "version_conflict");
    assert_eq!(got.1["current_version"], v + 1);
    let (_, read) = get(&app, &admin, &path).await;
    assert_eq!(
        read["content"], "第一次更正",
        "the stale edit did not overwrite"
    );
    assert_eq!(read["version"], v + 1);

    // Two edits racing from the same version: exactly one wins.
    let (edit_a, edit_b) = (
        json!({ "version": v + 1, "respondent": "甲公司" }),
        json!({ "version": v + 1, "respondent": "乙公司" }),
    );
    let (a, b) = tokio::join!(
        patch(&app, &admin, &path, &edit_a),
        patch(&app, &admin, &path, &edit_b)
    );
    let mut statuses = [a.0.as_u16(), b.0.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.1, b.1);
    let winner = if a.0 == 200 { &a.1 } else { &b.1 };
    let (_, read) = get(&app, &admin, &path).await;
    assert_eq!(read["respondent"], winner["respondent"]);
    assert_eq!(read["version"], v + 2);

    let got = patch(
        &app,
        &admin,
        &path,
        &json!({ "version": v + 2, "category": "nope", "region": "12", "content": " " }),
    )
    .await;
    assert_error(&got, 422, "validation_failed");
    assert_eq!(field(&got.1, "category"), "unknown_category");
    assert_eq!(field(&got.1, "region"), "invalid_region");
    assert_eq!(field(&got.1, "content"), "required");
    assert_eq!(
        get(&app, &admin, &path).await.1["version"],
        v + 2,
        "a refused correction changes nothing"
    );

    let (_, events) = get(&app, &admin, &format!("{path}/events")).await;
    let kinds: Vec<&str> = events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["registered", "corrected", "corrected"]);
    assert_eq!(events[1]["payload"]["content"]["to"], "第一次更正");
    assert_eq!(
        events[1]["payload"]["content"]["from"],
        sample_case()["content"]
    );
    assert_eq!(
        patch(
            &app,
            &admin,
            "/api/v1/cases/999999",
            &json!({ "version": 1, "content": "x" })
        )
        .await
        .0,
        404
    );
});

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn multipart_case(file: &[u8], filename: &str) -> Form {
    let case = serde_json::to_string(&sample_case()).expect("json");
    // Sent the way browsers send them: file names as raw UTF-8.
    Form::new().percent_encode_noop().text("case", case).part(
        "attachments",
        Part::bytes(file.to_vec()).file_name(filename.to_string()),
    )
}

both_backends!(
    attachments_are_checked_stored_and_downloaded,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        // Multipart calls on a session carry its CSRF token.
        let admin = login_with_csrf(&app, "admin", &app.admin_password).await;
        let (status, made) = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(PDF, "证据 1.pdf")),
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let id = made["id"].as_i64().expect("id");
        let attachments = made["case"]["attachments"].as_array().expect("attachments");
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0]["filename"], "证据 1.pdf");
        assert_eq!(attachments[0]["content_type"], "application/pdf");
        assert_eq!(attachments[0]["size"], PDF.len());
        let aid = attachments[0]["id"].as_i64().expect("attachment id");

        let (_, read) = get(&app, &admin, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(read["attachments"].as_array().map(Vec::len), Some(1));
        let audited = audit(&app, &admin, "read_personal_data").await.len();
        let res = admin
            .get(app.url(&format!("/api/v1/cases/{id}/attachments/{aid}")))
            .send()
            .await
            .expect("download");
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        let disposition = res
            .headers()
            .get(CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);
        let after = audit(&app, &admin, "read_personal_data").await;
        assert_eq!(after.len(), audited + 1, "a download is audited");
        assert!(after[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("证据 1.pdf")));
        assert_eq!(
            get(
                &app,
                &admin,
                &format!("/api/v1/cases/{id}/attachments/{}", aid + 100)
            )
            .await
            .0,
            404
        );

        // A program, whatever it is called, is refused and nothing is stored.
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
        let got = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(exe, "evidence.pdf")),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "attachments"), "file_type_not_allowed");
        let got = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(b"<html><script>x</script>", "page.html")),
        )
        .await;
        assert_eq!(field(&got.1, "attachments"), "file_type_not_allowed");
        assert_eq!(case_count(&app).await, 1);

        let no_case = Form::new().part("attachments", Part::bytes(PDF.to_vec()).file_name("a.pdf"));
        let got = send(admin.post(app.url("/api/v1/cases")).multipart(no_case)).await;
        assert_eq!(field(&got.1, "case"), "required", "{}", got.1);
        let bad_json = Form::new().text("case", "{not json");
        assert_error(
            &send(admin.post(app.url("/api/v1/cases")).multipart(bad_json)).await,
            400,
            "malformed_json",
        );
        let invalid = Form::new().text("case", json!({ "channel": "pigeon" }).to_string());
        let got = send(admin.post(app.url("/api/v1/cases")).multipart(invalid)).await;
        assert_eq!(field(&got.1, "channel"), "invalid_channel");
        assert_eq!(case_count(&app).await, 1);

        // More files for an existing case.
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
        let more = Form::new().part(
            "attachments",
            Part::bytes(png.clone()).file_name("photo.png"),
        );
        let (status, updated) = send(
            admin
                .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
                .multipart(more),
        )
        .await;
        assert_eq!(status, 201, "{updated}");
        let attachments = updated["attachments"].as_array().expect("attachments");
        assert_eq!(attachments.len(), 2);
        assert_eq!(attachments[1]["content_type"], "image/png");
        let exe_more =
            Form::new().part("attachments", Part::bytes(exe.to_vec()).file_name("x.png"));
        let got = send(
            admin
                .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
                .multipart(exe_more),
        )
        .await;
        assert_eq!(field(&got.1, "attachments"), "file_type_not_allowed");
        let (_, events) = get(&app, &admin, &format!("/api/v1/cases/{id}/events")).await;
        let added = events
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["kind"] == "attachment_added")
            .count();
        assert_eq!(added, 2);
    }
);
