//! The annual report (Art. 41) through the API: every figure equals what the queue lists
//! for the same unit and year, the rates equal the rates API, respondents written in
//! different ways count as one, a unit outside the caller's subtree is a 404, the wording
//! follows an admin's edit (audited), and the rates table opens as XLSX — on SQLite and
//! on PostgreSQL.

use crate::supervision_common::{days_ago, office};
use calamine::{Data, Reader, Xlsx};
use domain::annual::DocumentLang;
use reqwest::Client;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Cursor;
use testkit::http::*;
use testkit::{both_backends, TestApp};

async fn listed(app: &TestApp, c: &Client, query: &str) -> i64 {
    let (s, v) = get(app, c, &format!("/api/v1/cases?{query}&limit=1")).await;
    assert_eq!(s, 200, "{query}: {v}");
    v["total"].as_i64().expect("total")
}

both_backends!(annual_figures_equal_the_queue, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    // Cases spread over the last year in the county, two of them against one respondent
    // written two ways, and one in the county beside it.
    let mut years: BTreeMap<String, i64> = BTreeMap::new();
    for (n, (days, channel, respondent)) in [
        (1, "visit", "某某物业公司"),
        (20, "letter", " 某某 物业公司。"),
        (70, "online", "区住建局"),
        (150, "phone", ""),
        (300, "visit", "区住建局"),
        (360, "letter", "某街道办"),
    ]
    .into_iter()
    .enumerate()
    {
        let on = days_ago(days);
        *years.entry(on[..4].to_string()).or_default() += 1;
        register(
            &app,
            &o.admin,
            &case_with(
                json!({"unit": "330106", "channel": channel, "respondent": respondent,
                "received_on": on, "content": format!("第{n}件：小区物业长期不维修电梯")}),
            ),
        )
        .await;
    }
    register(
        &app,
        &o.admin,
        &case_with(json!({"unit": "330102", "received_on": days_ago(2)})),
    )
    .await;

    let year: i32 = days_ago(0)[..4].parse().expect("year");
    for y in [year, year - 1] {
        let (s, f) = get(
            &app,
            &o.city_sup,
            &format!("/api/v1/reports/annual?unit=330106&year={y}"),
        )
        .await;
        assert_eq!(s, 200, "{f}");
        let range = format!("unit=330106&from={y}-01-01&to={y}-12-31");
        let total = f["total"].as_i64().expect("total");
        assert_eq!(total, listed(&app, &o.city_sup, &range).await, "{y}");
        assert_eq!(total, years.get(&y.to_string()).copied().unwrap_or(0));
        let prev = format!("unit=330106&from={}-01-01&to={}-12-31", y - 1, y - 1);
        assert_eq!(
            f["prev_total"].as_i64(),
            Some(listed(&app, &o.city_sup, &prev).await)
        );
        let months = f["months"].as_array().expect("months");
        assert_eq!(months.len(), 12);
        let mut sum = 0;
        for m in months {
            let month = m["month"].as_str().expect("month");
            let n = m["count"].as_i64().expect("count");
            sum += n;
            assert_eq!(
                n,
                listed(&app, &o.city_sup, &format!("unit=330106&month={month}")).await,
                "{month}"
            );
        }
        assert_eq!(sum, total, "the months add up to the year");
        for (field, filter) in [
            ("by_channel", "channel"),
            ("by_type", "type"),
            ("by_category", "category"),
        ] {
            let mut sum = 0;
            for r in f[field].as_array().expect("rows") {
                let key = r["key"].as_str().expect("key").replace('!', "%21");
                let n = r["count"].as_i64().expect("count");
                sum += n;
                assert_eq!(
                    n,
                    listed(&app, &o.city_sup, &format!("{range}&{filter}={key}")).await,
                    "{field} {key}"
                );
            }
            assert_eq!(sum, total, "{field} adds up");
        }
        // The rates are the rates API's for the same unit and days.
        let (s, rates) = get(
            &app,
            &o.city_sup,
            &format!("/api/v1/stats/rates?unit=330106&from={y}-01-01&to={y}-12-31"),
        )
        .await;
        assert_eq!(s, 200);
        for pair in f["rates"].as_array().expect("rates") {
            let name = pair[0].as_str().expect("rate");
            assert_eq!(pair[1]["num"], rates["total"][name]["num"], "{name}");
            assert_eq!(pair[1]["den"], rates["total"][name]["den"], "{name}");
        }
    }
    // Two spellings of one respondent are one row, named as written most.
    let mut both = 0;
    for y in [year, year - 1] {
        let (_, f) = get(
            &app,
            &o.city_sup,
            &format!("/api/v1/reports/annual?unit=330106&year={y}"),
        )
        .await;
        for r in f["top_respondents"].as_array().expect("respondents") {
            if r["name"].as_str().unwrap_or("").contains("物业") {
                both += r["count"].as_i64().unwrap_or(0);
            }
            assert_ne!(r["name"], "", "no empty respondent");
        }
    }
    assert_eq!(both, 2);

    // Scope: the county beside it, and a unit above the caller, are not found.
    let (s, _) = get(&app, &o.other_clerk, "/api/v1/reports/annual?unit=330106").await;
    assert_eq!(s, 404);
    let (s, _) = get(&app, &o.county_clerk, "/api/v1/reports/annual?unit=3301").await;
    assert_eq!(s, 404);
    let (s, v) = get(&app, &o.city_sup, "/api/v1/reports/annual?year=abc").await;
    assert_eq!(s, 422);
    assert_eq!(v["fields"]["year"], "invalid", "{v}");
    let (s, v) = get(&app, &o.city_sup, "/api/v1/reports/annual?year=1800").await;
    assert_eq!(s, 422, "{v}");
});

