//! A hazard graded critical proposes the plans with the "critical hazard" trigger of its
//! establishment's unit and the units above it (never others, never by itself): the
//! hazard's page shows the proposal, the plan unit's supervisors are told, and a person
//! activates it; on both backends.

use crate::inspections_common::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn plan(name: &str, unit: &str, triggers: Value) -> Value {
    json!({
        "name": name, "unit": unit, "triggers": triggers,
        "teams": [{"name": "现场处置组", "role": "封存问题食品，安抚家长",
                   "members": [{"name": "王五", "phone": "13800000002"}]}],
        "resources": [], "steps": ["到场核查"], "contacts": []
    })
}

both_backends!(a_critical_hazard_proposes_a_plan, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let o = office(&app).await;
    let (status, _) = import(&app, &o.city, GOOD_CSV.as_bytes(), "r.csv").await;
    assert_eq!(status, 201);
    let sc_leader = app.user(&o.admin, "sc_leader", "leader", "330102").await;
    let mut ids = vec![];
    for (who, body) in [
        (
            &o.city,
            plan(
                "食品安全事故应急预案",
                "3301",
                json!([{"kind": "critical_hazard"}]),
            ),
        ),
        (
            &o.city,
            plan(
                "群体性来访预案",
                "3301",
                json!([{"kind": "group_visit", "min_people": 50}]),
            ),
        ),
        (
            &sc_leader,
            plan(
                "上城区食品安全预案",
                "330102",
                json!([{"kind": "critical_hazard"}]),
            ),
        ),
    ] {
        let (status, p) = post(&app, who, "/api/v1/plans", &body).await;
        assert_eq!(status, 201, "{p}");
        ids.push(p["id"].as_i64().expect("id"));
    }
    let day = today();
    let (_, c) = post(
        &app,
        &o.city,
        "/api/v1/inspection-campaigns",
        &json!({"name": "学校食堂排查", "kinds": ["school_canteen"], "starts_on": day, "ends_on": day}),
    )
    .await;
    let cid = c["id"].as_i64().expect("id");
    let school = establishment_id(&app, &o.county, "JY33010600001").await;
    let (_, items) = get(
        &app,
        &o.county,
        "/api/v1/inspection-campaigns/checklists/school_canteen",
    )
    .await;
    let answers = vec!["pass"; items.as_array().expect("items").len()];
    let inspect = |severity: &'static str| {
        let answers = answers.clone();
        let app = &app;
        let county = &o.county;
        let day = day.clone();
        async move {
            let (status, insp) = post(
                app,
                county,
                &format!("/api/v1/inspection-campaigns/{cid}/inspections"),
                &json!({"establishment_id": school, "inspected_on": day, "inspectors": "张三",
                        "answers": answers,
                        "hazards": [{"description": "冷库温度失控，食材变质", "severity": severity}]}),
            )
            .await;
            assert_eq!(status, 201, "{insp}");
            insp["hazards"][0]["id"].as_i64().expect("hazard")
        }
    };
    // A serious hazard proposes nothing.
    let serious = inspect("serious").await;
    let (status, p) = get(
        &app,
        &o.city,
        &format!("/api/v1/inspection-campaigns/hazards/{serious}/plan-proposals"),
    )
    .await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p, json!([]));

    // A critical one proposes the city's food-safety plan only, and tells the city.
    let critical = inspect("critical").await;
    let path = format!("/api/v1/inspection-campaigns/hazards/{critical}/plan-proposals");
    let (_, p) = get(&app, &o.city, &path).await;
    let plans: Vec<i64> = p
        .as_array()
        .expect("proposals")
        .iter()
        .filter_map(|x| x["plan_id"].as_i64())
        .collect();
    assert_eq!(plans, [ids[0]], "{p}");
    assert_eq!(p[0]["may_activate"], true);
    assert!(p[0]["incident_id"].is_null());
    let (_, p) = get(&app, &o.county, &path).await;
    assert_eq!(
        p[0]["may_activate"], false,
        "a county handler does not decide: {p}"
    );
    let (_, notes) = get(&app, &o.city, "/api/v1/notifications").await;
    assert!(
        notes
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n["kind"] == "plan_proposal"
                && n["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains("西湖小学食堂"))),
        "{notes}"
    );
    let (_, notes) = get(&app, &sc_leader, "/api/v1/notifications").await;
    assert!(!notes.to_string().contains("plan_proposal"), "{notes}");
    let (_, incidents) = get(&app, &o.city, "/api/v1/incidents").await;
    assert_eq!(incidents, json!([]), "nothing activates by itself");
    let html = o
        .city
        .get(app.url(&format!("/staff/inspections/hazards/{critical}")))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("data-testid=\"hazard-plan-proposal\""),
        "{html}"
    );
    assert!(
        html.contains("预案「食品安全事故应急预案」的触发条件已满足"),
        "{html}"
    );

    // The county handler may not activate; the city supervisor does.
    let refused = post(
        &app,
        &o.county,
        &format!("/api/v1/plans/{}/activate", ids[0]),
        &json!({"hazard_id": critical}),
    )
    .await;
    assert!(refused.0 == 403 || refused.0 == 404, "{refused:?}");
    let (status, incident) = post(
        &app,
        &o.city,
        &format!("/api/v1/plans/{}/activate", ids[0]),
        &json!({"hazard_id": critical}),
    )
    .await;
    assert_eq!(status, 201, "{incident}");
    assert_eq!(incident["title"], "食品安全事故应急预案 · 西湖小学食堂");
    let (_, p) = get(&app, &o.city, &path).await;
    assert_eq!(p[0]["incident_id"], incident["id"], "{p}");
    let (_, events) = get(&app, &o.city, &format!("/api/v1/plans/{}/events", ids[0])).await;
    let kinds: Vec<&str> = events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["created", "proposed", "activated"]);
});
