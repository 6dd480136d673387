//! The supervision board: late and due-soon cases by unit and stage, each figure equal to
//! the queue's count of its cases, scoped to the caller's subtree, on both backends.

use crate::supervision_common::*;
use serde_json::Value;
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn unit<'a>(board: &'a Value, code: &str) -> &'a Value {
    board["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["code"] == code)
        .unwrap_or_else(|| panic!("{code} on the board: {board}"))
}

async fn queue_total(app: &TestApp, c: &reqwest::Client, query: &str) -> i64 {
    let (status, v) = get(app, c, &format!("/api/v1/cases?{query}")).await;
    assert_eq!(status, 200, "{query}: {v}");
    v["total"].as_i64().expect("total")
}

both_backends!(
    the_board_counts_late_cases_by_unit_and_stage,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let late = case_in(&app, &o, "330106", 40).await;
        case_in(&app, &o, "330106", 30).await;
        case_in(&app, &o, "330106", 13).await; // routing due within two days
        case_in(&app, &o, "330106", 0).await; // not due soon
        case_in(&app, &o, "330102", 40).await;

        let (status, board) = get(&app, &o.city_sup, "/api/v1/supervision/board").await;
        assert_eq!(status, 200, "{board}");
        let city = unit(&board, "3301");
        assert_eq!(city["depth"], 0);
        assert_eq!(city["total"]["overdue"], 3, "{city}");
        assert_eq!(city["stages"]["routing"]["due_soon"], 1, "{city}");
        let county = unit(&board, "330106");
        assert_eq!(county["depth"], 1);
        assert_eq!(county["stages"]["routing"]["overdue"], 2, "{county}");
        assert_eq!(county["stages"]["routing"]["due_soon"], 1);
        assert!(county["stages"]["handling"].is_null(), "{county}");
        assert!(county["total"]["max_days_late"].as_i64().expect("days") >= 20);

        // Every figure is the queue's count of exactly its cases.
        for (code, due, n) in [
            ("330106", "overdue", 2),
            ("330106", "due_soon", 1),
            ("3301", "overdue", 3),
        ] {
            assert_eq!(
                queue_total(
                    &app,
                    &o.city_sup,
                    &format!("unit={code}&stage=routing&due={due}")
                )
                .await,
                n,
                "{code} {due}"
            );
        }
        assert_eq!(
            queue_total(&app, &o.city_sup, "unit=330106&stage=handling&due=overdue").await,
            0
        );

        // The most late first, with how many days late.
        let first = &board["late"][0];
        assert_eq!(first["id"], late);
        assert_eq!(first["delay_stage"], "routing");
        let due =
            chrono::NaiveDate::parse_from_str(first["due_on"].as_str().expect("due"), "%Y-%m-%d")
                .expect("date");
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        assert_eq!(first["days_late"], (today - due).num_days());

        // A county's supervisor sees only the county; a clerk may not read the board.
        let (_, own) = get(&app, &o.county_sup, "/api/v1/supervision/board").await;
        assert_eq!(own["units"].as_array().map(Vec::len), Some(1), "{own}");
        assert_eq!(unit(&own, "330106")["total"]["overdue"], 2);
        assert_error(
            &get(&app, &o.county_clerk, "/api/v1/supervision/board").await,
            403,
            "forbidden",
        );
        let (status, _) = get(&app, &o.auditor, "/api/v1/supervision/board").await;
        assert_eq!(status, 200);

        // The page links each figure to the queue behind it.
        let res = o
            .city_sup
            .get(app.url("/staff/supervision"))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 200);
        let html = res
            .text()
            .await
            .expect("html")
            .replace("&amp;", "&")
            .replace("&#x2f;", "/")
            .replace("&#38;", "&")
            .replace("&#61;", "=");
        assert!(
            html.contains("/staff/cases?state=open&unit=330106&stage=routing&due=overdue"),
            "a link to the queue: {}",
            html.split("data-stage=\"routing\"")
                .nth(1)
                .unwrap_or("")
                .get(..300)
                .unwrap_or("")
        );
        let res = o
            .city_sup
            .get(app.url("/staff/cases?unit=330106&stage=routing&due=overdue"))
            .send()
            .await
            .expect("queue");
        assert_eq!(res.status(), 200);
        assert!(res.text().await.expect("html").contains("共 2 件"));
    }
);
