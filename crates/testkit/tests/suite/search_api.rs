//! `GET /api/v1/search` and `POST /api/v1/cases/similar`: a registration is found by a
//! part of its text, its case number or its petitioner's name; never by staff of
//! another unit; phrases and exclusions work; the same matter ranks first.

use crate::common;

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

/// Searches until the page holds `n` items (the index follows the feed a moment
/// behind), then returns it.
async fn search_until(app: &TestApp, c: &Client, query: &str, n: usize) -> Value {
    let path = format!("/api/v1/search?{query}");
    let mut last = Value::Null;
    for _ in 0..100 {
        let (status, page) = get(app, c, &path).await;
        if status == 200 && page["items"].as_array().is_some_and(|i| i.len() >= n) {
            return page;
        }
        last = page;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("search {query} never held {n} items: {last}");
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

both_backends!(search_finds_cases_in_scope_only, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let p = common::people(&app).await;
    let lights = register(
        &app,
        &p.clerk,
        &case_with(json!({
            "content": "西湖区三里屯路口的红绿灯坏了一个多月，早晚高峰经常堵车，差点出事故。",
            "demands": "请尽快修好红绿灯。",
            "respondent": "区交警大队",
            "petitioners": [{"name": "欧阳娜娜", "phone": "13800000001", "id_number": null, "address": null}],
        })),
    )
    .await;
    let lights_id = lights["id"].as_i64().expect("id");
    let case_no = lights["case_no"].as_str().expect("case_no").to_string();
    let fees = register(
        &app,
        &p.clerk,
        &case_with(json!({
            "content": "三里屯小区物业公司擅自把物业费从每平方米1.5元涨到2.8元，没有召开业主大会。",
            "demands": "请求恢复原收费标准。",
            "respondent": "三里屯小区物业公司",
        })),
    )
    .await["id"]
        .as_i64()
        .expect("id");
    let elsewhere = register(
        &app,
        &p.other_clerk,
        &case_with(json!({ "content": "上城区三里屯菜场门口占道经营，行人没法走路。" })),
    )
    .await["id"]
        .as_i64()
        .expect("id");

    // Found by a three-character place name, within the clerk's unit only.
    let page = search_until(&app, &p.clerk, &format!("q={}", enc("三里屯")), 2).await;
    let mut got = ids(&page);
    got.sort_unstable();
    assert_eq!(got, vec![lights_id, fees]);
    let hit = &page["items"][0];
    assert!(
        hit["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>三里屯</mark>")),
        "{hit}"
    );
    assert!(hit["case_no"].is_string() && hit["score"].is_number());
    // Another unit's clerk finds their own case, never this unit's.
    let theirs = search_until(&app, &p.other_clerk, &format!("q={}", enc("三里屯")), 1).await;
    assert_eq!(ids(&theirs), vec![elsewhere]);
    // The province sees all three.
    search_until(&app, &p.sup, &format!("q={}", enc("三里屯")), 3).await;

    // Phrases, exclusions, one character, a part of the case number.
    let page = search_until(&app, &p.clerk, &format!("q={}", enc("三里屯 -物业")), 1).await;
    assert_eq!(ids(&page), vec![lights_id]);
    let page = search_until(&app, &p.clerk, &format!("q={}", enc("\"红绿灯坏了\"")), 1).await;
    assert_eq!(ids(&page), vec![lights_id]);
    let page = search_until(&app, &p.clerk, &format!("q={}", enc("堵")), 1).await;
    assert_eq!(ids(&page), vec![lights_id]);
    let tail = &case_no[case_no.len() - 6..];
    let page = search_until(&app, &p.clerk, &format!("q={tail}"), 1).await;
    assert_eq!(ids(&page), vec![lights_id]);
    let page = search_until(
        &app,
        &p.clerk,
        &format!("q={}", enc(&case_no.to_lowercase())),
        1,
    )
    .await;
    assert_eq!(ids(&page), vec![lights_id]);

    // The petitioner's name finds the case for a role that reads personal data, and the
    // snippet never shows it.
    let page = search_until(&app, &p.clerk, &format!("q={}", enc("欧阳")), 1).await;
    assert_eq!(ids(&page), vec![lights_id]);
    assert!(!page["items"][0]["snippet"]
        .as_str()
        .unwrap_or("")
        .contains("欧阳"));

    // Filters and sorting as on the queue.
    let page = search_until(
        &app,
        &p.clerk,
        &format!("q={}&sort=date&limit=1", enc("三里屯")),
        1,
    )
    .await;
    assert_eq!(ids(&page), vec![fees], "newest first");
    let next = page["next"].as_str().expect("a next page").to_string();
    let page = search_until(
        &app,
        &p.clerk,
        &format!("q={}&sort=date&limit=1&cursor={next}", enc("三里屯")),
        1,
    )
    .await;
    assert_eq!(ids(&page), vec![lights_id]);
    assert!(page["next"].is_null());
    let (status, page) = get(
        &app,
        &p.clerk,
        &format!("/api/v1/search?q={}&state=closed", enc("三里屯")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page["items"], json!([]));
    let (status, page) = get(
        &app,
        &p.clerk,
        &format!(
            "/api/v1/search?q={}&from=2000-01-01&to=2000-12-31",
            enc("三里屯")
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page["items"], json!([]));

    // What cannot be asked.
    let r = get(&app, &p.clerk, "/api/v1/search?q=").await;
    assert_error(&r, 422, "validation_failed");
    assert_eq!(field(&r.1, "q"), "required");
    let r = get(&app, &p.clerk, "/api/v1/search?q=a&sort=size").await;
    assert_eq!(field(&r.1, "sort"), "invalid");
    let r = get(&app, &p.clerk, "/api/v1/search?q=a&from=yesterday").await;
    assert_eq!(field(&r.1, "from"), "invalid_date");
    let r = get(&app, &Client::new(), "/api/v1/search?q=a").await;
    assert_eq!(r.0, 401);
});

both_backends!(similar_ranks_the_same_matter_first, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let p = common::people(&app).await;
    let same = register(
        &app,
        &p.clerk,
        &case_with(json!({
            "content": "我是文三路阳光小区的业主，小区物业公司擅自提高物业费，从每平方米1.5元涨到2.8元，没有召开业主大会，也没有公示。",
            "demands": "请求有关部门查处，恢复原收费标准。",
            "respondent": "阳光小区物业公司",
        })),
    )
    .await["id"]
        .as_i64()
        .expect("id");
    let other_matter = register(
        &app,
        &p.clerk,
        &case_with(json!({
            "content": "文三路阳光小区物业公司不及时清运垃圾，楼道里堆满杂物，夏天臭气熏天，业主多次投诉没有用。",
            "demands": "请督促物业公司清理垃圾。",
            "respondent": "阳光小区物业公司",
        })),
    )
    .await["id"]
        .as_i64()
        .expect("id");
    search_until(&app, &p.clerk, &format!("q={}", enc("阳光小区")), 2).await;

    let (status, body) = post(
        &app,
        &p.clerk,
        "/api/v1/cases/similar",
        &json!({
            "content": "阳光小区物业费一下子从1.5元一平方涨到了2.8元，物业没经过业主大会同意就涨价，希望主管部门管一管。",
            "region": "330102",
            "respondent": "阳光物业",
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let got = ids(&body);
    assert_eq!(got.first(), Some(&same), "{body}");
    if let Some(pos) = got.iter().position(|id| *id == other_matter) {
        assert!(pos > 0);
    }
    assert!(body["items"][0]["score"].as_f64().is_some_and(|s| s > 0.0));

    // Another unit's clerk is offered nothing of this unit.
    let (status, body) = post(
        &app,
        &p.other_clerk,
        "/api/v1/cases/similar",
        &json!({ "content": "阳光小区物业费从1.5元涨到2.8元，没开业主大会" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["items"], json!([]));
    let r = post(
        &app,
        &p.clerk,
        "/api/v1/cases/similar",
        &json!({ "content": " " }),
    )
    .await;
    assert_eq!(field(&r.1, "content"), "required");

    // The unit the petition is registered to: a known code is taken (the same matter
    // still first), an unknown one is refused by name.
    let asked = |unit: &str| {
        json!({
            "content": "阳光小区物业费从1.5元涨到2.8元，没开业主大会就涨价",
            "region": "330102",
            "unit": unit,
        })
    };
    let (status, body) = post(&app, &p.clerk, "/api/v1/cases/similar", &asked("330106")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body).first(), Some(&same), "{body}");
    let (status, body) = post(&app, &p.clerk, "/api/v1/cases/similar", &asked("NO-SUCH")).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field(&body, "unit"), "invalid_unit");
});
