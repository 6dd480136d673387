//! Linking cases on one matter (`POST /api/v1/cases/{id}/links`, `DELETE
//! /api/v1/cases/{id}/links/{other}`): the link is an event on both cases and shows on
//! both; who may link; and the related-case suggestions flag a concluded matter so the
//! repeat rule (Art. 36) can be applied while a petition is registered.

use crate::common::{self, ok, People};

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

async fn delete(app: &TestApp, c: &Client, path: &str) -> (reqwest::StatusCode, Value) {
    send(c.delete(app.url(path))).await
}

async fn case(app: &TestApp, c: &Client, id: i64) -> Value {
    let (status, v) = get(app, c, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn event_kinds(app: &TestApp, c: &Client, id: i64) -> Vec<(String, Value)> {
    let (_, v) = get(app, c, &format!("/api/v1/cases/{id}/events")).await;
    v.as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or("").to_string(),
                e["payload"].clone(),
            )
        })
        .collect()
}

async fn page(app: &TestApp, c: &Client, id: i64) -> String {
    c.get(app.url(&format!("/staff/cases/{id}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().expect("id")
}

/// Works a case registered by the province through reply, review and re-review until the
/// procedure ends (终结): the matter is concluded (Art. 36).
pub async fn conclude(app: &TestApp, p: &People, id: i64) {
    let today = common::today();
    ok(
        app,
        &p.sup,
        id,
        "route",
        json!({"mode":"transfer","unit":"330106"}),
    )
    .await;
    ok(app, &p.handler, id, "accept", json!({})).await;
    ok(
        app,
        &p.handler,
        id,
        "reply",
        json!({"outcome":"explain","text":"已依法作出解释。","basis":"《劳动合同法》第三十条"}),
    )
    .await;
    ok(app, &p.leader, id, "approve", json!({})).await;
    ok(app, &p.clerk, id, "deliver", json!({"received_on": today})).await;
    ok(
        app,
        &p.clerk,
        id,
        "request_review",
        json!({"reason":"不服"}),
    )
    .await;
    ok(
        app,
        &p.root_leader,
        id,
        "review_decision",
        json!({"outcome":"uphold","text":"维持"}),
    )
    .await;
    ok(app, &p.root_leader, id, "approve", json!({})).await;
    ok(app, &p.clerk, id, "deliver", json!({"received_on": today})).await;
    ok(
        app,
        &p.clerk,
        id,
        "request_rereview",
        json!({"reason":"仍不服"}),
    )
    .await;
    ok(
        app,
        &p.sup,
        id,
        "rereview_decision",
        json!({"outcome":"uphold","text":"复核维持"}),
    )
    .await;
    ok(app, &p.root_leader, id, "approve", json!({})).await;
    let v = ok(app, &p.clerk, id, "deliver", json!({"received_on": today})).await;
    assert_eq!(v["stage"], "concluded");
}

both_backends!(
    linking_shows_on_both_cases_and_their_timelines,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = common::people(&app).await;
        let first = register(&app, &p.clerk, &case_with(json!({"region":"330106"}))).await;
        let again = register(&app, &p.clerk, &case_with(json!({"region":"330106"}))).await;
        let (a, b) = (id_of(&again), id_of(&first));
        let (a_no, b_no) = (
            again["case_no"].as_str().expect("no"),
            first["case_no"].as_str().expect("no"),
        );

        // The new petition is a duplicate of the first.
        let (status, links) = post(
            &app,
            &p.clerk,
            &format!("/api/v1/cases/{a}/links"),
            &json!({"other": b, "kind": "duplicate_of"}),
        )
        .await;
        assert_eq!(status, 200, "{links}");
        assert_eq!(links["items"][0]["id"], b);
        assert_eq!(links["items"][0]["case_no"], b_no);
        assert_eq!(links["items"][0]["reading"], "duplicate_of");

        // Both cases list it, each reading it from its own side.
        let ca = case(&app, &p.handler, a).await;
        assert_eq!(ca["links"][0]["case_no"], b_no, "{}", ca["links"]);
        assert_eq!(ca["links"][0]["kind"], "duplicate_of");
        let cb = case(&app, &p.handler, b).await;
        assert_eq!(cb["links"][0]["case_no"], a_no);
        assert_eq!(cb["links"][0]["reading"], "duplicated_by");
        assert_eq!(cb["links"][0]["stage"], "routing");

        // An event on both cases, naming the other.
        let ea = event_kinds(&app, &p.clerk, a).await;
        let (_, pa) = ea
            .iter()
            .find(|(k, _)| k == "case_linked")
            .expect("linked on a");
        assert_eq!(pa["other"], b);
        assert_eq!(pa["other_no"], b_no);
        let eb = event_kinds(&app, &p.clerk, b).await;
        let (_, pb) = eb
            .iter()
            .find(|(k, _)| k == "case_linked")
            .expect("linked on b");
        assert_eq!(pb["other"], a);
        assert_eq!(pb["inverse"], true);

        // Both case pages show the link with the other case's number and a link to it, and
        // the timeline says it.
        let html = page(&app, &p.clerk, b).await;
        assert!(
            html.contains(&format!("href=\"/staff/cases/{a}\"")) && html.contains(a_no),
            "page b"
        );
        assert!(
            html.contains(&format!("{a_no} 为本件的重复件")),
            "timeline b"
        );
        let html = page(&app, &p.clerk, a).await;
        assert!(
            html.contains(&format!("href=\"/staff/cases/{b}\"")),
            "page a"
        );
        assert!(
            html.contains(&format!("本件为 {b_no} 的重复件")),
            "timeline a"
        );

        // One link per pair, from either side; never to itself; a known kind only.
        let r = post(
            &app,
            &p.clerk,
            &format!("/api/v1/cases/{b}/links"),
            &json!({"other": a, "kind": "same_matter"}),
        )
        .await;
        assert_eq!(field(&r.1, "other"), "already_linked", "{}", r.1);
        let r = post(
            &app,
            &p.clerk,
            &format!("/api/v1/cases/{a}/links"),
            &json!({"other": a, "kind": "same_matter"}),
        )
        .await;
        assert_eq!(field(&r.1, "other"), "same_case");
        let r = post(
            &app,
            &p.clerk,
            &format!("/api/v1/cases/{a}/links"),
            &json!({"other": b, "kind": "cousin"}),
        )
        .await;
        assert_eq!(field(&r.1, "kind"), "invalid_kind");

        // Removing it is an event on both, and both pages stop showing it.
        let (status, links) =
            delete(&app, &p.handler, &format!("/api/v1/cases/{b}/links/{a}")).await;
        assert_eq!(status, 200, "{links}");
        assert_eq!(links["items"], json!([]));
        assert_eq!(case(&app, &p.clerk, a).await["links"], json!([]));
        for id in [a, b] {
            let kinds = event_kinds(&app, &p.clerk, id).await;
            assert!(kinds.iter().any(|(k, _)| k == "case_unlinked"), "{id}");
        }
        let r = delete(&app, &p.handler, &format!("/api/v1/cases/{b}/links/{a}")).await;
        assert_eq!(field(&r.1, "other"), "not_linked");
        // Linked again, as an earlier stage.
        let (status, links) = post(
            &app,
            &p.leader,
            &format!("/api/v1/cases/{a}/links"),
            &json!({"other": b, "kind": "earlier_stage"}),
        )
        .await;
        assert_eq!(status, 200, "{links}");
        assert_eq!(
            case(&app, &p.clerk, b).await["links"][0]["reading"],
            "later_stage"
        );
    }
);

both_backends!(
    linking_needs_a_role_that_acts_and_both_cases_in_reach,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = common::people(&app).await;
        let a = id_of(&register(&app, &p.clerk, &case_with(json!({"region":"330106"}))).await);
        let b = id_of(&register(&app, &p.clerk, &case_with(json!({"region":"330106"}))).await);
        let theirs = id_of(&register(&app, &p.other_clerk, &sample_case()).await);
        let body = json!({"other": b, "kind": "same_matter"});
        // Auditors read but change nothing.
        let r = post(&app, &p.auditor, &format!("/api/v1/cases/{a}/links"), &body).await;
        assert_error(&r, 403, "forbidden");
        // Another unit's clerk cannot reach either case.
        let r = post(
            &app,
            &p.other_clerk,
            &format!("/api/v1/cases/{a}/links"),
            &body,
        )
        .await;
        assert_error(&r, 404, "not_found");
        // A case out of the clerk's scope cannot be linked to.
        let r = post(
            &app,
            &p.clerk,
            &format!("/api/v1/cases/{a}/links"),
            &json!({"other": theirs, "kind": "same_matter"}),
        )
        .await;
        assert_eq!(field(&r.1, "other"), "unknown_case");
        let r = post(
            &app,
            &p.clerk,
            &format!("/api/v1/cases/{a}/links"),
            &json!({"other": 999_999, "kind": "same_matter"}),
        )
        .await;
        assert_eq!(field(&r.1, "other"), "unknown_case");
        // The province's supervisor reaches both of theirs and links across units.
        let (status, _) = post(
            &app,
            &p.sup,
            &format!("/api/v1/cases/{theirs}/links"),
            &json!({"other": a, "kind": "same_matter"}),
        )
        .await;
        assert_eq!(status, 200);
        // The clerk sees the link on their own case, naming the other unit's case number.
        assert_eq!(case(&app, &p.clerk, a).await["links"][0]["id"], theirs);
        // Nothing was written by the refused attempts.
        let kinds = event_kinds(&app, &p.clerk, b).await;
        assert!(!kinds.iter().any(|(k, _)| k == "case_linked"));
    }
);

both_backends!(
    linking_similar_flags_a_concluded_matter,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = common::people(&app).await;
        let wages = json!({
            "region": "330106",
            "content": "我在西溪湿地旁的星河建筑工地做钢筋工，包工头拖欠我们十二个人三个月工资共计十八万元，多次讨要无果。",
            "demands": "请求督促星河建筑公司支付拖欠的工资。",
            "respondent": "星河建筑公司",
        });
        let concluded = id_of(&register(&app, &p.sup, &case_with(wages.clone())).await);
        conclude(&app, &p, concluded).await;
        let open = id_of(&register(&app, &p.clerk, &case_with(json!({
        "region": "330106",
        "content": "星河建筑公司西溪工地的包工头拖欠钢筋工工资，工人们去讨薪被保安赶出来。",
        "respondent": "星河建筑公司",
    }))).await);

        let body = json!({
            "content": "星河建筑公司西溪工地拖欠我们钢筋工三个月的工资，一共十八万元，包工头一直不给。",
            "region": "330106",
            "respondent": "星河建筑",
        });
        let mut found = Value::Null;
        for _ in 0..100 {
            let (status, v) = post(&app, &p.clerk, "/api/v1/cases/similar", &body).await;
            if status == 200 && v["items"].as_array().is_some_and(|i| i.len() >= 2) {
                found = v;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let items = found["items"].as_array().expect("two suggestions");
        let by_id = |id: i64| {
            items
                .iter()
                .find(|i| i["id"] == id)
                .expect("suggested")
                .clone()
        };
        let c = by_id(concluded);
        assert_eq!(c["concluded"], true, "{c}");
        assert_eq!(c["stage"], "concluded");
        assert_eq!(c["state"], "open");
        let o = by_id(open);
        assert_eq!(o["concluded"], false, "{o}");
        assert_eq!(o["stage"], "routing");
    }
);

/// The CSRF token a staff page carries in its forms.
fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[at..].split('"').next().unwrap_or("").to_string()
}

both_backends!(linking_from_the_case_page_by_number, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let p = common::people(&app).await;
    let a = id_of(&register(&app, &p.clerk, &case_with(json!({"region":"330106"}))).await);
    let earlier = register(&app, &p.clerk, &case_with(json!({"region":"330106"}))).await;
    let b = id_of(&earlier);
    let b_no = earlier["case_no"].as_str().expect("no").to_lowercase();
    let csrf = csrf_of(&page(&app, &p.clerk, a).await);
    let form = |pairs: &[(&str, &str)]| {
        let mut f: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
        f.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        f
    };
    // A number nobody has comes back on the page, named.
    let res = p
        .clerk
        .post(app.url(&format!("/staff/cases/{a}/links")))
        .form(&form(&[
            ("other_no", "330106-2026-999999"),
            ("kind", "earlier_stage"),
        ]))
        .send()
        .await
        .expect("form");
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap_or_default()
        .contains("信访编号不存在"));
    // The number typed in lower case is found; the earlier case is linked.
    let res = p
        .clerk
        .post(app.url(&format!("/staff/cases/{a}/links")))
        .form(&form(&[("other_no", &b_no), ("kind", "earlier_stage")]))
        .send()
        .await
        .expect("form");
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(
        case(&app, &p.clerk, a).await["links"][0]["reading"],
        "earlier_stage"
    );
    assert!(page(&app, &p.clerk, b).await.contains("后续阶段："));
    // And removed from the other case's page.
    let res = p
        .clerk
        .post(app.url(&format!("/staff/cases/{b}/links/{a}/remove")))
        .form(&form(&[]))
        .send()
        .await
        .expect("form");
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(case(&app, &p.clerk, a).await["links"], json!([]));
});
