//! The statutory lifecycle through the API: every stage from routing to re-review, the
//! deadlines, and the role, scope and stage checks, on SQLite and on PostgreSQL.

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

async fn act(
    app: &TestApp,
    c: &Client,
    id: i64,
    action: &str,
    body: Value,
) -> (reqwest::StatusCode, Value) {
    post(
        app,
        c,
        &format!("/api/v1/cases/{id}/actions/{action}"),
        &body,
    )
    .await
}

async fn ok(app: &TestApp, c: &Client, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = act(app, c, id, action, body).await;
    assert_eq!(status, 200, "{action}: {v}");
    v
}

fn today() -> String {
    // The office's date (Asia/Shanghai), as the server counts it.
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

struct People {
    sup: Client,
    handler: Client,
    leader: Client,
    clerk: Client,
    root_leader: Client,
    auditor: Client,
    other_clerk: Client,
}

async fn people(app: &TestApp) -> People {
    let admin = app.admin().await;
    app.unit(&admin, "330106", "西湖区信访局", "county", "ROOT")
        .await;
    app.unit(&admin, "330102", "上城区信访局", "county", "ROOT")
        .await;
    People {
        sup: app.user(&admin, "sup", "supervisor", "ROOT").await,
        handler: app.user(&admin, "xh_handler", "handler", "330106").await,
        leader: app.user(&admin, "xh_leader", "leader", "330106").await,
        clerk: app.user(&admin, "xh_clerk", "clerk", "330106").await,
        root_leader: app.user(&admin, "root_leader", "leader", "ROOT").await,
        auditor: app.user(&admin, "auditor1", "auditor", "ROOT").await,
        other_clerk: app.user(&admin, "sc_clerk", "clerk", "330102").await,
    }
}

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

        let v = ok(&app, &p.handler, id, "reply", json!({"outcome":"support","text":"经核实，支持您的诉求。","basis":"《劳动合同法》第三十条"})).await;
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
                "deliver",
                "rate",
                "request_review",
                "review_decision",
                "deliver",
                "request_rereview",
                "rereview_decision",
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
        // An admin's template replaces the default.
        let tpl = store::NoticeTemplate {
            title: "处理意见书（{case_no}）".into(),
            body: "{petitioner}：{text}".into(),
        };
        app.store
            .set_notice_template("decision", "zh", &tpl, &store::Actor::system())
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

both_backends!(
    owner_leaders_and_group_visit_attendance,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = people(&app).await;
        let admin = app.admin().await;
        let deputy = app.user(&admin, "xh_deputy", "leader", "330106").await;
        let mut group = sample_case();
        group["unit"] = json!("330106");
        group["headcount"] = json!(25);
        group["petitioners"] = json!([{"name":"甲"},{"name":"乙"},{"name":"丙"}]);
        group["representatives"] = json!([0, 1]);
        let id = register(&app, &p.sup, &group).await["id"]
            .as_i64()
            .expect("id");

        // A leader in scope owns the case; a handler is not a leader.
        let owner = |user: &str| json!({ "user": user });
        assert_error(
            &post(
                &app,
                &p.sup,
                &format!("/api/v1/cases/{id}/owner"),
                &owner("xh_handler"),
            )
            .await,
            422,
            "validation_failed",
        );
        assert_error(
            &post(
                &app,
                &p.handler,
                &format!("/api/v1/cases/{id}/owner"),
                &owner("root_leader"),
            )
            .await,
            403,
            "forbidden",
        );
        assert_eq!(
            post(
                &app,
                &p.sup,
                &format!("/api/v1/cases/{id}/owner"),
                &owner("root_leader")
            )
            .await
            .0,
            204
        );

        // 25 people: both leaders of the unit, and the owner.
        let (_, a) = get(&app, &p.sup, &format!("/api/v1/cases/{id}/attendance")).await;
        let who: Vec<(&str, &str)> = a["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(|r| Some((r["username"].as_str()?, r["why"].as_str()?)))
            .collect();
        assert_eq!(
            who,
            [
                ("xh_leader", "principal_leader"),
                ("xh_deputy", "principal_leader"),
                ("root_leader", "owner_leader")
            ]
        );
        assert_error(
            &post(
                &app,
                &p.handler,
                &format!("/api/v1/cases/{id}/attendance/notify"),
                &json!({}),
            )
            .await,
            403,
            "forbidden",
        );
        let (status, a) = post(
            &app,
            &p.sup,
            &format!("/api/v1/cases/{id}/attendance/notify"),
            &json!({}),
        )
        .await;
        assert_eq!(status, 200, "{a}");
        assert_eq!(a["recorded"].as_array().map(Vec::len), Some(3));
        // Told once each, in the app.
        post(
            &app,
            &p.sup,
            &format!("/api/v1/cases/{id}/attendance/notify"),
            &json!({}),
        )
        .await;
        let (_, notes) = get(&app, &deputy, "/api/v1/notifications").await;
        assert_eq!(
            notes
                .as_array()
                .map(|n| n.iter().filter(|x| x["kind"] == "group_visit").count()),
            Some(1)
        );

        assert_error(
            &post(
                &app,
                &p.sup,
                &format!("/api/v1/cases/{id}/attendance"),
                &json!({"attended": ["xh_handler"]}),
            )
            .await,
            422,
            "validation_failed",
        );
        let (status, a) = post(
            &app,
            &p.sup,
            &format!("/api/v1/cases/{id}/attendance"),
            &json!({"attended": ["xh_leader", "root_leader"]}),
        )
        .await;
        assert_eq!(status, 200, "{a}");
        let came: Vec<&str> = a["recorded"]
            .as_array()
            .expect("recorded")
            .iter()
            .filter(|r| r["attended_at"].is_i64())
            .filter_map(|r| r["username"].as_str())
            .collect();
        assert_eq!(came, ["xh_leader", "root_leader"]);
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
                "owner_assigned",
                "attendance_notified",
                "attendance_recorded"
            ]
        );

        // 8 people: the deputy in charge (the unit's second leader) and the owner, if any.
        let mut small = group.clone();
        small["headcount"] = json!(8);
        let small_id = register(&app, &p.sup, &small).await["id"]
            .as_i64()
            .expect("id");
        let (_, a) = get(
            &app,
            &p.sup,
            &format!("/api/v1/cases/{small_id}/attendance"),
        )
        .await;
        assert_eq!(a["required"][0]["username"], "xh_deputy");
        assert_eq!(a["required"][0]["why"], "deputy_in_charge");
        assert_eq!(a["required"].as_array().map(Vec::len), Some(1));
    }
);

