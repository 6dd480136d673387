//! Leading groups on both backends: a group for a special period shows on its members'
//! dashboards while the period runs, plans can be filed under it, and units outside the
//! subtree see nothing.

use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

both_backends!(
    a_leading_group_reaches_its_members_dashboards,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "3301", "杭州市信访局", "city", "ROOT")
            .await;
        app.unit(&admin, "330106", "西湖区信访局", "county", "3301")
            .await;
        app.unit(&admin, "330102", "上城区信访局", "county", "3301")
            .await;
        let leader = app.user(&admin, "xh_leader", "leader", "330106").await;
        let member = app.user(&admin, "xh_handler", "handler", "330106").await;
        let outsider = app.user(&admin, "xh_clerk", "clerk", "330106").await;
        let other = app.user(&admin, "sc_leader", "leader", "330102").await;

        let day = today();
        let body = json!({
            "name": "国庆特护期工作领导小组",
            "starts_on": day, "ends_on": day,
            "head": "@xh_leader", "head_phone": "13900000000",
            "deputies": "李副局长", "office": "区信访局办公室",
            "working_groups": [
                {"name": "接访组", "duties": "接待来访", "members": [{"username": "xh_handler", "phone": "138"}]},
                {"name": "保障组", "duties": "后勤保障", "members": [{"name": "赵六", "phone": "137"}]}
            ]
        });
        assert_error(
            &post(&app, &member, "/api/v1/leading-groups", &body).await,
            403,
            "forbidden",
        );
        let mut bad = body.clone();
        bad["ends_on"] = json!("2000-01-01");
        let got = post(&app, &leader, "/api/v1/leading-groups", &bad).await;
        assert_eq!(field(&got.1, "ends_on"), "ends_before_start", "{:?}", got);

        let (status, g) = post(&app, &leader, "/api/v1/leading-groups", &body).await;
        assert_eq!(status, 201, "{g}");
        let gid = g["id"].as_i64().expect("id");
        assert_eq!(g["working_groups"].as_array().map(Vec::len), Some(2));
        assert!(g["working_groups"][0]["members"][0]["user_id"].is_i64());

        // The member and the head see it on /staff/today; someone not in it does not.
        for (c, shown) in [(&member, true), (&leader, true), (&outsider, false)] {
            let html = c
                .get(app.url("/staff/today"))
                .send()
                .await
                .expect("today")
                .text()
                .await
                .expect("html");
            assert_eq!(html.contains("国庆特护期工作领导小组"), shown, "{html}");
        }

        // A plan can be filed under the group.
        let plan = json!({"name": "特护期预案", "group_id": gid,
        "triggers": [{"kind": "manual"}], "teams": [{"name": "接访组", "members": []}]});
        let (status, p) = post(&app, &leader, "/api/v1/plans", &plan).await;
        assert_eq!(status, 201, "{p}");
        assert_eq!(p["group_name"], "国庆特护期工作领导小组");

        let (_, list) = get(&app, &leader, &format!("/api/v1/leading-groups?on={day}")).await;
        assert_eq!(list.as_array().map(Vec::len), Some(1));
        let (_, list) = get(&app, &leader, "/api/v1/leading-groups?on=2000-01-01").await;
        assert_eq!(list, json!([]));
        let bad = get(&app, &leader, "/api/v1/leading-groups?on=someday").await;
        assert_eq!(field(&bad.1, "on"), "invalid_date");

        // Outside the subtree: not found, not listed, not usable for a plan.
        assert_error(
            &get(&app, &other, &format!("/api/v1/leading-groups/{gid}")).await,
            404,
            "not_found",
        );
        let (_, list) = get(&app, &other, "/api/v1/leading-groups").await;
        assert_eq!(list, json!([]));
        let got = post(&app, &other, "/api/v1/plans", &plan).await;
        assert_eq!(field(&got.1, "group_id"), "invalid_reference", "{:?}", got);
        let (_, events) = get(
            &app,
            &leader,
            &format!("/api/v1/leading-groups/{gid}/events"),
        )
        .await;
        assert_eq!(events[0]["kind"], "created");
    }
);
