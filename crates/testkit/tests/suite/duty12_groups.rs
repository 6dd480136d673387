//! Duty shifts and daily reports filed under a leading group (领导小组), and groups
//! edited version by version, on both backends and a set clock: a county files under its
//! city's group on a day the group is in force, never under another city's group, a
//! county's group or on a day outside the period; the group lists what is filed under
//! it; a change to a group is its next version, with each changed field on its timeline,
//! and its members' dashboards follow.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn at(app: &TestApp, day: NaiveDate, h: u32, m: u32) {
    let tz = chrono::FixedOffset::east_opt(8 * 3600).expect("tz");
    let t = tz
        .from_local_datetime(&day.and_hms_opt(h, m, 0).expect("time"))
        .single()
        .expect("instant");
    app.state.config().clock.set(t.with_timezone(&Utc));
}

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).expect("day")
}

fn group(name: &str, from: NaiveDate, to: NaiveDate, head: &str) -> Value {
    json!({"name": name, "starts_on": from.to_string(), "ends_on": to.to_string(),
           "head": head, "head_phone": "13900000000", "deputies": "李副局长",
           "office": "市信访局办公室",
           "working_groups": [{"name": "接访组", "duties": "接待来访", "members": [{"name": "赵六", "phone": "137"}]}]})
}

async fn create_group(app: &TestApp, c: &Client, body: &Value) -> i64 {
    let (s, g) = post(app, c, "/api/v1/leading-groups", body).await;
    assert_eq!(s, 201, "{g}");
    g["id"].as_i64().expect("id")
}

fn shift(day: NaiveDate, group: Option<i64>) -> Value {
    json!({"day": day.to_string(), "leader": {"name": "王局长", "phone": "13900000001"},
           "staff": [{"name": "李明", "phone": "13900000002"}], "group_id": group})
}

