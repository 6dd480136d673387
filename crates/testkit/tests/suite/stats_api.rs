//! Statistics through the API: every volume row lists exactly its cases through the
//! queue, and the per-unit rates kept as running tallies equal a recount from the event
//! log, on SQLite and on PostgreSQL.

use crate::common;

use common::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn days_ago(n: i64) -> String {
    ((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() - chrono::Duration::days(n))
        .to_string()
}

fn enc(s: &str) -> String {
    s.replace('!', "%21")
}

/// Asserts that each row of the volume at `query` counts exactly what the queue lists
/// with the row's key for `by` and the same other filters; returns the rows.
async fn rows_match_queue(
    app: &TestApp,
    c: &reqwest::Client,
    by: &str,
    others: &str,
) -> Vec<Value> {
    let (status, v) = get(app, c, &format!("/api/v1/stats/volume?by={by}{others}")).await;
    assert_eq!(status, 200, "volume by {by}{others}: {v}");
    let rows = v["rows"].as_array().expect("rows").clone();
    let mut sum = 0;
    for row in &rows {
        let key = row["key"].as_str().expect("key");
        assert!(!row["label"].as_str().unwrap_or("").is_empty(), "{row}");
        let count = row["count"].as_i64().expect("count");
        sum += count;
        // The row's key takes the place of the filter of the same name.
        let rest: String = others
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with(&format!("{by}=")))
            .map(|kv| format!("&{kv}"))
            .collect();
        let (s, listed) = get(
            app,
            c,
            &format!("/api/v1/cases?{by}={}{rest}&limit=200", enc(key)),
        )
        .await;
        assert_eq!(s, 200, "{by}={key}: {listed}");
        assert_eq!(
            listed["total"].as_i64(),
            Some(count),
            "by {by}{others}, row {key}: the queue lists {} cases",
            listed["total"]
        );
        assert_eq!(
            listed["items"].as_array().map(Vec::len),
            Some(count as usize)
        );
    }
    assert_eq!(
        v["total"].as_i64(),
        Some(sum),
        "total is the sum of the rows"
    );
    rows
}

/// The rows' keys, sorted (the rows come largest first, the node's own row before).
fn keys(rows: &[Value]) -> Vec<String> {
    let mut k: Vec<String> = rows
        .iter()
        .map(|r| r["key"].as_str().unwrap_or("").to_string())
        .collect();
    k.sort();
    k
}

