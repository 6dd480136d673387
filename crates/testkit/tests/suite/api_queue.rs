//! The JSON API's queue (pages, filters, counts) and corrections with their version
//! check, on SQLite and on PostgreSQL.

use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

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
