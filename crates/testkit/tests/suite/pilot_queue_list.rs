//! The queue as a pilot office uses it: the result count, partial case numbers and the
//! stage of each case, through `GET /api/v1/cases` on SQLite and on PostgreSQL.

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

async fn page(app: &TestApp, c: &Client, query: &str) -> Value {
    let (status, body) = get(app, c, &format!("/api/v1/cases{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

fn case_nos(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["case_no"].as_str().expect("case_no").to_string())
        .collect()
}

/// Pages through a query and returns every case number seen, checking that each page
/// reports the same total.
async fn walk(app: &TestApp, c: &Client, query: &str) -> (Vec<String>, i64) {
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    let mut total = None;
    loop {
        let q = match &cursor {
            None => format!("?limit=4&{query}"),
            Some(cur) => format!("?limit=4&{query}&cursor={cur}"),
        };
        let p = page(app, c, &q).await;
        let t = p["total"].as_i64().expect("total");
        assert_eq!(p["total_exact"], true, "{p}");
        assert_eq!(
            *total.get_or_insert(t),
            t,
            "every page reports the same total"
        );
        seen.extend(case_nos(&p));
        match p["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
    }
    (seen, total.unwrap_or(0))
}

both_backends!(count_matches_the_cases_paged_through, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    app.unit(&admin, "330106", "杭州市西湖区信访局", "county", "ROOT")
        .await;
    let clerk = app.user(&admin, "pq_clerk", "clerk", "ROOT").await;
    for i in 0..11 {
        let mut case = sample_case();
        if i % 3 == 0 {
            case["channel"] = json!("letter");
        }
        if i % 4 == 0 {
            case["unit"] = json!("330106");
        }
        register(&app, &clerk, &case).await;
    }
    let (all, total) = walk(&app, &clerk, "state=").await;
    assert_eq!(total, 11);
    assert_eq!(all.len(), 11);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 11, "no case twice across pages");

    let (letters, total) = walk(&app, &clerk, "channel=letter").await;
    assert_eq!((letters.len() as i64, total), (4, 4));
    let (xihu, total) = walk(&app, &clerk, "unit=330106&sort=registered").await;
    assert_eq!((xihu.len() as i64, total), (3, 3));
    let none = page(&app, &clerk, "?channel=fax").await;
    assert_eq!(none["total"], 0);
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
});

both_backends!(partial_case_numbers_match_the_sequence, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let clerk = app.user(&admin, "pq_clerk2", "clerk", "ROOT").await;
    let mut numbers = vec![];
    for _ in 0..12 {
        let r = register(&app, &clerk, &sample_case()).await;
        numbers.push(r["case_no"].as_str().expect("case_no").to_string());
    }
    let third = numbers[2].clone();
    assert!(third.ends_with("-000003"), "{third}");
    let year_seq = third.split_once('-').expect("unit-").1.to_string();

    for input in [
        "000003",
        "3",
        "03",
        year_seq.as_str(),
        third.as_str(),
        &third.to_lowercase(),
    ] {
        let p = page(&app, &clerk, &format!("?state=&case_no={input}")).await;
        assert_eq!(case_nos(&p), vec![third.clone()], "{input} finds {third}");
        assert_eq!(p["total"], 1, "{input}");
    }
    // `000012` is the twelfth, not the first and second.
    let p = page(&app, &clerk, "?state=&case_no=000012").await;
    assert_eq!(case_nos(&p), vec![numbers[11].clone()]);
    // The unit-and-year start finds them all.
    let prefix = &third[..third.len() - 6];
    let p = page(&app, &clerk, &format!("?state=&limit=50&case_no={prefix}")).await;
    assert_eq!(p["total"], 12, "{prefix}");
    // `%` and `_` are literal characters, not wildcards.
    for wild in [
        "%25",
        "_",
        "ROOT-%25",
        &format!("{}_", &third[..third.len() - 1]),
    ] {
        let p = page(&app, &clerk, &format!("?state=&case_no={wild}")).await;
        assert_eq!(p["total"], 0, "{wild} is literal: {p}");
    }
    // A number in another scope is not found.
    app.unit(&admin, "330102", "上城区信访局", "county", "ROOT")
        .await;
    let other = app.user(&admin, "pq_other", "clerk", "330102").await;
    let p = page(&app, &other, "?state=&case_no=000003").await;
    assert_eq!(p["total"], 0);
});

both_backends!(each_case_carries_its_stage, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let sup = app.user(&admin, "pq_sup", "supervisor", "ROOT").await;
    let r = register(&app, &sup, &sample_case()).await;
    let id = r["id"].as_i64().expect("id");
    let p = page(&app, &sup, "?state=").await;
    assert_eq!(p["items"][0]["stage"], "routing");
    let (status, body) = post(
        &app,
        &sup,
        &format!("/api/v1/cases/{id}/actions/route"),
        &json!({ "mode": "self" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let p = page(&app, &sup, "?state=").await;
    assert_eq!(p["items"][0]["stage"], "acceptance", "{p}");
    // The staff queue names the stage in Chinese.
    let html = sup
        .get(app.url("/staff/cases"))
        .send()
        .await
        .expect("queue")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("受理告知"),
        "the stage column names the stage"
    );
    assert!(html.contains("共 1 件"), "the queue shows the count");
});
