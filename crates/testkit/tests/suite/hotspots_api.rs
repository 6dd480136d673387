//! Hotspots through the API: several petitions against one respondent in the current
//! window (none before) make a hotspot that lists exactly them, with its trend; a steady
//! matter is not one; a hotspot is given to an owner leader; a unit outside the
//! caller's subtree is a 404; search results export as a file — on SQLite and on
//! PostgreSQL.

use crate::supervision_common::{days_ago, office};
use domain::register_event::HotspotEvent;
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

async fn case(app: &TestApp, admin: &Client, days: i64, respondent: &str, region: &str) -> i64 {
    let v = register(
        app,
        admin,
        &case_with(json!({"unit": "330106", "received_on": days_ago(days),
            "respondent": respondent, "region": region})),
    )
    .await;
    v["id"].as_i64().expect("id")
}

fn find<'a>(h: &'a Value, key: &str) -> Option<&'a Value> {
    h["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["key"] == key)
}

fn case_ids(item: &Value) -> Vec<i64> {
    item["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect()
}

both_backends!(a_rising_respondent_is_a_hotspot, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    // A steady matter: three before the window, three in it.
    for d in [40, 41, 42, 5, 6, 7] {
        case(&app, &o.admin, d, "某街道办事处", "330106001").await;
    }
    let (s, h) = get(&app, &o.city_sup, "/api/v1/stats/hotspots?unit=330106").await;
    assert_eq!(s, 200, "{h}");
    assert!(
        find(&h, "respondent:某街道办事处").is_none(),
        "steady, not rising: {h}"
    );
    assert_eq!(h["window"], 30);

    // Three petitions against one company in this window, none before, written two ways.
    let mut ids = vec![
        case(&app, &o.admin, 1, "华安物业公司", "330106002").await,
        case(&app, &o.admin, 2, "华安 物业公司。", "330106002").await,
        case(&app, &o.admin, 4, "华安物业公司", "330106002").await,
    ];
    ids.sort();
    let (_, h) = get(&app, &o.city_sup, "/api/v1/stats/hotspots?unit=330106").await;
    let item = find(&h, "respondent:华安物业公司").unwrap_or_else(|| panic!("hotspot: {h}"));
    assert_eq!(item["kind"], "respondent");
    assert_eq!(item["now"], 3);
    assert_eq!(item["before"], 0);
    assert_eq!(item["respondent"], "华安物业公司");
    let mut got = case_ids(item);
    got.sort();
    assert_eq!(got, ids, "exactly those cases");
    let series: i64 = item["series"]
        .as_array()
        .expect("series")
        .iter()
        .filter_map(Value::as_i64)
        .sum();
    assert_eq!(series, 3);

    // Trend numbers over a shorter window: the last 3 days against the 3 before.
    let (_, h) = get(
        &app,
        &o.city_sup,
        "/api/v1/stats/hotspots?unit=330106&window=3&min=1",
    )
    .await;
    let item = find(&h, "respondent:华安物业公司").unwrap_or_else(|| panic!("hotspot: {h}"));
    assert_eq!(
        (item["now"].as_i64(), item["before"].as_i64()),
        (Some(2), Some(1))
    );
    // Over two days: one now against one before is not rising.
    let (_, h) = get(
        &app,
        &o.city_sup,
        "/api/v1/stats/hotspots?unit=330106&window=2&min=1",
    )
    .await;
    assert!(find(&h, "respondent:华安物业公司").is_none(), "{h}");

    // Scope: the county beside it does not see them.
    let (s, _) = get(&app, &o.other_clerk, "/api/v1/stats/hotspots?unit=330106").await;
    assert_eq!(s, 404);
    let (s, h) = get(&app, &o.other_clerk, "/api/v1/stats/hotspots").await;
    assert_eq!(s, 200);
    assert!(h["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| case_ids(i).iter().all(|id| !ids.contains(id))));
    let (s, v) = get(&app, &o.city_sup, "/api/v1/stats/hotspots?window=0").await;
    assert_eq!(s, 422);
    assert_eq!(v["fields"]["window"], "out_of_range");

    // Given to an owner leader; only a leader may own it, only supervisors and leaders
    // give it.
    let (_, me) = get(&app, &o.city_leader, "/api/v1/me").await;
    let leader = me["id"].as_i64().expect("leader id");
    let (_, me) = get(&app, &o.county_clerk, "/api/v1/me").await;
    let clerk = me["id"].as_i64().expect("clerk id");
    let body = |owner: i64| {
        json!({"key": "respondent:华安物业公司", "unit": "330106", "owner": owner,
               "label": "华安物业公司", "cases": ids})
    };
    let (s, v) = post(
        &app,
        &o.city_sup,
        "/api/v1/stats/hotspots/owner",
        &body(clerk),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["fields"]["owner"], "not_a_leader");
    let (s, _) = post(
        &app,
        &o.county_clerk,
        "/api/v1/stats/hotspots/owner",
        &body(leader),
    )
    .await;
    assert_eq!(s, 403);
    let (s, v) = post(
        &app,
        &o.city_sup,
        "/api/v1/stats/hotspots/owner",
        &body(leader),
    )
    .await;
    assert_eq!(s, 204, "{v}");
    let (_, h) = get(&app, &o.city_sup, "/api/v1/stats/hotspots?unit=330106").await;
    let item = find(&h, "respondent:华安物业公司").expect("hotspot");
    assert_eq!(item["owner"]["id"], leader);
    // The assignment is in the hotspot's history.
    let unit = app.store.unit_by_code("330106").await.expect("unit");
    let owners = app.store.hotspot_owners(unit.id).await.expect("owners");
    assert_eq!(owners.len(), 1);
    let events = app
        .store
        .register_events::<HotspotEvent>(owners[0].id)
        .await
        .expect("events");
    assert_eq!(events.len(), 1);
    match &events[0].event {
        HotspotEvent::OwnerAssigned(o) => assert_eq!(o.owner_id, leader),
        other => panic!("{other:?}"),
    }

    // The owner is removed with `owner: null`; the history keeps both steps, and
    // removing an owner that is not there is a 404.
    let mut none = body(leader);
    none["owner"] = Value::Null;
    let (s, v) = post(&app, &o.city_sup, "/api/v1/stats/hotspots/owner", &none).await;
    assert_eq!(s, 204, "{v}");
    let (_, h) = get(&app, &o.city_sup, "/api/v1/stats/hotspots?unit=330106").await;
    let item = find(&h, "respondent:华安物业公司").expect("hotspot");
    assert!(item["owner"].is_null(), "{item}");
    let kinds: Vec<String> = app
        .store
        .register_events::<HotspotEvent>(owners[0].id)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.kind())
        .collect();
    assert_eq!(kinds, ["owner_assigned", "owner_removed"]);
    let (s, _) = post(&app, &o.city_sup, "/api/v1/stats/hotspots/owner", &none).await;
    assert_eq!(s, 404);
});

both_backends!(
    petitions_written_alike_make_a_text_hotspot,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        // Three petitions about one lift, each against a different respondent, in different
        // categories and places: only their text ties them together.
        let lift = [
            (
                "幸福里小区物业",
                "330106001",
                "幸福里小区3幢电梯长期故障停运，老人上下楼困难，物业多次报修无人维修。",
            ),
            (
                "西湖区住建局",
                "330106002",
                "幸福里小区3幢电梯故障停运已两个月，报修后一直无人维修，老人出行困难。",
            ),
            (
                "某电梯维保公司",
                "330106003",
                "反映幸福里小区3幢电梯长期停运故障，维保单位不来维修，住户上下楼困难。",
            ),
        ];
        let mut ids = vec![];
        for (i, (respondent, region, content)) in lift.iter().enumerate() {
            let category = ["labor.wages", "housing", "land.contract"][i];
            let v = register(
                &app,
                &o.admin,
                &case_with(
                    json!({"unit": "330106", "received_on": days_ago(i as i64 + 1),
                "respondent": respondent, "region": region, "content": content,
                "category": category}),
                ),
            )
            .await;
            ids.push(v["id"].as_i64().expect("id"));
        }
        // Something else entirely.
        let other = register(
            &app,
            &o.admin,
            &case_with(json!({"unit": "330106", "received_on": days_ago(2),
            "respondent": "某学校", "region": "330106004",
            "content": "学校食堂收费标准不公开，家长要求公示伙食费用明细。"})),
        )
        .await;
        let other = other["id"].as_i64().expect("id");
        ids.sort();

        // The index follows the feed a moment behind: ask until the text cluster is there.
        let mut last = Value::Null;
        let mut found = None;
        for _ in 0..100 {
            let (s, h) = get(
                &app,
                &o.city_sup,
                "/api/v1/stats/hotspots?unit=330106&min=3",
            )
            .await;
            assert_eq!(s, 200, "{h}");
            if let Some(item) = h["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|i| i["kind"] == "text")
            {
                found = Some(item.clone());
                break;
            }
            last = h;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let item = found.unwrap_or_else(|| panic!("no text hotspot: {last}"));
        let mut got = case_ids(&item);
        got.sort();
        assert_eq!(
            got, ids,
            "exactly the three petitions about the lift: {item}"
        );
        assert!(!got.contains(&other));
        assert_eq!(item["key"], format!("text:{}", ids[0]));
        assert_eq!(item["now"], 3);
    }
);

both_backends!(search_results_export_as_files, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    register(
        &app,
        &o.admin,
        &case_with(json!({"unit": "330106", "content": "小区电梯长期停运无人维修"})),
    )
    .await;
    let q = "q=%E7%94%B5%E6%A2%AF";
    let mut csv = String::new();
    for _ in 0..100 {
        let res = o
            .city_sup
            .get(app.url(&format!("/api/v1/search/export?{q}&format=csv")))
            .send()
            .await
            .expect("export");
        if res.status() == 200 {
            csv = res.text().await.expect("text");
            if csv.lines().count() >= 2 {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "heading and one result: {csv}");
    assert!(lines[1].contains("电梯"), "{csv}");
    assert!(!lines[1].contains("<mark>"), "{csv}");
    // Another county's staff find nothing of it.
    let res = o
        .other_clerk
        .get(app.url(&format!("/api/v1/search/export?{q}&format=csv")))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("text").lines().count(), 1);
});