both_backends!(
    every_volume_row_lists_exactly_its_cases,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let admin = app.admin().await;
        for (unit, channel, category, region, received) in [
            ("ROOT", "visit", "labor.wages", "330106", days_ago(2)),
            ("ROOT", "letter", "labor", "330106001", days_ago(40)),
            ("330106", "online", "labor.wages", "330106", days_ago(3)),
            ("330106", "phone", "labor.pension", "330102", days_ago(70)),
            (
                "330102",
                "visit",
                "labor.social_insurance",
                "330102",
                days_ago(1),
            ),
        ] {
            register(
                &app,
                &admin,
                &case_with(
                    json!({"unit": unit, "channel": channel, "category": category,
                "region": region, "received_on": received}),
                ),
            )
            .await;
        }
        // One case closed, so states differ.
        let (_, list) = get(&app, &p.sup, "/api/v1/cases?unit=ROOT!").await;
        let id = list["items"][0]["id"].as_i64().expect("id");
        ok(&app, &p.sup, id, "void", json!({"reason":"登记错误"})).await;

        for by in [
            "category", "channel", "type", "region", "unit", "state", "month",
        ] {
            rows_match_queue(&app, &p.sup, by, "").await;
            rows_match_queue(&app, &p.sup, by, "&state=open").await;
            rows_match_queue(&app, &p.sup, by, "&category=labor").await;
            rows_match_queue(&app, &p.sup, by, "&region=330106").await;
            rows_match_queue(&app, &p.sup, by, "&unit=330106").await;
            rows_match_queue(&app, &p.sup, by, &format!("&from={}", days_ago(10))).await;
            // A county clerk counts only its own subtree.
            rows_match_queue(&app, &p.clerk, by, "").await;
        }

        // Drill-down: the tree one level below the filter, with the node's own row.
        let by_cat = rows_match_queue(&app, &p.sup, "category", "&category=labor").await;
        assert_eq!(
            keys(&by_cat),
            vec![
                "labor!",
                "labor.pension",
                "labor.social_insurance",
                "labor.wages"
            ]
        );
        let top = rows_match_queue(&app, &p.sup, "category", "").await;
        assert_eq!(keys(&top), vec!["labor"]);
        assert_eq!(top[0]["count"], 5);
        let by_unit = rows_match_queue(&app, &p.sup, "unit", "").await;
        assert_eq!(keys(&by_unit), vec!["330102", "330106", "ROOT!"]);
        assert_eq!(by_unit[0]["key"], "ROOT!", "the node's own row comes first");
        assert_eq!(by_unit[1]["key"], "330106", "then the largest");
        assert!(
            by_unit[1]["drillable"].is_null(),
            "330106 has no units below"
        );
        assert_eq!(by_unit[0]["label"], "信访工作机构（本级）");
        let by_region = rows_match_queue(&app, &p.sup, "region", "&region=330106").await;
        assert_eq!(keys(&by_region), vec!["330106!", "330106001"]);
        let clerk_units = rows_match_queue(&app, &p.clerk, "unit", "").await;
        assert_eq!(keys(&clerk_units), vec!["330106!"]);
        let (_, en) = get(&app, &p.sup, "/api/v1/stats/volume?by=channel&lang=en").await;
        assert!(
            en["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .any(|r| r["label"] == "Letter"),
            "{en}"
        );

        // Bad parameters are named, never a 500.
        for (q, field) in [
            ("by=bogus", "by"),
            ("", "by"),
            ("by=month&month=2026-13", "month"),
            ("by=region&region=abc", "region"),
            ("by=unit&from=yesterday", "from"),
        ] {
            let (s, v) = get(&app, &p.sup, &format!("/api/v1/stats/volume?{q}")).await;
            assert_eq!(s, 422, "{q}: {v}");
            assert!(v["fields"][field].is_string(), "{q}: {v}");
        }
        let (s, _) = get(&app, &p.sup, "/api/v1/stats/rates?from=2026-02-30").await;
        assert_eq!(s, 422);
        let (s, _) = get(&app, &p.clerk, "/api/v1/stats/rates?unit=330102").await;
        assert_eq!(s, 404, "a unit outside the caller's subtree");
        let (_, doc) = get(&app, &p.sup, "/api/openapi.json").await;
        assert!(doc["paths"]["/api/v1/stats/volume"]["get"].is_object());
        assert!(doc["paths"]["/api/v1/stats/rates"]["get"].is_object());
    }
);

fn figure(v: &Value, unit: &str, rate: &str) -> (i64, i64) {
    let row = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["unit"] == unit)
        .unwrap_or_else(|| panic!("no row {unit} in {v}"));
    let f = &row["rates"][rate];
    (
        f["num"].as_i64().expect("num"),
        f["den"].as_i64().expect("den"),
    )
}

