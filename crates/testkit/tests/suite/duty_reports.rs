//! Daily reports on a set clock: what is pending at 15:29 and missing at 15:31, a
//! parent's roll-up with the missing unit flagged, corrections as versions, special
//! periods, and the reminder that runs once however many instances run it.

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

pub(crate) const COUNTIES: [(&str, &str); 4] = [
    ("330102", "上城区信访局"),
    ("330103", "下城区信访局"),
    ("330104", "江干区信访局"),
    ("330105", "拱墅区信访局"),
];

/// A day on which this run's cases (registered and pressed now, in real time, within
/// seconds of this call) fall inside the 15:30 window: today before 15:29 in the office,
/// else tomorrow (whose window opens at today's 15:30; a call in the minute around it
/// waits until 15:31 first).
fn report_day() -> NaiveDate {
    let local = Utc::now() + Duration::hours(8);
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
    if local.time() < hm(15, 29) {
        return local.date_naive();
    }
    if local.time() < hm(15, 31) {
        let wait = local.date_naive().and_time(hm(15, 31)) - local.naive_utc();
        std::thread::sleep(wait.to_std().unwrap_or_default());
    }
    local.date_naive() + Duration::days(1)
}

/// Sets the application's clock to `day` at `hh:mm` in the office.
fn at(app: &TestApp, day: NaiveDate, h: u32, m: u32) {
    let tz = chrono::FixedOffset::east_opt(8 * 3600).expect("tz");
    let t = tz
        .from_local_datetime(&day.and_hms_opt(h, m, 0).expect("time"))
        .single()
        .expect("instant");
    app.state.config().clock.set(t.with_timezone(&Utc));
}

pub(crate) struct City {
    pub(crate) city: Client,
    pub(crate) counties: Vec<Client>,
    pub(crate) day: NaiveDate,
}

/// A city with four counties and a duty officer in each. The report day is made a
/// reporting day whatever the weekday, by a special period with the standing times.
pub(crate) async fn city(app: &TestApp) -> City {
    let admin = app.admin().await;
    app.unit(&admin, "330100", "杭州市信访局", "city", "ROOT")
        .await;
    let mut counties = vec![];
    for (code, name) in COUNTIES {
        app.unit(&admin, code, name, "county", "330100").await;
        counties.push(
            app.user(&admin, &format!("duty_{code}"), "duty", code)
                .await,
        );
    }
    let city = app.user(&admin, "duty_city", "duty", "330100").await;
    let day = report_day();
    let (s, v) = post(
        app,
        &city,
        "/api/v1/reports/special-periods",
        &json!({"name": "测试日", "starts_on": day.to_string(), "ends_on": day.to_string(),
                "windows": "15:30", "subtree": true, "rest_days": true}),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    City {
        city,
        counties,
        day,
    }
}

pub(crate) async fn file(app: &TestApp, c: &Client, body: Value) -> Value {
    let (s, v) = post(app, c, "/api/v1/reports", &body).await;
    assert_eq!(s, 201, "{v}");
    v
}

async fn day_of(app: &TestApp, c: &Client, unit: &str, day: NaiveDate) -> Value {
    let (s, v) = get(app, c, &format!("/api/v1/reports?unit={unit}&date={day}")).await;
    assert_eq!(s, 200, "{v}");
    v
}

fn child_statuses(day: &Value) -> Vec<String> {
    day["windows"][0]["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["unit_code"].as_str().unwrap_or(""),
                c["status"].as_str().unwrap_or("")
            )
        })
        .collect()
}

