//! The dispute list pages (a cursor through the API, "next page" on the page, the
//! filters kept), and the register figures page that shows what
//! `GET /api/v1/stats/disputes` gives; on both backends.

use crate::disputes_api::create;
use crate::supervision_common::*;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

async fn html(app: &TestApp, c: &reqwest::Client, path: &str, lang: &str) -> String {
    c.get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

both_backends!(
    the_dispute_list_pages_and_its_figures_show,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let mut ids = vec![];
        for n in 0..53 {
            let kind = if n % 2 == 0 {
                "wage_arrears"
            } else {
                "land_compensation"
            };
            let d = create(
                &app,
                &o.county_clerk,
                json!({"kind": kind, "title": format!("纠纷 {n:02}")}),
            )
            .await;
            ids.push(d["id"].as_i64().expect("id"));
        }
        ids.reverse(); // newest first, as the list is

        // The API: unpaged, the whole list; paged, a cursor to the next page.
        let (_, all) = get(&app, &o.city_sup, "/api/v1/disputes").await;
        assert_eq!(all.as_array().expect("list").len(), 53);
        let mut seen = vec![];
        let mut cursor = String::new();
        loop {
            let res = o
                .city_sup
                .get(app.url(&format!("/api/v1/disputes?limit=20&cursor={cursor}")))
                .send()
                .await
                .expect("page");
            assert_eq!(res.status(), 200);
            let next = res
                .headers()
                .get("x-next-cursor")
                .map(|v| v.to_str().expect("cursor").to_string());
            let page: serde_json::Value = res.json().await.expect("json");
            seen.extend(
                page.as_array()
                    .expect("page")
                    .iter()
                    .filter_map(|d| d["id"].as_i64()),
            );
            match next {
                Some(n) => cursor = n,
                None => break,
            }
        }
        assert_eq!(seen, ids, "every entry once, newest first");
        let (_, first) = get(&app, &o.city_sup, "/api/v1/disputes?limit=20").await;
        assert_eq!(first.as_array().expect("page").len(), 20);
        let bad = get(&app, &o.city_sup, "/api/v1/disputes?limit=0").await;
        assert_eq!(field(&bad.1, "limit"), "invalid", "{:?}", bad);
        let bad = get(&app, &o.city_sup, "/api/v1/disputes?cursor=abc").await;
        assert_eq!(field(&bad.1, "cursor"), "invalid");
        // Filters hold across pages.
        let (_, wages) = get(
            &app,
            &o.city_sup,
            "/api/v1/disputes?kind=wage_arrears&limit=500",
        )
        .await;
        assert_eq!(wages.as_array().expect("list").len(), 27);

        // The page: 50, then the rest, the filters kept in the links.
        let page = html(&app, &o.city_sup, "/staff/disputes", "zh-CN").await;
        assert!(page.contains("本页 50 条"), "{page}");
        let next = page
            .split("data-testid=\"dispute-next-page\"")
            .next()
            .and_then(|s| s.rsplit("href=\"").next())
            .and_then(|s| s.split('"').next())
            .expect("next link")
            .replace("&amp;", "&");
        assert_eq!(next, format!("/staff/disputes?cursor={}", ids[49]));
        let rest = html(&app, &o.city_sup, &next, "zh-CN").await;
        assert!(rest.contains("本页 3 条"), "{rest}");
        assert!(rest.contains("data-testid=\"dispute-first-page\""));
        assert!(!rest.contains("data-testid=\"dispute-next-page\""));
        let few = html(
            &app,
            &o.city_sup,
            "/staff/disputes?kind=land_compensation&lang=en",
            "en",
        )
        .await;
        assert!(few.contains("26 entries"), "{few}");
        assert!(!few.contains("dispute-pager"));

        // The figures page: by kind, outcome and unit, each linking to its list.
        let stats = html(&app, &o.city_sup, "/staff/stats/registers", "zh-CN").await;
        assert!(
            stats.contains("data-testid=\"reg-disputes-by-kind\""),
            "{stats}"
        );
        assert!(stats.contains("拖欠工资</td><td class=\"num\" data-label=\"件数\"><a href=\"/staff/disputes?kind=wage_arrears\">27</a>"), "{stats}");
        assert!(
            stats.contains("<a href=\"/staff/disputes?outcome=open\">53</a>"),
            "{stats}"
        );
        assert!(stats.contains("西湖区信访局</td>"), "{stats}");
        assert!(stats.contains("共 53 条"));
        let en = html(&app, &o.city_sup, "/staff/stats/registers?lang=en", "en").await;
        assert!(
            en.contains("Register figures")
                && en.contains("By kind")
                && en.contains("Wage arrears"),
            "{en}"
        );
        // The sibling county's figures hold none of it.
        let other = html(&app, &o.other_clerk, "/staff/stats/registers", "zh-CN").await;
        assert!(other.contains("共 0 条"), "{other}");
    }
);
