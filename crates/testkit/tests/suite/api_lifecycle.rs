//! The statutory lifecycle through the API: every stage from routing to re-review, the
//! deadlines, and the role, scope and stage checks, on SQLite and on PostgreSQL.

use crate::common;

use common::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

both_backends!(
    a_case_walks_from_registration_to_rereview,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let made = register(&app, &p.sup, &sample_case()).await;
        let id = made["id"].as_i64().expect("id");
        assert_eq!(made["case"]["stage"], "routing");
        assert!(
            made["case"]["due_date"].is_string(),
            "routing has a due date: {}",
            made["case"]
        );
        assert!(made["case"]["allowed_actions"]
            .as_array()
            .expect("actions")
            .contains(&json!("route")));

        // Nobody below the petition office routes; the county cannot see it yet.
        assert_error(
            &act(&app, &p.handler, id, "route", json!({"mode":"self"})).await,
            404,
            "not_found",
        );
        assert_error(
            &act(&app, &p.auditor, id, "route", json!({"mode":"self"})).await,
            403,
            "forbidden",
        );
        assert_error(
            &act(&app, &p.sup, id, "route", json!({"mode":"transfer"})).await,
            422,
            "validation_failed",
        );
        assert_error(
            &act(&app, &p.sup, id, "accept", json!({})).await,
            409,
            "illegal_transition",
        );

        let v = ok(
            &app,
            &p.sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106"}),
        )
        .await;
        assert_eq!(v["stage"], "acceptance");
        assert_eq!(v["unit_code"], "330106");
        assert_eq!(v["handling_unit"], "330106");
        assert!(v["objection_due"].is_string());
        assert_eq!(v["deadlines"][0]["met_on"], today());

        // Now the county sees it; another county still does not.
        assert_eq!(
            get(&app, &p.handler, &format!("/api/v1/cases/{id}"))
                .await
                .0,
            200
        );
        assert_error(
            &act(
                &app,
                &p.other_clerk,
                id,
                "deliver",
                json!({"received_on": today()}),
            )
            .await,
            404,
            "not_found",
        );

        let v = ok(&app, &p.handler, id, "accept", json!({})).await;
        assert_eq!(v["stage"], "handling");
        let handling_due = v["due_date"].as_str().expect("due").to_string();
        assert!(handling_due > today());
        ok(
            &app,
            &p.handler,
            id,
            "note",
            json!({"kind":"hearing","text":"召开听证会，双方陈述。"}),
        )
        .await;
        assert_error(
            &act(
                &app,
                &p.handler,
                id,
                "extend",
                json!({"days":30,"reason":"调查"}),
            )
            .await,
            403,
            "forbidden",
        );
        assert_error(
            &act(
                &app,
                &p.leader,
                id,
                "extend",
                json!({"days":31,"reason":"调查"}),
            )
            .await,
            422,
            "validation_failed",
        );
        let v = ok(
            &app,
            &p.leader,
            id,
            "extend",
            json!({"days":30,"reason":"需要补充调查"}),
        )
        .await;
        assert!(v["due_date"].as_str().expect("due") > handling_due.as_str());
        assert_eq!(v["extended_days"], 30);
        assert_error(
            &act(
                &app,
                &p.leader,
                id,
                "extend",
                json!({"days":5,"reason":"再延"}),
            )
            .await,
            409,
            "illegal_transition",
        );

        // cn-2022 has the reply signed off: the handler drafts, the unit's leader issues.
        let v = ok(&app, &p.handler, id, "reply", json!({"outcome":"support","text":"经核实，支持您的诉求。","basis":"《劳动合同法》第三十条"})).await;
        assert_eq!(v["stage"], "handling");
        assert_eq!(v["waiting_for"], "approve");
        let v = ok(&app, &p.leader, id, "approve", json!({})).await;
        assert_eq!(v["stage"], "reply_delivery");
        assert_eq!(v["reply_outcome"], "support");
        assert_error(
            &act(
                &app,
                &p.clerk,
                id,
                "deliver",
                json!({"received_on":"2999-01-01"}),
            )
            .await,
            422,
            "validation_failed",
        );
        let v = ok(
            &app,
            &p.clerk,
            id,
            "deliver",
            json!({"received_on": today()}),
        )
        .await;
        assert_eq!(v["stage"], "review_window");
        ok(&app, &p.clerk, id, "rate", json!({"rating":"dissatisfied"})).await;
        ok(
            &app,
            &p.clerk,
            id,
            "request_review",
            json!({"reason":"不服处理意见"}),
        )
        .await;

        // The review comes from above the handling unit.
        assert_error(
            &act(
                &app,
                &p.leader,
                id,
                "review_decision",
                json!({"outcome":"uphold","text":"维持"}),
            )
            .await,
            403,
            "forbidden",
        );
        let v = ok(
            &app,
            &p.root_leader,
            id,
            "review_decision",
            json!({"outcome":"uphold","text":"维持原处理意见"}),
        )
        .await;
        assert_eq!(v["stage"], "review");
        let v = ok(&app, &p.root_leader, id, "approve", json!({})).await;
        assert_eq!(v["stage"], "review_delivery");
        ok(
            &app,
            &p.clerk,
            id,
            "deliver",
            json!({"received_on": today()}),
        )
        .await;
        ok(
            &app,
            &p.clerk,
            id,
            "request_rereview",
            json!({"reason":"仍不服"}),
        )
        .await;
        ok(
            &app,
            &p.sup,
            id,
            "rereview_decision",
            json!({"outcome":"uphold","text":"复核维持"}),
        )
        .await;
        ok(&app, &p.root_leader, id, "approve", json!({})).await;
        let v = ok(
            &app,
            &p.clerk,
            id,
            "deliver",
            json!({"received_on": today()}),
        )
        .await;
        assert_eq!(v["stage"], "concluded");
        // The same matter again: registered, linked to the concluded case, not accepted.
        let again = register(&app, &p.sup, &sample_case()).await;
        let again_id = again["id"].as_i64().expect("id");
        let fresh = register(&app, &p.sup, &sample_case()).await;
        let (_, e) = act(
            &app,
            &p.sup,
            again_id,
            "link_concluded",
            json!({"case_no": fresh["case_no"]}),
        )
        .await;
        assert_eq!(e["fields"]["case_no"], "not_concluded", "{e}");
        let linked = ok(
            &app,
            &p.sup,
            again_id,
            "link_concluded",
            json!({"case_no": made["case_no"]}),
        )
        .await;
        assert_eq!(linked["stage"], "declined");
        let (_, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{again_id}/notices")).await;
        assert_eq!(notices[0]["kind"], "concluded");
        let text = notices[0]["paragraphs"].to_string();
        assert!(
            text.contains(made["case_no"].as_str().expect("no")) && text.contains("第三十六条"),
            "{text}"
        );
        let v = ok(
            &app,
            &p.sup,
            id,
            "close",
            json!({"reason":"复核终结，归档"}),
        )
        .await;
        assert_eq!(v["stage"], "closed");
        assert_eq!(v["state"], "closed");
        assert_eq!(v["due_date"], Value::Null);
        assert_error(
            &act(&app, &p.sup, id, "void", json!({"reason":"x"})).await,
            409,
            "illegal_transition",
        );

        let (_, events) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/events")).await;
        let kinds: Vec<&str> = events
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "registered",
                "route",
                "accept",
                "note",
                "extend",
                "reply",
                "approve",
                "deliver",
                "rate",
                "request_review",
                "review_decision",
                "approve",
                "deliver",
                "request_rereview",
                "rereview_decision",
                "approve",
                "deliver",
                "close"
            ]
        );
        // Each step the petitioner must be told about has its notice, filled from the case.
        let (status, notices) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        assert_eq!(status, 200);
        let kinds: Vec<&str> = notices
            .as_array()
            .expect("notices")
            .iter()
            .filter_map(|n| n["kind"].as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "transfer",
                "acceptance",
                "extension",
                "decision",
                "review_opinion",
                "rereview_opinion"
            ]
        );
        let decision = &notices[3];
        assert_eq!(decision["title"], "信访处理意见书");
        let text = decision["paragraphs"]
            .as_array()
            .expect("paragraphs")
            .iter()
            .filter_map(|p| p.as_str())
            .collect::<String>();
        assert!(
            text.contains("张三") && text.contains(made["case_no"].as_str().expect("no")),
            "{text}"
        );
        assert!(
            text.contains("《劳动合同法》第三十条") && text.contains("支持"),
            "{text}"
        );
        let (_, english) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices?lang=en")).await;
        assert_eq!(english[3]["title"], "Decision on the petition");
        // The root admin's template replaces the default below the root.
        let tpl = store::NoticeTemplate {
            title: "处理意见书（{case_no}）".into(),
            body: "{petitioner}：{text}".into(),
        };
        let root = app.store.root_unit().await.expect("root").expect("a root");
        app.store
            .set_notice_template(
                &root,
                "decision",
                domain::annual::DocumentLang::Zh,
                &tpl,
                &store::Actor::system(),
            )
            .await
            .expect("template");
        let (_, edited) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/notices")).await;
        assert_eq!(
            edited[3]["title"],
            format!("处理意见书（{}）", made["case_no"].as_str().expect("no"))
        );
        assert_eq!(edited[3]["paragraphs"][0], "张三：经核实，支持您的诉求。");

        // The queue shows the closed case as closed.
        let (_, page) = get(&app, &p.sup, "/api/v1/cases?state=closed").await;
        assert_eq!(page["items"][0]["id"], id);
    }
);

