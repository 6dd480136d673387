//! The history of daily reports: found by words, days, unit and kind, only within the
//! reader's scope, page by page, and downloaded as XLSX and CSV with what the search found.

use crate::duty_reports::{city, file};
use crate::exports_api::xlsx_rows;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn days(v: &Value) -> Vec<(String, i64, String)> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| {
            (
                r["unit_code"].as_str().expect("unit").to_string(),
                r["version"].as_i64().expect("version"),
                r["incidents"].as_str().expect("incidents").to_string(),
            )
        })
        .collect()
}

async fn history(app: &TestApp, c: &reqwest::Client, query: &str) -> Value {
    let (s, v) = get(app, c, &format!("/api/v1/reports/history?{query}")).await;
    assert_eq!(s, 200, "{query}: {v}");
    v
}

both_backends!(
    report_history_finds_by_words_days_unit_and_kind_within_scope_and_exports,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = city(&app).await;
        let day = c.day.to_string();
        // The first county reports wage arrears, then corrects it; the second says all is
        // quiet; the third reports a road closure.
        let wage =
            |text: &str| json!({"unit": "330102", "date": day, "window": 1, "incidents": text});
        file(
            &app,
            &c.counties[0],
            wage("某工地欠薪，18 名工人到镇政府反映"),
        )
        .await;
        file(
            &app,
            &c.counties[0],
            wage("某工地欠薪，18 名工人到镇政府反映，已协调发放"),
        )
        .await;
        file(
            &app,
            &c.counties[1],
            json!({"unit": "330103", "date": day, "window": 1, "nothing_to_report": true}),
        )
        .await;
        file(
            &app,
            &c.counties[2],
            json!({"unit": "330104", "date": day, "window": 1, "incidents": "暴雨致道路封闭"}),
        )
        .await;

        // Words find the latest version only, unless every version is asked for.
        let found = history(&app, &c.city, "q=%E6%AC%A0%E8%96%AA").await;
        assert_eq!(
            days(&found),
            [(
                "330102".to_string(),
                2,
                "某工地欠薪，18 名工人到镇政府反映，已协调发放".to_string()
            )]
        );
        let all = history(&app, &c.city, "q=%E6%AC%A0%E8%96%AA&all_versions=true").await;
        assert_eq!(days(&all).len(), 2, "{all}");
        // Two words must both appear.
        let both = history(&app, &c.city, "q=%E6%AC%A0%E8%96%AA+%E6%9A%B4%E9%9B%A8").await;
        assert!(days(&both).is_empty(), "{both}");

        // Kind, unit and days.
        let quiet = history(&app, &c.city, "nothing=true").await;
        assert_eq!(days(&quiet).len(), 1);
        assert_eq!(quiet["items"][0]["unit_code"], "330103");
        let content = history(&app, &c.city, "nothing=false").await;
        assert_eq!(days(&content).len(), 2, "{content}");
        let one = history(&app, &c.city, "unit=330104").await;
        assert_eq!(
            days(&one),
            [("330104".to_string(), 1, "暴雨致道路封闭".to_string())]
        );
        let before = c.day - chrono::Duration::days(1);
        let none = history(&app, &c.city, &format!("to={before}")).await;
        assert!(days(&none).is_empty(), "{none}");
        let on_day = history(&app, &c.city, &format!("from={day}&to={day}")).await;
        assert_eq!(days(&on_day).len(), 3);

        // A county sees its own reports only, and cannot name another's unit.
        let own = history(&app, &c.counties[1], "").await;
        assert_eq!(days(&own).len(), 1);
        assert_eq!(own["items"][0]["unit_code"], "330103");
        assert_error(
            &get(&app, &c.counties[1], "/api/v1/reports/history?unit=330102").await,
            422,
            "validation_failed",
        );
        // Bad input is named.
        assert_error(
            &get(&app, &c.city, "/api/v1/reports/history?from=2026-13-01").await,
            422,
            "validation_failed",
        );
        assert_error(
            &get(
                &app,
                &c.city,
                &format!("/api/v1/reports/history?from={day}&to={before}"),
            )
            .await,
            422,
            "validation_failed",
        );

        // Pages: one at a time, no report twice, none lost.
        let first = history(&app, &c.city, "limit=2").await;
        assert_eq!(days(&first).len(), 2);
        let next = first["next"].as_str().expect("a next page").to_string();
        let second = history(&app, &c.city, &format!("limit=2&cursor={next}")).await;
        assert_eq!(days(&second).len(), 1);
        assert!(second["next"].is_null());
        let mut ids: Vec<i64> = [&first, &second]
            .iter()
            .flat_map(|p| p["items"].as_array().expect("items").clone())
            .map(|r| r["id"].as_i64().expect("id"))
            .collect();
        ids.dedup();
        assert_eq!(ids.len(), 3);

        // The download holds what the search found.
        let res = c
            .city
            .get(app.url("/api/v1/reports/history/export?q=%E6%AC%A0%E8%96%AA&format=xlsx"))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        let rows = xlsx_rows(res.bytes().await.expect("bytes").to_vec());
        assert_eq!(rows.len(), 2, "heading and one report: {rows:?}");
        assert_eq!(rows[0][0], "日期");
        assert_eq!(rows[1][0], day);
        assert_eq!(rows[1][1], "330102");
        assert_eq!(rows[1][4], "2", "the latest version");
        assert_eq!(rows[1][14], "某工地欠薪，18 名工人到镇政府反映，已协调发放");
        let csv = c
            .city
            .get(app.url("/api/v1/reports/history/export?nothing=true&format=csv&lang=en"))
            .send()
            .await
            .expect("export")
            .text()
            .await
            .expect("text");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2, "{csv}");
        assert!(lines[0].contains("Unit code"), "{csv}");
        assert!(
            lines[1].contains("330103") && lines[1].contains("Nothing"),
            "{csv}"
        );
    }
);