async fn roster(app: &TestApp, c: &Client, shifts: Value) -> (reqwest::StatusCode, Value) {
    send(
        c.put(app.url("/api/v1/duty/roster"))
            .json(&json!({ "shifts": shifts })),
    )
    .await
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
    duty12_shifts_and_reports_are_filed_under_a_group_in_force,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330100", "杭州市信访局", "city", "ROOT")
            .await;
        app.unit(&admin, "330102", "上城区信访局", "county", "330100")
            .await;
        app.unit(&admin, "330200", "宁波市信访局", "city", "ROOT")
            .await;
        let city = app.user(&admin, "duty_city", "duty", "330100").await;
        let county = app.user(&admin, "duty_county", "duty", "330102").await;
        let other = app.user(&admin, "duty_nb", "duty", "330200").await;
        let day = day0();
        at(&app, day, 10, 0);

        let ours = create_group(
            &app,
            &city,
            &group(
                "两会特护期工作领导小组",
                day,
                day + Duration::days(2),
                "@duty_city",
            ),
        )
        .await;
        let theirs = create_group(
            &app,
            &other,
            &group("宁波市特护期领导小组", day, day, "周局长"),
        )
        .await;
        let countys =
            create_group(&app, &county, &group("上城区工作专班", day, day, "吴主任")).await;

        // What the county may file under today: its own group and its city's.
        let (s, list) = get(
            &app,
            &county,
            &format!("/api/v1/leading-groups?for_unit=330102&on={day}"),
        )
        .await;
        assert_eq!(s, 200, "{list}");
        let mut ids: Vec<i64> = list
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|g| g["id"].as_i64())
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, vec![ours, countys], "{list}");
        let (_, later) = get(
            &app,
            &county,
            &format!(
                "/api/v1/leading-groups?for_unit=330102&on={}",
                day + Duration::days(2)
            ),
        )
        .await;
        assert_eq!(later.as_array().map(Vec::len), Some(1), "{later}");

        // A shift under the city's group, on a day it is in force.
        let (s, v) = roster(&app, &county, json!([shift(day, Some(ours))])).await;
        assert_eq!(s, 204, "{v}");
        let (_, week) = get(&app, &county, &format!("/api/v1/duty/roster?from={day}")).await;
        assert_eq!(week["days"][0]["shift"]["group_id"], ours, "{week}");
        assert_eq!(
            week["days"][0]["shift"]["group_name"],
            "两会特护期工作领导小组"
        );
        // Refused: a day after the period, another city's group, a county's group for
        // the city; nothing of a refused week is written.
        let late = day + Duration::days(5);
        let got = roster(
            &app,
            &county,
            json!([
                shift(day + Duration::days(1), None),
                shift(late, Some(ours))
            ]),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "shifts[1].group_id"), "group_not_in_force");
        let (_, week) = get(
            &app,
            &county,
            &format!("/api/v1/duty/roster?from={}", day + Duration::days(1)),
        )
        .await;
        assert!(week["days"][0]["shift"].is_null(), "{week}");
        let got = roster(&app, &county, json!([shift(day, Some(theirs))])).await;
        assert_eq!(field(&got.1, "shifts[0].group_id"), "group_not_visible");
        let got = roster(&app, &city, json!([shift(day, Some(countys))])).await;
        assert_eq!(field(&got.1, "shifts[0].group_id"), "group_not_visible");
        let got = roster(&app, &county, json!([shift(day, Some(999_999))])).await;
        assert_eq!(field(&got.1, "shifts[0].group_id"), "group_not_visible");

        // A daily report under the group; the day is a reporting day by a special period.
        let (s, v) = post(
            &app,
            &city,
            "/api/v1/reports/special-periods",
            &json!({"name": "两会特护期", "starts_on": day.to_string(), "ends_on": day.to_string(),
                    "windows": "15:30", "subtree": true, "rest_days": true}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        let got = post(
            &app,
            &county,
            "/api/v1/reports",
            &json!({"nothing_to_report": true, "group_id": theirs}),
        )
        .await;
        assert_eq!(field(&got.1, "group_id"), "group_not_visible", "{:?}", got);
        let got = post(
            &app,
            &county,
            "/api/v1/reports",
            &json!({"nothing_to_report": true, "group_id": ours,
                    "date": (day + Duration::days(3)).to_string()}),
        )
        .await;
        assert_eq!(field(&got.1, "group_id"), "group_not_in_force", "{:?}", got);
        let (s, r) = post(
            &app,
            &county,
            "/api/v1/reports",
            &json!({"nothing_to_report": true, "group_id": ours}),
        )
        .await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(r["group_id"], ours);
        assert_eq!(r["group_name"], "两会特护期工作领导小组");
        let rid = r["id"].as_i64().expect("report id");
        let page = html(&app, &county, &format!("/staff/reports/{rid}")).await;
        assert!(
            page.contains("data-testid=\"report-group\"")
                && page.contains("两会特护期工作领导小组"),
            "{page}"
        );

        // The group lists what is filed under it; the county may read its city's group,
        // another city may not.
        let (s, filed) = get(
            &app,
            &city,
            &format!("/api/v1/leading-groups/{ours}/filings"),
        )
        .await;
        assert_eq!(s, 200, "{filed}");
        assert_eq!(filed["shifts"][0]["unit_name"], "上城区信访局", "{filed}");
        assert_eq!(filed["shifts"][0]["day"], day.to_string());
        assert_eq!(filed["reports"][0]["id"], rid);
        let (s, _) = get(&app, &county, &format!("/api/v1/leading-groups/{ours}")).await;
        assert_eq!(s, 200);
        let (s, _) = get(
            &app,
            &other,
            &format!("/api/v1/leading-groups/{ours}/filings"),
        )
        .await;
        assert_eq!(s, 404);
        let page = html(&app, &city, &format!("/staff/groups/{ours}")).await;
        assert!(
            page.contains("data-testid=\"group-shifts\"")
                && page.contains("data-testid=\"group-reports\"")
                && page.contains("上城区信访局"),
            "{page}"
        );
        // The roster page offers the groups in force that week, and the report form too.
        let page = html(&app, &county, &format!("/staff/duty?from={day}")).await;
        assert!(page.contains("name=\"group_0\""), "{page}");
        assert!(page.contains("两会特护期工作领导小组"));
        assert!(!page.contains("宁波市特护期领导小组"));
        let page = html(&app, &county, "/staff/reports").await;
        assert!(page.contains("name=\"group_id\""), "{page}");
    }
);