both_backends!(
    legal_channel_decline_objection_and_void,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let id = |v: &Value| v["id"].as_i64().expect("id");

        let a = id(&register(&app, &p.sup, &sample_case()).await);
        assert_error(
            &act(&app, &p.sup, a, "route", json!({"mode":"legal_channel"})).await,
            422,
            "validation_failed",
        );
        let v = ok(
            &app,
            &p.sup,
            a,
            "route",
            json!({"mode":"legal_channel","channel":"劳动人事争议仲裁"}),
        )
        .await;
        assert_eq!(v["stage"], "directed");

        let b = id(&register(&app, &p.sup, &sample_case()).await);
        ok(
            &app,
            &p.sup,
            b,
            "route",
            json!({"mode":"transfer","unit":"330106"}),
        )
        .await;
        let v = ok(
            &app,
            &p.handler,
            b,
            "object",
            json!({"reason":"不属于本单位职责"}),
        )
        .await;
        assert_eq!(v["stage"], "routing");
        ok(
            &app,
            &p.sup,
            b,
            "route",
            json!({"mode":"assign","unit":"330106","result_due":"2999-01-01"}),
        )
        .await;
        let v = ok(
            &app,
            &p.handler,
            b,
            "decline",
            json!({"reason":"已进入诉讼程序","refer_to":"区人民法院"}),
        )
        .await;
        assert_eq!(v["stage"], "declined");

        let c = id(&register(&app, &p.sup, &sample_case()).await);
        assert_error(
            &act(&app, &p.sup, c, "void", json!({})).await,
            422,
            "validation_failed",
        );
        let v = ok(&app, &p.sup, c, "void", json!({"reason":"重复登记"})).await;
        assert_eq!(v["state"], "voided");
        assert_error(
            &act(&app, &p.sup, c, "fly", json!({})).await,
            404,
            "not_found",
        );
    }
);
