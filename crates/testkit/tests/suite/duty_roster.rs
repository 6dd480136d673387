//! The duty roster and handovers on a set clock: planning, the team on duty in every
//! page's header (the unit's and its parent's), a swap on record, copying a week
//! forward, and a handover written and acknowledged, each timed.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn at(app: &TestApp, day: NaiveDate, h: u32, m: u32) -> i64 {
    let tz = chrono::FixedOffset::east_opt(8 * 3600).expect("tz");
    let t = tz
        .from_local_datetime(&day.and_hms_opt(h, m, 0).expect("time"))
        .single()
        .expect("instant")
        .with_timezone(&Utc);
    app.state.config().clock.set(t);
    t.timestamp_millis()
}

fn shift(day: NaiveDate, leader: &str) -> serde_json::Value {
    json!({"day": day.to_string(), "leader": {"name": leader, "phone": "13900000001"},
           "staff": [{"name": "李明", "phone": "13900000002"}, {"name": "赵红", "phone": "0571-88888888"}]})
}

both_backends!(
    a_roster_shows_in_the_header_swaps_are_recorded_and_handovers_are_timed,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330100", "杭州市信访局", "city", "ROOT")
            .await;
        app.unit(&admin, "330102", "上城区信访局", "county", "330100")
            .await;
        let city = app.user(&admin, "duty_city", "duty", "330100").await;
        let city2 = app.user(&admin, "duty_city2", "duty", "330100").await;
        let county = app.user(&admin, "duty_county", "duty", "330102").await;
        let auditor = app.user(&admin, "aud", "auditor", "330100").await;
        // A Wednesday, so the week has a Monday before it.
        let mut day = NaiveDate::from_ymd_opt(2026, 12, 2).expect("day");
        while day.weekday() != chrono::Weekday::Wed {
            day += Duration::days(1);
        }
        at(&app, day, 10, 0);

        let bad = send(
            city.put(app.url("/api/v1/duty/roster"))
                .json(&json!({"shifts": [
            {"day": day.to_string(), "leader": {"name": "王局长", "phone": "x"}, "staff": []}]})),
        )
        .await;
        assert_error(&bad, 422, "validation_failed");
        let (s, _) = send(
            auditor
                .put(app.url("/api/v1/duty/roster"))
                .json(&json!({"shifts": [shift(day, "王局长")]})),
        )
        .await;
        assert_eq!(s, 403);
        let (s, v) = send(
            city.put(app.url("/api/v1/duty/roster"))
                .json(&json!({"shifts": [shift(day, "王局长")]})),
        )
        .await;
        assert_eq!(s, 204, "{v}");

        let (_, teams) = get(&app, &county, "/api/v1/duty/current").await;
        assert_eq!(
            teams.as_array().map(Vec::len),
            Some(1),
            "only the parent has a roster: {teams}"
        );
        assert_eq!(teams[0]["shift"]["leader"]["name"], "王局长");
        let page = county
            .get(app.url("/staff/cases"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("data-testid=\"duty-line\"") && page.contains("王局长 13900000001"),
            "{page}"
        );

        // Before 08:30 the next morning the same shift is still on.
        at(&app, day + Duration::days(1), 8, 0);
        let (_, teams) = get(&app, &city, "/api/v1/duty/current").await;
        assert_eq!(teams[0]["shift"]["day"], day.to_string());
        at(&app, day, 10, 0);

        let (_, week) = get(&app, &city, &format!("/api/v1/duty/roster?from={}", day)).await;
        let id = week["days"][0]["shift"]["id"].as_i64().expect("shift id");
        let (s, swapped) = post(
            &app,
            &city,
            &format!("/api/v1/duty/shifts/{id}/swap"),
            &json!({"slot": "staff:0", "name": "孙强", "phone": "13900000009", "reason": "病假"}),
        )
        .await;
        assert_eq!(s, 200, "{swapped}");
        assert_eq!(swapped["staff"][0]["name"], "孙强");
        assert_eq!(swapped["swaps"][0]["from_name"], "李明");
        assert_eq!(swapped["swaps"][0]["swapped_by_name"], "duty_city");

        let monday = day - Duration::days(2);
        let next = monday + Duration::days(7);
        let (s, copied) = post(
            &app,
            &city,
            "/api/v1/duty/roster/copy",
            &json!({"from": monday.to_string(), "to": next.to_string()}),
        )
        .await;
        assert_eq!(s, 200, "{copied}");
        assert_eq!(copied["copied"], 1);
        let (_, later) = get(&app, &city, &format!("/api/v1/duty/roster?from={next}")).await;
        assert_eq!(later["days"][2]["shift"]["leader"]["name"], "王局长");
        assert_eq!(later["days"][2]["shift"]["staff"][0]["name"], "孙强");

        // The outgoing team hands over at 08:20 next day; the incoming acknowledges at 08:35.
        let written = at(&app, day + Duration::days(1), 8, 20);
        let (s, h) = post(
            &app,
            &city,
            "/api/v1/duty/handovers",
            &json!({"pending": "某工地欠薪问题，明早约30人可能来访，已通知区人社局。"}),
        )
        .await;
        assert_eq!(s, 201, "{h}");
        assert_eq!(h["shift_day"], day.to_string());
        assert!((h["written_at"].as_i64().expect("at") - written).abs() < 5_000);
        let acked = at(&app, day + Duration::days(1), 8, 35);
        let (s, a) = post(
            &app,
            &city2,
            &format!("/api/v1/duty/handovers/{}/ack", h["id"]),
            &json!({"note": "已知悉"}),
        )
        .await;
        assert_eq!(s, 200, "{a}");
        assert_eq!(a["ack_by_name"], "duty_city2");
        assert!((a["ack_at"].as_i64().expect("ack") - acked).abs() < 5_000);
        let again = post(
            &app,
            &city2,
            &format!("/api/v1/duty/handovers/{}/ack", h["id"]),
            &json!({}),
        )
        .await;
        assert_error(&again, 400, "already_acknowledged");
        let (s, _) = post(
            &app,
            &county,
            &format!("/api/v1/duty/handovers/{}/ack", h["id"]),
            &json!({}),
        )
        .await;
        assert_eq!(s, 404, "another unit's handover is not in scope");
        // The day at a glance: the parent's team on duty, the report window, cases due.
        at(&app, day, 15, 0);
        let today = county
            .get(app.url("/staff/today"))
            .send()
            .await
            .expect("today")
            .text()
            .await
            .expect("html");
        assert!(
            today.contains("今日工作") && today.contains("王局长"),
            "{today}"
        );
        assert!(today.contains("15:30") && today.contains("待报"), "{today}");
        assert!(today.contains("超期 0 件"), "{today}");
        let swaps = audit(&app, &admin, "duty_swapped").await;
        assert_eq!(swaps.len(), 1);
    }
);
