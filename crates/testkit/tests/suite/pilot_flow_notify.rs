//! Who must act, on SQLite and PostgreSQL: a transferred or assigned case tells the
//! receiving unit's handlers and leaders in the app; the case shows who holds it and
//! which action it waits for, also when it is overdue; receipts say how to track it.

use crate::common;

use common::*;
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

async fn notifications(app: &TestApp, c: &Client) -> Vec<Value> {
    let (status, v) = get(app, c, "/api/v1/notifications").await;
    assert_eq!(status, 200, "{v}");
    v.as_array().expect("list").clone()
}

async fn html(app: &TestApp, c: &Client, path: &str) -> String {
    c.get(app.url(path))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

both_backends!(
    a_routed_case_notifies_the_receiving_units_handlers_and_leaders,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let admin = app.admin().await;
        let other_handler = app.user(&admin, "sc_handler", "handler", "330102").await;
        let id = register(&app, &p.sup, &sample_case()).await["id"]
            .as_i64()
            .expect("id");
        assert!(notifications(&app, &p.handler).await.is_empty());
        ok(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106"}),
        )
        .await;

        for c in [&p.handler, &p.leader] {
            let n = notifications(&app, c).await;
            assert_eq!(n.len(), 1, "{n:?}");
            assert_eq!(n[0]["kind"], "routed_in");
            assert_eq!(n[0]["case_id"], id);
            assert_eq!(n[0]["detail"], "信访工作机构", "from the unit that sent it");
        }
        assert!(
            notifications(&app, &p.clerk).await.is_empty(),
            "clerks are not told"
        );
        assert!(notifications(&app, &other_handler).await.is_empty());
        let page = html(&app, &p.handler, "/staff/notifications").await;
        assert!(page.contains("新转入本单位的信访事项") && page.contains("由信访工作机构转来"));

        // An assignment (交办) tells them too.
        let id2 = register(&app, &p.sup, &sample_case()).await["id"]
            .as_i64()
            .expect("id");
        ok(
            &app,
            &p.sup,
            id2,
            "route",
            json!({"mode":"assign","unit":"330102","result_due":"2999-01-01"}),
        )
        .await;
        let n = notifications(&app, &other_handler).await;
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0]["case_id"], id2);
    }
);

both_backends!(
    an_overdue_case_shows_who_holds_it_and_what_it_waits_for,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let admin = app.admin().await;
        let received = ((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
            - chrono::Duration::days(80))
        .to_string();
        let v = register(
            &app,
            &admin,
            &case_with(json!({"unit": "330106", "received_on": received})),
        )
        .await;
        let id = v["id"].as_i64().expect("id");
        assert_eq!(v["case"]["due_status"], "overdue");
        assert_eq!(v["case"]["waiting_for"], "route");
        let page = html(&app, &p.leader, &format!("/staff/cases/{id}")).await;
        assert!(page.contains("data-testid=\"case-holder\""), "{page}");
        assert!(page.contains("已超期：当前承办"));
        assert!(page.contains("西湖区信访局 (330106)"));
        assert!(page.contains("尚未指定"), "no handler yet");

        // Once a handler of the unit has worked it, the page names them.
        let sup330106 = app.user(&admin, "xh_sup", "supervisor", "330106").await;
        ok(&app, &sup330106, id, "route", json!({"mode":"self"})).await;
        ok(&app, &p.handler, id, "accept", json!({})).await;
        let page = html(&app, &p.leader, &format!("/staff/cases/{id}")).await;
        assert!(
            page.contains("<dd data-testid=\"holder-handler\">xh_handler</dd>"),
            "{page}"
        );
        assert!(page.contains("<dd data-testid=\"holder-waiting\">答复（信访处理意见书）</dd>"));
        ok(
            &app,
            &p.handler,
            id,
            "reply",
            json!({"outcome":"explain","text":"说明","basis":"依据"}),
        )
        .await;
        let page = html(&app, &p.leader, &format!("/staff/cases/{id}")).await;
        assert!(page.contains("<dd data-testid=\"holder-waiting\">领导签发</dd>"));
        assert!(page.contains("data-testid=\"sign-off-draft\""));
    }
);

both_backends!(
    receipts_say_where_and_how_to_track_the_case,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let v = register(&app, &p.sup, &sample_case()).await;
        let (id, case_no, code) = (
            v["id"].as_i64().expect("id"),
            v["case_no"].as_str().expect("no").to_string(),
            v["query_code"].as_str().expect("code").to_string(),
        );
        let receipt = html(&app, &p.sup, &format!("/staff/cases/{id}/receipt")).await;
        let track_url = format!("http://{}/track", app.addr);
        for want in [track_url.as_str(), case_no.as_str(), code.as_str()] {
            assert!(receipt.contains(want), "the receipt names {want}");
        }
        assert!(
            !receipt.contains("如有疑问，请拨打"),
            "no phone until one is published"
        );

        // The home page: staff are told the contact block is not published; the public
        // reads a neutral text.
        let staff_home = html(&app, &p.sup, "/").await;
        assert!(staff_home.contains("data-testid=\"contact-unpublished\""));
        assert!(staff_home.contains("尚未公布"));
        let public_home = html(&app, &Client::new(), "/").await;
        assert!(!public_home.contains("尚未公布"));
        assert!(public_home.contains("data-testid=\"contact-unset\""));
    }
);
