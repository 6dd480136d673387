//! The deadline job: overdue and due-soon marking with in-app notifications, and the
//! lease that lets exactly one of several instances run it, on SQLite and PostgreSQL.

use serde_json::json;
use std::time::Duration;
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn days_ago(n: i64) -> String {
    ((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() - chrono::Duration::days(n))
        .to_string()
}

both_backends!(
    overdue_cases_are_marked_once_and_their_unit_is_told,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330106", "西湖区信访局", "county", "ROOT")
            .await;
        let handler = app.user(&admin, "xh_handler", "handler", "330106").await;
        let late = register(
            &app,
            &admin,
            &case_with(json!({"unit": "330106", "received_on": days_ago(40)})),
        )
        .await;
        let fresh = register(&app, &admin, &case_with(json!({"unit": "330106"}))).await;
        assert_eq!(late["case"]["due_status"], "overdue");
        assert_eq!(fresh["case"]["due_status"], "ok");

        let marked = app::jobs::tick(&app.state, "test", Duration::ZERO)
            .await
            .expect("tick");
        assert_eq!(marked, Some(1), "only the overdue case is marked");
        let (_, events) = get(
            &app,
            &admin,
            &format!("/api/v1/cases/{}/events", late["id"]),
        )
        .await;
        assert_eq!(
            events.as_array().expect("events").last().expect("last")["kind"],
            "overdue"
        );
        let (_, notes) = get(&app, &handler, "/api/v1/notifications").await;
        assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
        assert_eq!(notes[0]["kind"], "overdue");
        assert_eq!(notes[0]["case_no"], late["case_no"]);

        // Run again: nothing new to mark, nobody told twice.
        assert_eq!(
            app::jobs::tick(&app.state, "test", Duration::ZERO)
                .await
                .expect("tick"),
            Some(0)
        );
        let (_, notes) = get(&app, &handler, "/api/v1/notifications").await;
        assert_eq!(notes.as_array().map(Vec::len), Some(1));
        assert_eq!(
            post(&app, &handler, "/api/v1/notifications/read", &json!({}))
                .await
                .0,
            204
        );
        let (_, notes) = get(&app, &handler, "/api/v1/notifications").await;
        assert!(notes[0]["read_at"].is_i64());
    }
);

both_backends!(
    two_instances_run_each_job_period_exactly_once,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        // A second instance: its own pool on the same database.
        let other_store = store::Store::connect(&app.db.url)
            .await
            .expect("second store");
        let other = app::App::new(other_store, app.config.core.clone());
        let hour = Duration::from_secs(3600);
        let mut results = vec![];
        for round in 0..5 {
            let (owner_a, owner_b) = (format!("a{round}"), format!("b{round}"));
            let (a, b) = tokio::join!(
                app::jobs::tick(&app.state, &owner_a, hour),
                app::jobs::tick(&other, &owner_b, hour)
            );
            results.push(a.expect("a").is_some());
            results.push(b.expect("b").is_some());
        }
        assert_eq!(
            results.iter().filter(|r| **r).count(),
            1,
            "one run in one period: {results:?}"
        );
        assert_eq!(
            app.store
                .job_runs(app::jobs::DEADLINE_JOB)
                .await
                .expect("runs"),
            1
        );
    }
);
