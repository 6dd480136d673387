//! `GET /api/v1/events`: the event feed over HTTP, scoped to the caller's subtree, paged
//! with `next`, for admins and auditors only.

use crate::common;

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

/// Follows the feed from the start in pages of `limit`, until a page comes back empty.
async fn follow(app: &TestApp, c: &Client, limit: usize) -> Vec<Value> {
    let mut items = vec![];
    let mut after = String::new();
    for _ in 0..200 {
        let (status, page) = get(
            app,
            c,
            &format!("/api/v1/events?limit={limit}&after={after}"),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let got = page["items"].as_array().expect("items").clone();
        assert!(got.len() <= limit, "a page holds at most `limit` events");
        let next = page["next"].as_str().expect("next").to_string();
        if got.is_empty() {
            assert_eq!(next, after, "an empty page hands the same cursor back");
            return items;
        }
        assert_eq!(
            got.last().and_then(|i| i["position"].as_str()),
            Some(next.as_str()),
            "next is the last item's position"
        );
        items.extend(got);
        after = next;
    }
    panic!("the feed did not end");
}

/// Follows the feed until it has given `n` events. The feed may hold events back for a
/// moment while transactions are in progress; it never skips them.
async fn follow_n(app: &TestApp, c: &Client, limit: usize, n: usize) -> Vec<Value> {
    for _ in 0..100 {
        let items = follow(app, c, limit).await;
        if items.len() >= n {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    follow(app, c, limit).await
}

fn seqs(items: &[Value]) -> Vec<i64> {
    items.iter().filter_map(|i| i["seq"].as_i64()).collect()
}

both_backends!(the_event_feed_is_scoped_and_paged, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let p = common::people(&app).await;
    let admin = app.admin().await;
    let county_auditor = app.user(&admin, "xh_auditor", "auditor", "330106").await;

    // Two cases in 西湖区 (one corrected), one in 上城区.
    let mut xihu = vec![];
    for _ in 0..2 {
        xihu.push(
            register(&app, &p.clerk, &sample_case()).await["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let (status, _) = patch(
        &app,
        &p.clerk,
        &format!("/api/v1/cases/{}", xihu[0]),
        &json!({ "version": 1, "respondent": "另一家公司" }),
    )
    .await;
    assert_eq!(status, 200);
    let shangcheng = register(&app, &p.other_clerk, &sample_case()).await["id"]
        .as_i64()
        .expect("id");

    // The province auditor sees all four events, in pages of one, each once.
    let all = follow_n(&app, &p.auditor, 1, 4).await;
    let mut expected = vec![];
    for id in [xihu[0], xihu[1], shangcheng] {
        let (_, timeline) = get(&app, &p.auditor, &format!("/api/v1/cases/{id}/events")).await;
        expected.extend(seqs(timeline.as_array().expect("timeline")));
    }
    expected.sort_unstable();
    let mut got = seqs(&all);
    got.sort_unstable();
    assert_eq!(got, expected);
    assert_eq!(all.len(), 4);
    let first = &all[0];
    assert_eq!(first["kind"], "registered");
    assert_eq!(first["case_id"], xihu[0]);
    assert_eq!(first["actor"], "xh_clerk");
    assert!(first["at"].as_i64().is_some_and(|t| t > 0));
    assert_eq!(first["payload"]["channel"], "visit");
    assert!(first["position"].is_string());
    assert!(all.iter().any(|i| i["kind"] == "corrected"));

    // Larger pages give the same events in the same order.
    assert_eq!(seqs(&follow_n(&app, &p.auditor, 1000, 4).await), seqs(&all));

    // The county auditor sees only 西湖区's cases.
    let county = follow_n(&app, &county_auditor, 2, 3).await;
    assert_eq!(county.len(), 3);
    assert!(county
        .iter()
        .all(|i| xihu.contains(&i["case_id"].as_i64().unwrap_or(0))));

    // Following from the end: nothing until something new commits, then just that.
    let (_, page) = get(&app, &county_auditor, "/api/v1/events").await;
    let next = page["next"].as_str().expect("next").to_string();
    let (_, empty) = get(
        &app,
        &county_auditor,
        &format!("/api/v1/events?after={next}"),
    )
    .await;
    assert_eq!(empty["items"], json!([]));
    let third = register(&app, &p.clerk, &sample_case()).await["id"]
        .as_i64()
        .expect("id");
    register(&app, &p.other_clerk, &sample_case()).await;
    let mut fresh = vec![];
    for _ in 0..100 {
        let (_, page) = get(
            &app,
            &county_auditor,
            &format!("/api/v1/events?after={next}"),
        )
        .await;
        fresh = page["items"].as_array().expect("items").clone();
        if !fresh.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(fresh.len(), 1, "{fresh:?}");
    assert_eq!(fresh[0]["case_id"], third);

    // Admins may read it too.
    assert_eq!(follow_n(&app, &admin, 50, 6).await.len(), 6);
});

both_backends!(
    the_event_feed_refuses_other_roles_and_bad_cursors,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = common::people(&app).await;
        for c in [&p.clerk, &p.handler, &p.sup, &p.leader] {
            assert_error(&get(&app, c, "/api/v1/events").await, 403, "forbidden");
        }
        assert_eq!(get(&app, &app.client(), "/api/v1/events").await.0, 401);
        let got = get(&app, &p.auditor, "/api/v1/events?after=12abc").await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "after"), "invalid_cursor");
        let got = get(&app, &p.auditor, "/api/v1/events?limit=0").await;
        assert_eq!(field(&got.1, "limit"), "out_of_range");

        // The route is in the OpenAPI document.
        let (_, doc) = get(&app, &app.client(), "/api/openapi.json").await;
        let route = &doc["paths"]["/api/v1/events"]["get"];
        assert!(route.is_object(), "documented");
        let params: Vec<&str> = route["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default();
        assert!(
            params.contains(&"after") && params.contains(&"limit"),
            "{params:?}"
        );
    }
);