/// Four cases, as the rates tests count them: a routed late (received 40 days ago), then
/// walked to a changed review; b on time, accepted and rated satisfied; c handled by the
/// office itself and declined there; d sent back by an objection and routed again.
pub(crate) async fn walk_four_cases(app: &TestApp, p: &People) -> [i64; 4] {
    // Case a: routed late (received 40 days ago), then walked to a changed review.
    let a = register(
        app,
        &p.sup,
        &case_with(json!({"received_on": days_ago(40)})),
    )
    .await;
    let a = a["id"].as_i64().expect("id");
    ok(
        app,
        &p.sup,
        a,
        "route",
        json!({"mode":"transfer","unit":"330106"}),
    )
    .await;
    ok(app, &p.handler, a, "accept", json!({})).await;
    ok(
        app,
        &p.handler,
        a,
        "reply",
        json!({"outcome":"support","text":"支持。","basis":"第三十二条"}),
    )
    .await;
    ok(app, &p.leader, a, "approve", json!({})).await;
    ok(app, &p.clerk, a, "deliver", json!({"received_on": today()})).await;
    ok(app, &p.clerk, a, "rate", json!({"rating":"dissatisfied"})).await;
    ok(app, &p.clerk, a, "request_review", json!({"reason":"不服"})).await;
    ok(
        app,
        &p.root_leader,
        a,
        "review_decision",
        json!({"outcome":"change","text":"改变"}),
    )
    .await;
    ok(app, &p.root_leader, a, "approve", json!({})).await;
    // Case b: on time, accepted and rated satisfied.
    let b = register(app, &p.sup, &case_with(json!({}))).await;
    let b = b["id"].as_i64().expect("id");
    ok(
        app,
        &p.sup,
        b,
        "route",
        json!({"mode":"transfer","unit":"330106"}),
    )
    .await;
    ok(app, &p.handler, b, "accept", json!({})).await;
    ok(
        app,
        &p.handler,
        b,
        "reply",
        json!({"outcome":"explain","text":"解释。","basis":"第三十二条"}),
    )
    .await;
    ok(app, &p.leader, b, "approve", json!({})).await;
    ok(app, &p.clerk, b, "deliver", json!({"received_on": today()})).await;
    ok(app, &p.clerk, b, "rate", json!({"rating":"satisfied"})).await;
    // Case c: handled by the office itself and declined there; d: an objection sends it back.
    let c = register(app, &p.sup, &case_with(json!({}))).await;
    let c = c["id"].as_i64().expect("id");
    ok(app, &p.sup, c, "route", json!({"mode":"self"})).await;
    ok(
        app,
        &p.root_leader,
        c,
        "decline",
        json!({"reason":"不属于职权","refer_to":"法院"}),
    )
    .await;
    let d = register(app, &p.sup, &case_with(json!({}))).await;
    let d = d["id"].as_i64().expect("id");
    ok(
        app,
        &p.sup,
        d,
        "route",
        json!({"mode":"transfer","unit":"330106"}),
    )
    .await;
    ok(
        app,
        &p.handler,
        d,
        "object",
        json!({"reason":"非本单位职权"}),
    )
    .await;
    ok(
        app,
        &p.sup,
        d,
        "route",
        json!({"mode":"transfer","unit":"330102"}),
    )
    .await;

    [a, b, c, d]
}

both_backends!(rates_equal_a_recount_from_the_events, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let p = people(&app).await;
    walk_four_cases(&app, &p).await;

    // The running tallies are exactly what replaying every event counts.
    let stored = app.state.stored_tallies().await.expect("stored");
    let recount = app.state.recount_tallies().await.expect("recount");
    assert!(!stored.is_empty());
    assert_eq!(stored, recount);

    let (s, v) = get(&app, &p.sup, "/api/v1/stats/rates").await;
    assert_eq!(s, 200, "{v}");
    // The office routed five times, once late (case a, received 40 days ago).
    assert_eq!(figure(&v, "ROOT", "routing"), (4, 5));
    assert_eq!(figure(&v, "ROOT", "repeat"), (0, 4));
    assert_eq!(figure(&v, "ROOT", "acceptance"), (1, 1));
    assert_eq!(figure(&v, "330106", "acceptance"), (2, 2));
    assert_eq!(figure(&v, "330106", "completion"), (2, 2));
    assert_eq!(figure(&v, "330106", "satisfaction"), (1, 2));
    assert_eq!(figure(&v, "330106", "overturn"), (1, 1));
    assert_eq!(figure(&v, "330102", "routing"), (0, 0));
    assert_eq!(v["total"]["routing"]["den"], 5);

    // A period that ended before anything happened counts nothing; one that covers
    // today counts everything.
    let (_, before) = get(
        &app,
        &p.sup,
        &format!("/api/v1/stats/rates?to={}", days_ago(100)),
    )
    .await;
    assert_eq!(before["total"]["routing"]["den"], 0);
    let (_, now) = get(
        &app,
        &p.sup,
        &format!("/api/v1/stats/rates?from={}&to={}", days_ago(45), today()),
    )
    .await;
    let counts = |t: &Value| -> Vec<(String, Value, Value)> {
        t.as_object()
            .expect("total")
            .iter()
            .map(|(k, f)| (k.clone(), f["num"].clone(), f["den"].clone()))
            .collect()
    };
    assert_eq!(counts(&now["total"]), counts(&v["total"]));
    // The county sees its own figures only.
    let (_, county) = get(&app, &p.handler, "/api/v1/stats/rates").await;
    assert_eq!(county["unit"], "330106");
    assert_eq!(figure(&county, "330106", "acceptance"), (2, 2));

    // A rebuild from the events leaves the same tallies.
    app.state.rebuild_tallies().await.expect("rebuild");
    assert_eq!(app.state.stored_tallies().await.expect("stored"), recount);
});
