//! Leader sign-off (签发), on SQLite and PostgreSQL: a handler drafts the reply, the
//! unit's leaders are told, a leader sends it back with comments or signs it off, and
//! only then do the petitioner's /track and the notices show it. A rule set without
//! sign-off issues replies at once.

use crate::common;

use common::*;
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

const REPLY: &str = "经核实，已责令该公司十日内支付拖欠工资。";

fn reply() -> Value {
    json!({"outcome":"support","text": REPLY,"basis":"《保障农民工工资支付条例》第十五条"})
}

async fn submit(app: &TestApp) -> (String, String) {
    let body = json!({
        "type": "claim", "category": "labor.wages", "region": "330106",
        "content": "工地拖欠工资三个月。", "demands": "请求督促支付工资。",
        "name": "张三", "phone": "13800000000"
    });
    let (status, v) = post(app, &Client::new(), "/api/v1/public/petitions", &body).await;
    assert_eq!(status, 201, "{v}");
    (
        v["case_no"].as_str().expect("no").to_string(),
        v["query_code"].as_str().expect("code").to_string(),
    )
}

async fn tracked_text(app: &TestApp, case_no: &str, code: &str) -> Value {
    let (status, v) = get(
        app,
        &Client::new(),
        &format!("/api/v1/public/cases/{case_no}?code={code}"),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn kinds_of(app: &TestApp, c: &Client) -> Vec<String> {
    let (_, v) = get(app, c, "/api/v1/notifications").await;
    v.as_array()
        .expect("notifications")
        .iter()
        .filter_map(|n| n["kind"].as_str().map(str::to_string))
        .collect()
}

/// A submitted case routed to 330106 and accepted there: its id, number and code.
async fn in_handling(app: &TestApp, p: &People) -> (i64, String, String) {
    let (case_no, code) = submit(app).await;
    let (_, page) = get(app, &p.sup, &format!("/api/v1/cases?case_no={case_no}")).await;
    let id = page["items"][0]["id"].as_i64().expect("id");
    ok(
        app,
        &p.sup,
        id,
        "route",
        json!({"mode":"transfer","unit":"330106"}),
    )
    .await;
    ok(app, &p.handler, id, "accept", json!({})).await;
    (id, case_no, code)
}

both_backends!(
    a_reply_is_issued_only_when_a_leader_signs_it_off,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let (id, case_no, code) = in_handling(&app, &p).await;
        let due = ok(&app, &p.handler, id, "note", json!({"text":"核查工资表"})).await["due_date"]
            .clone();

        let v = ok(&app, &p.handler, id, "reply", reply()).await;
        assert_eq!(v["stage"], "handling", "a draft, not issued");
        assert_eq!(v["due_date"], due, "the handling deadline still runs");
        assert_eq!(v["waiting_for"], "approve");
        assert_eq!(v["draft"]["command"]["text"], REPLY);
        assert!(v["reply_outcome"].is_null());
        // The unit's leader is asked to sign it off; the drafter is not.
        assert!(kinds_of(&app, &p.leader)
            .await
            .contains(&"sign_off_requested".to_string()));
        assert!(!kinds_of(&app, &p.handler)
            .await
            .contains(&"sign_off_requested".to_string()));
        // The petitioner sees nothing of it yet, and no notice is issued.
        let t = tracked_text(&app, &case_no, &code).await;
        assert!(!t.to_string().contains(REPLY), "{t}");
        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        assert!(!notices.to_string().contains("信访处理意见书"), "{notices}");

        // Who may sign off: a leader in scope, never the handler, the clerk or a
        // leader elsewhere.
        assert_error(
            &act(&app, &p.handler, id, "approve", json!({})).await,
            403,
            "forbidden",
        );
        assert_error(
            &act(&app, &p.clerk, id, "approve", json!({})).await,
            403,
            "forbidden",
        );
        assert_error(
            &act(&app, &p.handler, id, "reply", reply()).await,
            409,
            "illegal_transition",
        );

        // Sent back with comments: the drafter is told, and redrafts.
        let (status, v) = act(&app, &p.leader, id, "return", json!({"comments":"  "})).await;
        assert_eq!(
            (status.as_u16(), field(&v, "comments")),
            (422, "required"),
            "{v}"
        );
        let v = ok(
            &app,
            &p.leader,
            id,
            "return",
            json!({"comments":"请写明支付期限"}),
        )
        .await;
        assert_eq!(v["stage"], "handling");
        assert_eq!(v["draft"]["returned"], "请写明支付期限");
        assert_eq!(v["waiting_for"], "reply");
        assert!(kinds_of(&app, &p.handler)
            .await
            .contains(&"draft_returned".to_string()));
        assert_error(
            &act(&app, &p.leader, id, "approve", json!({})).await,
            409,
            "illegal_transition",
        );
        let html = p
            .handler
            .get(app.url(&format!("/staff/cases/{id}")))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            html.contains("请写明支付期限"),
            "the case page shows the comments"
        );
        // The reply form holds the draft that came back, open, with the comments in it:
        // the handler edits it instead of typing it again.
        let start = html.find("data-action=\"reply\"").expect("the reply form");
        let form = &html[start..start + html[start..].find("</form>").expect("form end")];
        assert!(form.starts_with("data-action=\"reply\" open>"), "{form}");
        assert!(
            form.contains("data-testid=\"returned-comments\">领导意见：请写明支付期限"),
            "{form}"
        );
        assert!(
            form.contains(&format!(">{REPLY}</textarea>")),
            "the text: {form}"
        );
        assert!(
            form.contains("value=\"《保障农民工工资支付条例》第十五条\""),
            "the basis: {form}"
        );
        assert!(
            form.contains("<option value=\"support\" selected>"),
            "the outcome: {form}"
        );

        ok(&app, &p.handler, id, "reply", reply()).await;
        let v = ok(&app, &p.leader, id, "approve", json!({})).await;
        assert_eq!(v["stage"], "reply_delivery");
        assert_eq!(v["reply_outcome"], "support");
        assert!(v["draft"].is_null());

        let t = tracked_text(&app, &case_no, &code).await;
        let reply_notice = t["notices"]
            .as_array()
            .expect("notices")
            .iter()
            .find(|n| n["kind"] == "reply")
            .cloned()
            .expect("the reply is on /track");
        assert_eq!(reply_notice["text"], REPLY);
        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        let kinds: Vec<&str> = notices
            .as_array()
            .expect("notices")
            .iter()
            .filter_map(|n| n["kind"].as_str())
            .collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == "decision").count(),
            1,
            "{kinds:?}"
        );
        assert!(notices.to_string().contains(REPLY));
        let (_, events) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/events")).await;
        let kinds: Vec<&str> = events
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(
            kinds[kinds.len() - 4..],
            ["reply", "return", "reply", "approve"],
            "approval and sending back are both events"
        );
    }
);

