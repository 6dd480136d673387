//! Emergency plans and incidents on both backends: a group visit proposes a plan (never
//! activates it), a person activates it, the incident runs the version in force while
//! later edits make new versions, the teams' members are told, and units outside the
//! subtree see nothing.

use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

struct Town {
    admin: reqwest::Client,
    leader: reqwest::Client,
    duty: reqwest::Client,
    clerk: reqwest::Client,
    member: reqwest::Client,
    other: reqwest::Client,
}

async fn town(app: &TestApp) -> Town {
    let admin = app.admin().await;
    app.unit(&admin, "3301", "杭州市信访局", "city", "ROOT")
        .await;
    app.unit(&admin, "330106", "西湖区信访局", "county", "3301")
        .await;
    app.unit(&admin, "330102", "上城区信访局", "county", "3301")
        .await;
    Town {
        leader: app.user(&admin, "xh_leader", "leader", "330106").await,
        duty: app.user(&admin, "xh_duty", "duty", "330106").await,
        clerk: app.user(&admin, "xh_clerk", "clerk", "330106").await,
        member: app.user(&admin, "xh_handler", "handler", "330106").await,
        other: app.user(&admin, "sc_leader", "leader", "330102").await,
        admin,
    }
}

fn plan_body(min: i64, team_role: &str) -> Value {
    json!({
        "name": "群体性来访接待预案",
        "triggers": [{"kind": "group_visit", "min_people": min}, {"kind": "manual"}],
        "teams": [
            {"name": "接待组", "role": team_role, "members": [
                {"username": "xh_handler", "phone": "13800000001"},
                {"name": "王五", "phone": "13800000002"}]},
            {"name": "协调组", "role": "联系相关部门", "members": [{"username": "xh_duty"}]}
        ],
        "resources": [{"kind": "vehicle", "description": "公务车", "quantity": "2"}],
        "steps": ["开放接待室", "登记诉求"],
        "contacts": [{"name": "值班室", "phone": "0571-1", "reports_to": "区委办"}]
    })
}

async fn group_visit(app: &TestApp, c: &reqwest::Client, people: i64) -> i64 {
    let v = register(
        app,
        c,
        &case_with(json!({"unit": "330106", "headcount": people})),
    )
    .await;
    v["id"].as_i64().expect("id")
}

async fn kinds(app: &TestApp, c: &reqwest::Client, path: &str) -> Vec<String> {
    let (status, v) = get(app, c, path).await;
    assert_eq!(status, 200, "{path}: {v}");
    v.as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str().map(String::from))
        .collect()
}

async fn note_kinds(app: &TestApp, c: &reqwest::Client) -> Vec<String> {
    let (_, v) = get(app, c, "/api/v1/notifications").await;
    v.as_array()
        .expect("notifications")
        .iter()
        .filter_map(|n| n["kind"].as_str().map(String::from))
        .collect()
}

