//! Every rate's figure lists exactly its cases: the `cases` query of each figure of
//! `GET /api/v1/stats/rates`, given to `GET /api/v1/cases` with `rate_part` counted, met
//! or missed, lists the cases whose steps that figure counts, on SQLite and PostgreSQL.

use crate::common;
use crate::stats_api::walk_four_cases;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use testkit::http::*;
use testkit::{both_backends, TestApp};

/// The ids the queue lists for `query` (every state, one page is enough here).
async fn listed(app: &TestApp, c: &reqwest::Client, query: &str) -> BTreeSet<i64> {
    let (s, v) = get(app, c, &format!("/api/v1/cases?state=&limit=200&{query}")).await;
    assert_eq!(s, 200, "{query}: {v}");
    assert_eq!(
        v["total"].as_i64(),
        Some(v["items"].as_array().map_or(0, |a| a.len() as i64)),
        "{query}"
    );
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

fn row<'a>(v: &'a Value, unit: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["unit"] == unit)
        .unwrap_or_else(|| panic!("no row {unit} in {v}"))
}

both_backends!(
    each_rate_figure_lists_exactly_its_cases,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let [a, b, c, d] = walk_four_cases(&app, &p).await;
        let set = |ids: &[i64]| ids.iter().copied().collect::<BTreeSet<i64>>();

        let (s, v) = get(&app, &p.sup, "/api/v1/stats/rates").await;
        assert_eq!(s, 200, "{v}");
        let root = &row(&v, "ROOT")["rates"];
        let county = &row(&v, "330106")["rates"];
        let q = |f: &Value, part: &str| {
            let base = f["cases"].as_str().expect("cases").to_string();
            if part.is_empty() {
                base
            } else {
                format!("{base}&rate_part={part}")
            }
        };

        // The office's routing: a was routed late; b, c and d on time (d twice: five steps,
        // four cases).
        assert_eq!(
            listed(&app, &p.sup, &q(&root["routing"], "missed")).await,
            set(&[a])
        );
        assert_eq!(
            listed(&app, &p.sup, &q(&root["routing"], "met")).await,
            set(&[b, c, d])
        );
        assert_eq!(
            listed(&app, &p.sup, &q(&root["routing"], "")).await,
            set(&[a, b, c, d])
        );
        // The county: a rated dissatisfied, b satisfied; a's review changed the decision.
        assert_eq!(
            listed(&app, &p.sup, &q(&county["satisfaction"], "missed")).await,
            set(&[a])
        );
        assert_eq!(
            listed(&app, &p.sup, &q(&county["satisfaction"], "met")).await,
            set(&[b])
        );
        assert_eq!(
            listed(&app, &p.sup, &q(&county["overturn"], "met")).await,
            set(&[a])
        );
        // The office's own acceptance: c declined by the office itself.
        assert_eq!(
            listed(&app, &p.sup, &q(&root["acceptance"], "")).await,
            set(&[c])
        );

        // Wherever each case counts once, every figure equals its list's length: the
        // denominator, the numerator and what was missed.
        let mut checked = 0;
        for r in v["rows"].as_array().expect("rows") {
            for (rate, f) in r["rates"].as_object().expect("rates") {
                if r["unit"] == "ROOT" && rate == "routing" {
                    continue; // d counted twice, above
                }
                let (num, den) = (
                    f["num"].as_i64().expect("num"),
                    f["den"].as_i64().expect("den"),
                );
                let counted = listed(&app, &p.sup, &q(f, "")).await.len() as i64;
                let met = listed(&app, &p.sup, &q(f, "met")).await.len() as i64;
                assert_eq!(counted, den, "{} {rate} counted", r["unit"]);
                assert_eq!(met, num, "{} {rate} met", r["unit"]);
                if rate != "repeat" {
                    let missed = listed(&app, &p.sup, &q(f, "missed")).await.len() as i64;
                    assert_eq!(missed, den - num, "{} {rate} missed", r["unit"]);
                }
                checked += 1;
            }
        }
        assert!(checked >= 12, "{checked} figures checked");

        // A period before anything happened lists nothing.
        let (_, old) = get(&app, &p.sup, "/api/v1/stats/rates?to=2020-01-31").await;
        let f = &row(&old, "330106")["rates"]["acceptance"];
        assert!(f["cases"]
            .as_str()
            .expect("cases")
            .contains("rate_to=2020-01-31"));
        assert!(listed(&app, &p.sup, &q(f, "")).await.is_empty());

        // Bad rate filters are refused by name.
        for (query, field) in [
            ("rate=speed", "rate"),
            ("rate=repeat&rate_part=missed", "rate_part"),
            ("rate_part=met", "rate_part"),
            ("rate=routing&rate_from=2026-02-30", "rate_from"),
        ] {
            let (s, e) = get(&app, &p.sup, &format!("/api/v1/cases?{query}")).await;
            assert_eq!(s, 422, "{query}: {e}");
            assert!(e["fields"][field].is_string(), "{query}: {e}");
        }

        // The marks kept beside the tallies are exactly what replaying the events gives, and
        // survive a rebuild.
        let stored = app.state.stored_marks().await.expect("marks");
        assert!(!stored.is_empty());
        assert_eq!(stored, app.state.recount_marks().await.expect("recount"));
        app.state.rebuild_tallies().await.expect("rebuild");
        assert_eq!(app.state.stored_marks().await.expect("marks"), stored);
    }
);