both_backends!(
    duty12_a_group_is_edited_version_by_version_with_its_timeline,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330100", "杭州市信访局", "city", "ROOT")
            .await;
        app.unit(&admin, "330102", "上城区信访局", "county", "330100")
            .await;
        let leader = app.user(&admin, "city_leader", "leader", "330100").await;
        let first = app.user(&admin, "city_handler", "handler", "330100").await;
        let second = app.user(&admin, "sc_handler", "handler", "330102").await;
        let county = app.user(&admin, "sc_duty", "duty", "330102").await;
        let day = day0();
        at(&app, day, 9, 0);
        let mut body = group("国庆特护期工作领导小组", day, day, "@city_leader");
        body["working_groups"][0]["members"] =
            json!([{"username": "city_handler", "phone": "138"}]);
        let id = create_group(&app, &leader, &body).await;
        let today = |c: Client| {
            let app = &app;
            async move { html(app, &c, "/staff/today").await }
        };
        assert!(today(first.clone())
            .await
            .contains("国庆特护期工作领导小组"));
        assert!(!today(second.clone())
            .await
            .contains("国庆特护期工作领导小组"));

        // The new version: a longer period, another office, the working group's member
        // changed from a city handler to a county handler.
        let mut changed = body.clone();
        changed["version"] = json!(1);
        changed["ends_on"] = json!((day + Duration::days(6)).to_string());
        changed["office"] = json!("市信访局三楼值班室");
        changed["working_groups"] = json!([
            {"name": "接访组", "duties": "接待来访", "members": [{"username": "sc_handler", "phone": "139"}]},
            {"name": "保障组", "duties": "后勤保障", "members": [{"name": "钱七", "phone": "136"}]}
        ]);
        // Not by a county (it may read its city's group, not change it), nor a handler.
        let (s, _) = send(
            county
                .put(app.url(&format!("/api/v1/leading-groups/{id}")))
                .json(&changed),
        )
        .await;
        assert_eq!(s, 404);
        let got = send(
            first
                .put(app.url(&format!("/api/v1/leading-groups/{id}")))
                .json(&changed),
        )
        .await;
        assert_error(&got, 403, "forbidden");
        let (s, g) = send(
            leader
                .put(app.url(&format!("/api/v1/leading-groups/{id}")))
                .json(&changed),
        )
        .await;
        assert_eq!(s, 200, "{g}");
        assert_eq!(g["version"], 2);
        assert_eq!(g["head_username"], "city_leader");
        assert_eq!(g["working_groups"].as_array().map(Vec::len), Some(2));
        assert!(!today(first.clone())
            .await
            .contains("国庆特护期工作领导小组"));
        assert!(today(second.clone())
            .await
            .contains("国庆特护期工作领导小组"));

        // A change made on version 1 again is a conflict; the same body on version 2
        // changes nothing and writes nothing.
        let got = send(
            leader
                .put(app.url(&format!("/api/v1/leading-groups/{id}")))
                .json(&changed),
        )
        .await;
        assert_error(&got, 409, "version_conflict");
        changed["version"] = json!(2);
        let (s, g) = send(
            leader
                .put(app.url(&format!("/api/v1/leading-groups/{id}")))
                .json(&changed),
        )
        .await;
        assert_eq!(s, 200, "{g}");
        assert_eq!(g["version"], 2);
        let mut bad = changed.clone();
        bad["head"] = json!("@nobody");
        let got = send(
            leader
                .put(app.url(&format!("/api/v1/leading-groups/{id}")))
                .json(&bad),
        )
        .await;
        assert_eq!(field(&got.1, "head"), "unknown_user", "{:?}", got);

        // The timeline: created, then one change naming each field, from what to what.
        let (_, events) = get(
            &app,
            &leader,
            &format!("/api/v1/leading-groups/{id}/events"),
        )
        .await;
        let kinds: Vec<&str> = events
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["created", "revised"], "{events}");
        let changes = &events[1]["payload"]["changes"];
        let of = |f: &str| {
            changes
                .as_array()
                .expect("changes")
                .iter()
                .find(|c| c["field"] == f)
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_eq!(events[1]["payload"]["version"], 2);
        assert_eq!(of("office")["from"], "市信访局办公室");
        assert_eq!(of("office")["to"], "市信访局三楼值班室");
        assert_eq!(of("ends_on")["to"], (day + Duration::days(6)).to_string());
        assert!(of("working_groups")["from"]
            .as_str()
            .is_some_and(|s| s.contains("@city_handler")));
        assert!(of("working_groups")["to"]
            .as_str()
            .is_some_and(|s| s.contains("@sc_handler") && s.contains("保障组")));
        assert!(of("head").is_null(), "the head did not change: {changes}");
        assert!(of("name").is_null());

        // The page: the version, the edit form filled with the accounts, the timeline.
        let page = html(&app, &leader, &format!("/staff/groups/{id}")).await;
        assert!(page.contains("data-testid=\"edit-group\""), "{page}");
        assert!(
            page.contains("市信访局办公室 → 市信访局三楼值班室"),
            "{page}"
        );
        let form = html(&app, &leader, &format!("/staff/groups/{id}/edit")).await;
        assert!(form.contains("value=\"@city_leader\""), "{form}");
        assert!(form.contains("@sc_handler"), "{form}");
        assert!(form.contains("name=\"version\" value=\"2\""), "{form}");
        let page = html(&app, &county, &format!("/staff/groups/{id}")).await;
        assert!(!page.contains("data-testid=\"edit-group\""), "{page}");
        for (c, status) in [(&county, 404), (&first, 403)] {
            let res = c
                .get(app.url(&format!("/staff/groups/{id}/edit")))
                .send()
                .await
                .expect("edit form");
            assert_eq!(res.status().as_u16(), status);
        }
    }
);