both_backends!(
    a_group_visit_proposes_and_a_person_activates,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let t = town(&app).await;
        // A clerk may not keep plans; a bad trigger is named.
        assert_error(
            &post(&app, &t.clerk, "/api/v1/plans", &plan_body(50, "接待")).await,
            403,
            "forbidden",
        );
        let bad = post(&app, &t.leader, "/api/v1/plans", &plan_body(0, "接待")).await;
        assert_error(&bad, 422, "validation_failed");
        assert_eq!(field(&bad.1, "triggers"), "invalid_trigger");
        let mut stranger = plan_body(50, "接待");
        stranger["teams"][0]["members"][0]["username"] = json!("sc_leader");
        let bad = post(&app, &t.leader, "/api/v1/plans", &stranger).await;
        assert_eq!(
            field(&bad.1, "teams[0].members[0]"),
            "unknown_user",
            "{:?}",
            bad
        );

        let (status, plan) =
            post(&app, &t.leader, "/api/v1/plans", &plan_body(50, "接待群众")).await;
        assert_eq!(status, 201, "{plan}");
        let id = plan["id"].as_i64().expect("id");
        assert_eq!(plan["current_version"], 1);
        assert_eq!(plan["group_visit_min"], 50);

        // Under the threshold: no proposal, nobody told.
        let small = group_visit(&app, &t.clerk, 49).await;
        let (_, p) = get(
            &app,
            &t.leader,
            &format!("/api/v1/cases/{small}/plan-proposals"),
        )
        .await;
        assert_eq!(p, json!([]), "49 people raise no proposal");
        assert!(!note_kinds(&app, &t.leader)
            .await
            .contains(&"plan_proposal".to_string()));

        // Sixty people: a proposal, the leader is told, and nothing is activated.
        let case = group_visit(&app, &t.clerk, 60).await;
        let (_, p) = get(
            &app,
            &t.leader,
            &format!("/api/v1/cases/{case}/plan-proposals"),
        )
        .await;
        assert_eq!(p[0]["plan_id"], id, "{p}");
        assert_eq!(p[0]["headcount"], 60);
        assert_eq!(p[0]["may_activate"], true);
        assert!(p[0]["incident_id"].is_null());
        assert!(note_kinds(&app, &t.leader)
            .await
            .contains(&"plan_proposal".to_string()));
        let (_, none) = get(&app, &t.leader, "/api/v1/incidents").await;
        assert_eq!(none, json!([]), "a proposal activates nothing");
        let (_, p) = get(
            &app,
            &t.clerk,
            &format!("/api/v1/cases/{case}/plan-proposals"),
        )
        .await;
        assert_eq!(
            p[0]["may_activate"], false,
            "a clerk sees the proposal but does not decide"
        );

        // A person decides: the incident runs version 1, each team has a task, members told.
        let (status, inc) = post(
            &app,
            &t.leader,
            &format!("/api/v1/plans/{id}/activate"),
            &json!({"case_id": case, "due_at": "2030-01-01T10:00"}),
        )
        .await;
        assert_eq!(status, 201, "{inc}");
        let iid = inc["id"].as_i64().expect("incident id");
        assert_eq!(inc["plan_version"], 1);
        assert_eq!(inc["state"], "open");
        let tasks = inc["tasks"].as_array().expect("tasks");
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0]["team"], "接待组");
        assert_eq!(tasks[0]["due_at"], "2030-01-01T10:00");
        assert!(note_kinds(&app, &t.member)
            .await
            .contains(&"incident_opened".to_string()));
        assert!(note_kinds(&app, &t.duty)
            .await
            .contains(&"incident_opened".to_string()));
        assert!(!note_kinds(&app, &t.clerk)
            .await
            .contains(&"incident_opened".to_string()));
        let (_, p) = get(
            &app,
            &t.leader,
            &format!("/api/v1/cases/{case}/plan-proposals"),
        )
        .await;
        assert_eq!(p[0]["incident_id"], iid);

        // A later edit makes version 2; the running incident keeps version 1.
        let (status, v2) = app_put(
            &app,
            &t.leader,
            &format!("/api/v1/plans/{id}"),
            &plan_body(80, "接待并倾听"),
        )
        .await;
        assert_eq!(status, 200, "{v2}");
        assert_eq!(v2["current_version"], 2);
        assert_eq!(v2["body"]["teams"][0]["role"], "接待并倾听");
        let (_, inc) = get(&app, &t.leader, &format!("/api/v1/incidents/{iid}")).await;
        assert_eq!(
            inc["plan_version"], 1,
            "a later edit leaves the running incident alone"
        );
        // A new activation uses the version in force.
        let (_, inc2) = post(
            &app,
            &t.duty,
            &format!("/api/v1/plans/{id}/activate"),
            &json!({}),
        )
        .await;
        assert_eq!(inc2["plan_version"], 2, "{inc2}");
        assert_eq!(inc2["tasks"][0]["title"], "接待并倾听");
        // At 60 people the revised trigger (80) is not met.
        let c3 = group_visit(&app, &t.clerk, 60).await;
        let (_, p) = get(
            &app,
            &t.leader,
            &format!("/api/v1/cases/{c3}/plan-proposals"),
        )
        .await;
        assert_eq!(p, json!([]));

        // Tasks done, a log entry, then closure with the after-action review.
        let task = tasks[0]["id"].as_i64().expect("task");
        let (status, _) = post(
            &app,
            &t.member,
            &format!("/api/v1/incidents/{iid}/tasks/{task}/done"),
            &json!({"note": "已开放接待室"}),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = post(
            &app,
            &t.member,
            &format!("/api/v1/incidents/{iid}/log"),
            &json!({"text": "代表五人已说明诉求"}),
        )
        .await;
        assert_eq!(status, 204);
        let bad = post(
            &app,
            &t.leader,
            &format!("/api/v1/incidents/{iid}/close"),
            &json!({"happened": "x", "worked": "", "improve": "z"}),
        )
        .await;
        assert_eq!(field(&bad.1, "worked"), "required");
        assert_error(
            &post(
                &app,
                &t.member,
                &format!("/api/v1/incidents/{iid}/close"),
                &json!({"happened": "x", "worked": "y", "improve": "z"}),
            )
            .await,
            403,
            "forbidden",
        );
        let (status, closed) = post(
            &app,
            &t.leader,
            &format!("/api/v1/incidents/{iid}/close"),
            &json!({"happened": "六十人来访", "worked": "分组接待", "improve": "提前联系部门"}),
        )
        .await;
        assert_eq!(status, 200, "{closed}");
        assert_eq!(closed["state"], "closed");
        assert_eq!(closed["review_worked"], "分组接待");
        let again = post(
            &app,
            &t.member,
            &format!("/api/v1/incidents/{iid}/log"),
            &json!({"text": "x"}),
        )
        .await;
        assert_eq!(field(&again.1, "state"), "incident_closed");

        assert_eq!(
            kinds(&app, &t.leader, &format!("/api/v1/incidents/{iid}/events")).await,
            [
                "opened",
                "task_assigned",
                "task_assigned",
                "task_done",
                "log",
                "closed"
            ]
        );
        assert_eq!(
            kinds(&app, &t.leader, &format!("/api/v1/plans/{id}/events")).await,
            ["created", "proposed", "activated", "revised", "activated"]
        );
        let (_, open) = get(&app, &t.leader, "/api/v1/incidents?state=open").await;
        assert_eq!(open.as_array().map(Vec::len), Some(1));

        // Outside the subtree: not found, and not listed.
        for path in [
            format!("/api/v1/plans/{id}"),
            format!("/api/v1/plans/{id}/events"),
            format!("/api/v1/incidents/{iid}"),
            format!("/api/v1/incidents/{iid}/events"),
        ] {
            assert_error(&get(&app, &t.other, &path).await, 404, "not_found");
        }
        assert_error(
            &post(
                &app,
                &t.other,
                &format!("/api/v1/plans/{id}/activate"),
                &json!({}),
            )
            .await,
            404,
            "not_found",
        );
        let (_, list) = get(&app, &t.other, "/api/v1/plans").await;
        assert_eq!(list, json!([]));
        let (_, list) = get(&app, &t.other, "/api/v1/incidents").await;
        assert_eq!(list, json!([]));
        // The city above sees them; the export is a spreadsheet.
        let res = t
            .admin
            .get(app.url("/api/v1/plans/export?format=xlsx"))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.expect("bytes");
        assert!(bytes.starts_with(b"PK"), "an XLSX file");
    }
);

async fn app_put(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    body: &Value,
) -> (reqwest::StatusCode, Value) {
    send(c.put(app.url(path)).json(body)).await
}