both_backends!(
    a_leader_of_another_unit_cannot_sign_off,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let admin = app.admin().await;
        let other_leader = app.user(&admin, "sc_leader", "leader", "330102").await;
        let (id, _, _) = in_handling(&app, &p).await;
        ok(&app, &p.handler, id, "reply", reply()).await;
        assert_error(
            &act(&app, &other_leader, id, "approve", json!({})).await,
            404,
            "not_found",
        );
        // A leader above the unit may.
        let v = ok(&app, &p.root_leader, id, "approve", json!({})).await;
        assert_eq!(v["stage"], "reply_delivery");
    }
);

both_backends!(
    a_rule_set_without_sign_off_issues_replies_at_once,
    |kind| async move {
        let Some(app) = TestApp::spawn_with(kind, |c| {
            c.rules = domain::calendar::RuleSet::shipped("hotline-12345").expect("rules")
        })
        .await
        else {
            return;
        };
        let p = people(&app).await;
        let (id, case_no, code) = in_handling(&app, &p).await;
        let v = ok(&app, &p.handler, id, "reply", reply()).await;
        assert_eq!(v["stage"], "reply_delivery");
        assert!(v["draft"].is_null());
        assert_error(
            &act(&app, &p.leader, id, "approve", json!({})).await,
            409,
            "illegal_transition",
        );
        assert!(tracked_text(&app, &case_no, &code)
            .await
            .to_string()
            .contains(REPLY));
        assert!(!kinds_of(&app, &p.leader)
            .await
            .contains(&"sign_off_requested".to_string()));
    }
);
