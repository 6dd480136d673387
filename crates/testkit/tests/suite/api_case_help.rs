//! Around the lifecycle, through the API: owner leaders, group-visit attendance and the
//! routing table, on SQLite and on PostgreSQL.

use crate::common;

use common::*;
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

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