both_backends!(the_routing_table_suggests_a_unit, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let p = people(&app).await;
    let admin = app.admin().await;
    let rule = |category: &str, region: &str, unit: &str| json!({"category": category, "region_prefix": region, "unit": unit});
    assert_eq!(
        post(
            &app,
            &admin,
            "/api/v1/routing-rules",
            &rule("labor", "3301", "330106")
        )
        .await
        .0,
        204
    );
    assert_eq!(
        post(
            &app,
            &p.sup,
            "/api/v1/routing-rules",
            &rule("labor.wages", "330102", "330102")
        )
        .await
        .0,
        204
    );
    assert_error(
        &post(
            &app,
            &p.clerk,
            "/api/v1/routing-rules",
            &rule("labor", "", "330106"),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &post(
            &app,
            &admin,
            "/api/v1/routing-rules",
            &rule("labor", "", "NOPE"),
        )
        .await,
        422,
        "validation_failed",
    );
    assert_error(
        &post(
            &app,
            &admin,
            "/api/v1/routing-rules",
            &rule("nope", "", "330106"),
        )
        .await,
        422,
        "validation_failed",
    );

    let (app, sup) = (&app, &p.sup);
    let suggested = |case: serde_json::Value| async move {
        let made = register(app, sup, &case).await;
        made["case"]["suggested_unit"]["unit_code"]
            .as_str()
            .map(String::from)
    };
    // The most specific rule wins; a region no rule covers gets no suggestion.
    assert_eq!(
        suggested(case_with(json!({"region": "330102"})))
            .await
            .as_deref(),
        Some("330102")
    );
    assert_eq!(
        suggested(case_with(
            json!({"region": "330106", "category": "labor.pension"})
        ))
        .await
        .as_deref(),
        Some("330106")
    );
    assert_eq!(
        suggested(case_with(json!({"region": "330203"}))).await,
        None
    );
    let (_, rules) = get(app, &admin, "/api/v1/routing-rules").await;
    assert_eq!(rules.as_array().map(Vec::len), Some(2));
});
