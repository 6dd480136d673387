//! The volume tally: kept with every change in the change's transaction, it equals a
//! recount from the cases, and every volume it answers equals the count through the
//! queue's own WHERE clause, on SQLite and on PostgreSQL.

use crate::common;
use crate::stats_api::walk_four_cases;

use common::*;
use serde_json::json;
use store::{CaseFilter, Scope, VolumeBy};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn days_ago(n: i64) -> String {
    ((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() - chrono::Duration::days(n))
        .to_string()
}

const EVERY_BY: [VolumeBy; 8] = [
    VolumeBy::Category,
    VolumeBy::Channel,
    VolumeBy::CaseType,
    VolumeBy::Region,
    VolumeBy::UnitPath,
    VolumeBy::State,
    VolumeBy::Month,
    VolumeBy::Year,
];

fn filter(set: &[(&str, &str)]) -> CaseFilter {
    let mut f = CaseFilter::default();
    for (k, v) in set {
        let v = Some(v.to_string());
        match *k {
            "unit" => f.unit_path = v,
            "unit_only" => f.unit_only = true,
            "state" => f.state = v,
            "channel" => f.channel = v,
            "type" => f.case_type = v,
            "category" => f.category = v,
            "region" => f.region = v,
            "month" => f.month = v,
            "from" => f.received_from = v,
            "to" => f.received_to = v,
            "case_no" => f.case_no = v,
            other => panic!("no filter {other}"),
        }
    }
    f
}

/// Registers cases across channels, categories, regions and months, then changes them:
/// the four walked cases (transfers, an objection, closing), a void and a correction.
async fn varied_cases(app: &TestApp, p: &People) {
    let admin = app.admin().await;
    for (unit, channel, category, region, received) in [
        ("ROOT", "visit", "labor.wages", "330106", days_ago(2)),
        ("ROOT", "letter", "labor", "330106001", days_ago(33)),
        ("330106", "online", "labor.wages", "330106", days_ago(3)),
        ("330106", "phone", "labor.pension", "330102", days_ago(70)),
        (
            "330102",
            "visit",
            "labor.social_insurance",
            "330102",
            days_ago(1),
        ),
        ("330102", "online", "labor.wages", "330110", days_ago(350)),
    ] {
        register(
            app,
            &admin,
            &case_with(
                json!({"unit": unit, "channel": channel, "category": category,
                "region": region, "received_on": received}),
            ),
        )
        .await;
    }
    let walked = walk_four_cases(app, p).await;
    // Whichever of them has reached its end is closed (archived).
    let mut closed = 0;
    for id in walked {
        let (s, _) = act(app, &p.sup, id, "close", json!({"reason":"办结归档"})).await;
        closed += usize::from(s == 200);
    }
    assert!(closed > 0, "one walked case can be closed");
    let (_, list) = get(app, &p.sup, "/api/v1/cases?unit=ROOT!&state=open").await;
    let id = list["items"][0]["id"].as_i64().expect("id");
    ok(app, &p.sup, id, "void", json!({"reason":"登记错误"})).await;
    let (_, list) = get(app, &p.sup, "/api/v1/cases?unit=330106&state=open").await;
    let c = &list["items"][0];
    let (s, v) = patch(
        app,
        &p.sup,
        &format!("/api/v1/cases/{}", c["id"]),
        &json!({"version": c["version"], "category": "labor.pension", "region": "330102"}),
    )
    .await;
    assert_eq!(s, 200, "correction: {v}");
}

both_backends!(
    volume_tally_equals_a_recount_and_the_queue,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        varied_cases(&app, &p).await;

        // Kept with every change, the tally is what the cases as they stand add up to.
        let stored = app.state.stored_volume_tally().await.expect("stored");
        let recount = app.state.recount_volume_tally().await.expect("recount");
        assert!(stored.len() > 50, "{} cells", stored.len());
        assert_eq!(stored, recount);
        assert!(stored.iter().any(|r| r.cell.state == "voided"));
        assert!(stored.iter().any(|r| r.cell.state == "closed"));

        let root = app.store.unit_by_code("ROOT").await.expect("root");
        let county = app.store.unit_by_code("330106").await.expect("county");
        let this_month = &days_ago(0)[..7];
        let d1 = days_ago(1);
        let d2 = days_ago(2);
        let d5 = days_ago(5);
        let d10 = days_ago(10);
        let d45 = days_ago(45);
        let d60 = days_ago(60);
        let d90 = days_ago(90);
        let d360 = days_ago(360);
        let grid: Vec<Vec<(&str, &str)>> = vec![
            vec![],
            vec![("state", "open")],
            vec![("state", "closed")],
            vec![("region", "33")],
            vec![("region", "330106")],
            vec![("region", "3301")],
            vec![("from", &d10)],
            vec![("to", &d5)],
            vec![("from", &d45), ("to", &d2)],
            vec![("from", &d360), ("to", &d60)],
            vec![("month", this_month)],
            vec![("month", this_month), ("from", &d1)],
            vec![("unit", &county.path)],
            vec![("unit", &county.path), ("unit_only", "")],
            vec![("unit", &root.path), ("unit_only", "")],
            vec![("state", "open"), ("region", "33"), ("from", &d90)],
        ];
        let scopes = [Scope::new(&root.path), Scope::new(&county.path)];
        let mut answered = 0;
        for scope in &scopes {
            for by in EVERY_BY {
                for set in &grid {
                    let f = filter(set);
                    let tallied = app
                        .store
                        .tallied_volume(scope, &f, by)
                        .await
                        .expect("tallied")
                        .unwrap_or_else(|| panic!("the tally answers {by:?} {set:?}"));
                    let counted = app
                        .store
                        .counted_volume(scope, &f, by)
                        .await
                        .expect("count");
                    assert_eq!(tallied, counted, "{by:?} {set:?} in {}", scope.path());
                    answered += 1;
                }
            }
        }
        assert_eq!(answered, 2 * 8 * grid.len());

        // A filter on the counted field itself is answered from that field's rows.
        for (by, set) in [
            (VolumeBy::Category, vec![("category", "labor")]),
            (VolumeBy::Category, vec![("category", "labor!")]),
            (VolumeBy::Category, vec![("category", "labor.wages")]),
            (VolumeBy::Region, vec![("region", "330106!")]),
            (VolumeBy::Region, vec![("region", "330106001")]),
            (VolumeBy::Channel, vec![("channel", "online")]),
            (VolumeBy::CaseType, vec![("type", "claim")]),
        ] {
            let f = filter(&set);
            let scope = &scopes[0];
            let tallied = app.store.tallied_volume(scope, &f, by).await.expect("t");
            let counted = app.store.counted_volume(scope, &f, by).await.expect("c");
            assert_eq!(tallied, Some(counted), "{by:?} {set:?}");
        }
        let labor = app
            .store
            .volume(
                &scopes[0],
                &filter(&[("category", "labor")]),
                VolumeBy::Category,
            )
            .await
            .expect("labor");
        assert!(labor.iter().map(|r| r.count).sum::<i64>() >= 10);

        // What the tally does not hold is counted through the queue, with the same answer.
        for (by, set) in [
            (VolumeBy::Channel, vec![("category", "labor.wages")]),
            (VolumeBy::State, vec![("region", "330106001")]),
            (VolumeBy::Category, vec![("case_no", "2026")]),
            (VolumeBy::Month, vec![("from", "2026-1-1")]),
        ] {
            let f = filter(&set);
            let scope = &scopes[0];
            assert_eq!(
                app.store.tallied_volume(scope, &f, by).await.expect("t"),
                None,
                "{by:?} {set:?}"
            );
            let v = app.store.volume(scope, &f, by).await.expect("volume");
            let counted = app.store.counted_volume(scope, &f, by).await.expect("c");
            assert_eq!(v, counted);
        }
        assert!(!app
            .store
            .volume(
                &scopes[0],
                &filter(&[("region", "330106001")]),
                VolumeBy::State
            )
            .await
            .expect("v")
            .is_empty());

        // A database from before the tally: the table comes back empty, is noticed, and is
        // counted once from the cases.
        app.store.migrate_down(30).await.expect("down");
        app.store.migrate().await.expect("up");
        assert!(app.state.volume_tally_missing().await.expect("missing"));
        app.state.rebuild_volume_tally().await.expect("rebuild");
        assert!(!app.state.volume_tally_missing().await.expect("missing"));
        assert_eq!(
            app.state.stored_volume_tally().await.expect("stored"),
            stored
        );
    }
);