both_backends!(
    pending_at_1529_missing_at_1531_and_the_roll_up_flags_the_missing_unit,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = city(&app).await;
        let day = c.day;
        // A group visit of six registered in the second county this window.
        let admin = app.admin().await;
        let visit = register(
            &app,
            &admin,
            &case_with(json!({"unit": "330103", "headcount": 6})),
        )
        .await;
        // The city presses the second county about it: a supervision order it received.
        let sup = app.user(&admin, "sup_city", "supervisor", "330100").await;
        let (s, order) = post(
            &app,
            &sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [visit["id"]], "reason": "集体访须尽快答复。"}),
        )
        .await;
        assert_eq!(s, 201, "{order}");

        at(&app, day, 15, 20);
        let d = day.to_string();
        file(
            &app,
            &c.counties[0],
            json!({"date": d, "nothing_to_report": true}),
        )
        .await;
        file(
            &app,
            &c.counties[1],
            json!({"date": d, "incidents": "某工地欠薪，约三十人在区政府门口聚集，已劝返。"}),
        )
        .await;
        file(
            &app,
            &c.counties[2],
            json!({"date": d, "notes": "重点问题排查已完成。"}),
        )
        .await;

        at(&app, day, 15, 29);
        let v = day_of(&app, &c.city, "330100", day).await;
        assert_eq!(v["windows"].as_array().map(Vec::len), Some(1), "{v}");
        assert_eq!(v["windows"][0]["due"], "16:00");
        assert_eq!(v["windows"][0]["children_due"], "15:30");
        assert_eq!(v["windows"][0]["status"], "pending");
        assert_eq!(v["special_period"]["name"], "测试日");
        assert_eq!(
            child_statuses(&v),
            [
                "330102:submitted",
                "330103:submitted",
                "330104:submitted",
                "330105:pending"
            ]
        );

        at(&app, day, 15, 31);
        let v = day_of(&app, &c.city, "330100", day).await;
        assert_eq!(child_statuses(&v)[3], "330105:missing");
        assert_eq!(
            v["windows"][0]["status"], "pending",
            "the city has until 16:00"
        );

        at(&app, day, 15, 50);
        let report = file(&app, &c.city, json!({"date": d, "notes": "全市总体平稳。"})).await;
        assert_eq!(report["status"], "submitted");
        let rollup = &report["rollup"];
        assert_eq!(rollup["missing"], json!(["330105"]), "{rollup}");
        assert_eq!(rollup["totals"]["new_cases"], 1);
        assert_eq!(rollup["totals"]["group_visits"], 1);
        assert_eq!(rollup["totals"]["group_people"], 6);
        assert_eq!(rollup["totals"]["supervision_orders"], 1, "{rollup}");
        let children = rollup["children"].as_array().expect("children");
        assert_eq!(children.len(), 4);
        assert_eq!(children[0]["report"]["nothing_to_report"], true);
        assert!(children[1]["report"]["incidents"]
            .as_str()
            .is_some_and(|s| s.contains("欠薪")));
        assert!(children[3]["report"].is_null());

        // The fourth county files late; the city's report now says so.
        at(&app, day, 15, 55);
        let late = file(
            &app,
            &c.counties[3],
            json!({"date": d, "nothing_to_report": true}),
        )
        .await;
        assert_eq!(late["status"], "late");
        let (_, again) = get(&app, &c.city, &format!("/api/v1/reports/{}", report["id"])).await;
        assert_eq!(again["rollup"]["late"], json!(["330105"]));
        assert_eq!(again["rollup"]["missing"], json!([]));

        // The page shows the roll-up with the statuses in words.
        let page = c
            .city
            .get(app.url(&format!("/staff/reports/{}", report["id"])))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            page.contains("拱墅区信访局") && page.contains("迟报"),
            "{page}"
        );
    }
);

both_backends!(
    a_correction_is_a_new_version_and_an_empty_report_is_refused,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = city(&app).await;
        let d = c.day.to_string();
        at(&app, c.day, 15, 0);
        let empty = post(&app, &c.counties[0], "/api/v1/reports", &json!({"date": d})).await;
        assert_error(&empty, 400, "report_empty");
        let both = post(
            &app,
            &c.counties[0],
            "/api/v1/reports",
            &json!({"date": d, "nothing_to_report": true, "incidents": "x"}),
        )
        .await;
        assert_error(&both, 400, "report_nothing_with_incidents");

        let first = file(
            &app,
            &c.counties[0],
            json!({"date": d, "nothing_to_report": true}),
        )
        .await;
        at(&app, c.day, 15, 45);
        let second = file(
            &app,
            &c.counties[0],
            json!({"date": d, "window": 1, "notes": "补报：下午有一起来电咨询。"}),
        )
        .await;
        assert_eq!(second["version"], 2);
        assert_eq!(
            second["status"], "submitted",
            "a correction keeps the first filing time"
        );
        let (_, old) = get(
            &app,
            &c.counties[0],
            &format!("/api/v1/reports/{}", first["id"]),
        )
        .await;
        assert_eq!(old["superseded"], true);
        assert_eq!(
            old["nothing_to_report"], true,
            "the first version is kept as filed"
        );
        assert_eq!(old["versions"].as_array().map(Vec::len), Some(2));

        // Another county cannot read it; an auditor cannot file.
        let (s, _) = get(
            &app,
            &c.counties[1],
            &format!("/api/v1/reports/{}", first["id"]),
        )
        .await;
        assert_eq!(s, 404);
        let admin = app.admin().await;
        let auditor = app.user(&admin, "aud", "auditor", "330100").await;
        let refused = post(
            &app,
            &auditor,
            "/api/v1/reports",
            &json!({"date": d, "nothing_to_report": true}),
        )
        .await;
        assert_eq!(refused.0, 403);
        let audit_rows = audit(&app, &admin, "report_filed").await;
        assert_eq!(audit_rows.len(), 2);
    }
);