both_backends!(annual_wording_follows_the_admins_edit, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    register(
        &app,
        &o.admin,
        &case_with(json!({"unit": "330106", "received_on": days_ago(1)})),
    )
    .await;
    let year: i32 = days_ago(1)[..4].parse().expect("year");
    let admin = app.store.user_by_name("admin").await.expect("admin");
    let caller = app::Caller::of(&admin, "");
    let sup = app.store.user_by_name("hz_sup").await.expect("sup");
    let sup = app::Caller::of(&sup, "");
    let before = app
        .state
        .annual_report(&sup, Some("330106"), year, DocumentLang::Zh, "开展专项治理")
        .await
        .expect("report");
    assert!(before.text.contains("开展专项治理"), "{}", before.text);
    assert!(before.template_from.is_none());
    app.state
        .set_annual_template(
            &caller,
            DocumentLang::Zh,
            "{year}年{unit}共收到{total}件。主要工作：{done}",
        )
        .await
        .expect("edit");
    let audited = audit(&app, &o.admin, "annual_template_set").await;
    assert_eq!(audited.len(), 1, "{audited:?}");
    let after = app
        .state
        .annual_report(&sup, Some("330106"), year, DocumentLang::Zh, "开展专项治理")
        .await
        .expect("report");
    assert_eq!(
        after.text,
        format!("{year}年西湖区信访局共收到1件。主要工作：开展专项治理")
    );
    // Only admins edit the wording.
    assert!(matches!(
        app.state
            .set_annual_template(&sup, DocumentLang::Zh, "x")
            .await,
        Err(app::AppError::Forbidden)
    ));
    // Issuing keeps a frozen version; each issue is the next version.
    let v1 = app
        .state
        .issue_annual_report(&sup, Some("330106"), year, DocumentLang::Zh, "开展专项治理")
        .await
        .expect("issue");
    let v2 = app
        .state
        .issue_annual_report(&sup, Some("330106"), year, DocumentLang::Zh, "")
        .await
        .expect("issue");
    assert_eq!((v1.version, v2.version), (1, 2));
    assert_eq!(v1.body, after.text);
    let figures: Value = serde_json::from_str(&v1.figures).expect("json");
    assert_eq!(figures["total"], 1);
});

both_backends!(rates_and_search_export_as_files, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    register(
        &app,
        &o.admin,
        &case_with(json!({"unit": "330106", "received_on": days_ago(1)})),
    )
    .await;
    let (_, rates) = get(&app, &o.city_sup, "/api/v1/stats/rates").await;
    let res = o
        .city_sup
        .get(app.url("/api/v1/stats/rates/export?format=xlsx"))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("bytes").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a readable XLSX file");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("rows");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let units = rates["rows"].as_array().expect("rows");
    assert_eq!(
        rows.len(),
        units.len() + 2,
        "headings, one row per unit, total"
    );
    for (row, unit) in rows[1..].iter().zip(units) {
        assert_eq!(row[1], unit["unit"].as_str().expect("code"));
        // The first rate (routing): percent, numerator, denominator.
        assert_eq!(
            row[3],
            unit["rates"]["routing"]["num"].to_string(),
            "{row:?}"
        );
        assert_eq!(
            row[4],
            unit["rates"]["routing"]["den"].to_string(),
            "{row:?}"
        );
    }
    let total = rows.last().expect("total");
    assert_eq!(total[4], rates["total"]["routing"]["den"].to_string());
    let res = o
        .city_sup
        .get(app.url("/api/v1/stats/rates/export?format=csv&unit=330106"))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/csv"));
    // Scope: a unit outside the subtree is not found; a bad format is named.
    let res = o
        .other_clerk
        .get(app.url("/api/v1/stats/rates/export?unit=330106"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404);
    let (s, v) = get(&app, &o.city_sup, "/api/v1/stats/rates/export?format=pdf").await;
    assert_eq!(s, 422);
    assert_eq!(v["fields"]["format"], "invalid_format");
});