both_backends!(
    a_special_period_sets_two_windows_for_the_subtree_and_can_include_a_weekend,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = city(&app).await;
        // Find the next Saturday after the report day.
        let mut sat = c.day + Duration::days(1);
        while chrono::Datelike::weekday(&sat) != chrono::Weekday::Sat {
            sat += Duration::days(1);
        }
        let v = day_of(&app, &c.counties[0], "330102", sat).await;
        assert_eq!(v["windows"], json!([]), "a plain Saturday has no windows");
        let (s, _) = post(
            &app,
            &c.city,
            "/api/v1/reports/special-periods",
            &json!({"name": "特护期", "starts_on": sat.to_string(), "ends_on": sat.to_string(),
                    "windows": "16:40, 08:40", "subtree": true, "rest_days": true}),
        )
        .await;
        assert_eq!(s, 201);
        let v = day_of(&app, &c.counties[0], "330102", sat).await;
        let dues: Vec<&str> = v["windows"]
            .as_array()
            .expect("windows")
            .iter()
            .filter_map(|w| w["due"].as_str())
            .collect();
        assert_eq!(dues, ["08:40", "16:40"]);
        let v = day_of(&app, &c.city, "330100", sat).await;
        assert_eq!(
            v["windows"][0]["due"], "09:10",
            "the city compiles 30 minutes later"
        );
        assert_eq!(
            v["windows"][1]["children"].as_array().map(Vec::len),
            Some(4)
        );

        at(&app, sat, 9, 0);
        let first = file(
            &app,
            &c.counties[0],
            json!({"date": sat.to_string(), "nothing_to_report": true}),
        )
        .await;
        assert_eq!(
            first["window_no"], 2,
            "08:40 has passed: the next open window"
        );
        assert_eq!(first["status"], "submitted");

        let bad = post(
            &app,
            &c.city,
            "/api/v1/reports/special-periods",
            &json!({"name": "x", "starts_on": sat.to_string(), "ends_on": sat.to_string(), "windows": "8点"}),
        )
        .await;
        assert_error(&bad, 422, "validation_failed");
        let (_, periods) = get(&app, &c.counties[0], "/api/v1/reports/special-periods").await;
        assert_eq!(periods[0]["name"], "特护期", "{periods}");
    }
);

both_backends!(
    each_window_reminds_missing_units_once_with_two_instances,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = city(&app).await;
        let d = c.day.to_string();
        at(&app, c.day, 15, 0);
        for county in &c.counties[..3] {
            file(&app, county, json!({"date": d, "nothing_to_report": true})).await;
        }
        at(&app, c.day, 15, 29);
        assert_eq!(
            app::report_reminders::tick(&app.state, "a")
                .await
                .expect("tick"),
            0,
            "nothing is due yet"
        );
        at(&app, c.day, 15, 31);
        let other_store = store::Store::connect(&app.db.url)
            .await
            .expect("second store");
        let other = app::App::new(other_store, app.config.core.clone());
        let (a, b) = tokio::join!(
            app::report_reminders::tick(&app.state, "a"),
            app::report_reminders::tick(&other, "b")
        );
        assert_eq!(a.expect("a") + b.expect("b"), 1, "one unit, reminded once");
        assert_eq!(
            app::report_reminders::tick(&app.state, "a")
                .await
                .expect("again"),
            0
        );
        let (_, notes) = get(&app, &c.counties[3], "/api/v1/notifications").await;
        assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
        assert_eq!(notes[0]["kind"], "report_missing");
        assert_eq!(notes[0]["detail"], format!("{d} 15:30"));
        let (_, desk) = get(&app, &c.city, "/api/v1/notifications").await;
        assert_eq!(desk.as_array().map(Vec::len), Some(1), "{desk}");
        assert_eq!(desk[0]["kind"], "child_report_missing");
        assert_eq!(desk[0]["detail"], format!("{d} 15:30 · 拱墅区信访局"));
        let (_, told) = get(&app, &c.counties[0], "/api/v1/notifications").await;
        assert_eq!(
            told.as_array().map(Vec::len),
            Some(0),
            "units that filed are not told"
        );
        let page = c.counties[3]
            .get(app.url("/staff/notifications"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(page.contains("日报告未按时报送"));
    }
);
