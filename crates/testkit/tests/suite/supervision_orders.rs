//! Supervision orders from issue to written reply, reminders by hand and on a schedule
//! (exactly once with two instances), and listed supervision, on both backends.

use crate::supervision_common::*;
use serde_json::json;
use std::time::Duration;
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(
    an_order_goes_from_the_city_to_the_county_and_back,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let late = case_in(&app, &o, "330106", 40).await;
        let other = case_in(&app, &o, "330102", 40).await;

        // Only a unit above presses; the county cannot press itself.
        let body =
            json!({"cases": [late], "reason": "逾期未转送交办", "requirements": "五日内转送"});
        assert_error(
            &post(&app, &o.county_sup, "/api/v1/supervision/orders", &body).await,
            403,
            "forbidden",
        );
        assert_error(
            &post(&app, &o.county_clerk, "/api/v1/supervision/orders", &body).await,
            403,
            "forbidden",
        );
        let bad = post(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [late], "reason": "x", "reply_days": 91}),
        )
        .await;
        assert_error(&bad, 422, "validation_failed");
        assert_eq!(field(&bad.1, "reply_days"), "reply_days_out_of_range");
        // Both cases must be the receiving unit's.
        let mixed = post(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [late, other], "reason": "x", "unit": "330106"}),
        )
        .await;
        assert_eq!(field(&mixed.1, "cases"), "case_not_in_unit", "{:?}", mixed);

        let (status, order) = post(&app, &o.city_sup, "/api/v1/supervision/orders", &body).await;
        assert_eq!(status, 201, "{order}");
        let id = order["id"].as_i64().expect("id");
        assert!(order["order_no"]
            .as_str()
            .expect("no")
            .starts_with("3301-DB-"));
        assert_eq!(order["to_unit"]["code"], "330106");
        assert_eq!(order["reply_days"], 30);
        assert_eq!(order["state"], "issued");
        let issued =
            chrono::NaiveDate::parse_from_str(order["issued_on"].as_str().expect("on"), "%Y-%m-%d")
                .expect("date");
        let due =
            chrono::NaiveDate::parse_from_str(order["due_on"].as_str().expect("due"), "%Y-%m-%d")
                .expect("date");
        assert!((due - issued).num_days() >= 30, "{order}");
        assert!(kinds(&events_of(&app, &o.county_clerk, late).await)
            .contains(&"supervision_ordered".to_string()));
        assert!(notes(&app, &o.county_clerk)
            .await
            .contains(&"supervision_order".to_string()));

        // The county sees it; the county beside it does not; the issuer cannot answer it.
        let (status, _) = get(
            &app,
            &o.county_clerk,
            &format!("/api/v1/supervision/orders/{id}"),
        )
        .await;
        assert_eq!(status, 200);
        assert_error(
            &get(
                &app,
                &o.other_clerk,
                &format!("/api/v1/supervision/orders/{id}"),
            )
            .await,
            404,
            "not_found",
        );
        let reply = json!({"text": "已于今日转送区人社局办理，将按期报告结果。"});
        assert_error(
            &post(
                &app,
                &o.city_sup,
                &format!("/api/v1/supervision/orders/{id}/reply"),
                &reply,
            )
            .await,
            403,
            "forbidden",
        );

        // A reminder by hand, then the written answer.
        let (status, reminded) = post(
            &app,
            &o.city_leader,
            &format!("/api/v1/supervision/orders/{id}/remind"),
            &json!({}),
        )
        .await;
        assert_eq!(status, 200, "{reminded}");
        assert_eq!(reminded["reminders"], 1);
        let (status, answered) = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/supervision/orders/{id}/reply"),
            &reply,
        )
        .await;
        assert_eq!(status, 200, "{answered}");
        assert_eq!(answered["state"], "answered");
        assert_eq!(answered["reply"], reply["text"]);
        let again = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/supervision/orders/{id}/reply"),
            &reply,
        )
        .await;
        assert_eq!(field(&again.1, "order"), "order_not_open", "{:?}", again);
        let k = kinds(&events_of(&app, &o.city_sup, late).await);
        assert!(
            k.ends_with(&[
                "supervision_ordered".into(),
                "supervision_reminded".into(),
                "supervision_answered".into()
            ]),
            "{k:?}"
        );
        assert!(notes(&app, &o.city_sup)
            .await
            .contains(&"supervision_answer".to_string()));

        // The list, the page, the printable order and the timeline in words.
        let (_, list) = get(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders?state=answered",
        )
        .await;
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
        for path in [
            format!("/staff/supervision/orders/{id}"),
            format!("/staff/supervision/orders/{id}/print"),
        ] {
            let res = o
                .county_clerk
                .get(app.url(&path))
                .send()
                .await
                .expect("page");
            assert_eq!(res.status(), 200, "{path}");
            let html = res.text().await.expect("html");
            assert!(
                html.contains(order["order_no"].as_str().expect("no")),
                "{path}"
            );
        }
        let res = o
            .city_sup
            .get(app.url(&format!("/staff/cases/{late}")))
            .send()
            .await
            .expect("case");
        let html = res.text().await.expect("html");
        assert!(html.contains("data-kind=\"supervision_answered\""));
        assert!(html.contains("已于今日转送区人社局办理"));
    }
);

both_backends!(
    listed_supervision_is_flagged_in_the_queue_and_on_the_board,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let id = case_in(&app, &o, "330106", 40).await;
        let path = format!("/api/v1/supervision/cases/{id}/listing");
        assert_error(
            &post(
                &app,
                &o.county_sup,
                &path,
                &json!({"listed": true, "reason": "x"}),
            )
            .await,
            403,
            "forbidden",
        );
        let no_reason = post(&app, &o.city_sup, &path, &json!({"listed": true})).await;
        assert_eq!(field(&no_reason.1, "reason"), "required");
        let (status, _) = post(
            &app,
            &o.city_sup,
            &path,
            &json!({"listed": true, "reason": "群众反映强烈"}),
        )
        .await;
        assert_eq!(status, 204);
        let twice = post(
            &app,
            &o.city_sup,
            &path,
            &json!({"listed": true, "reason": "again"}),
        )
        .await;
        assert_eq!(field(&twice.1, "listed"), "already_listed");

        let (_, q) = get(&app, &o.county_clerk, "/api/v1/cases?listed=1").await;
        assert_eq!(q["total"], 1, "{q}");
        assert_eq!(q["items"][0]["listed"], true);
        let (_, board) = get(&app, &o.city_sup, "/api/v1/supervision/board").await;
        assert_eq!(board["listed"][0]["id"], id, "{board}");
        assert_eq!(board["units"][0]["listed"], 1);
        let res = o
            .county_clerk
            .get(app.url("/staff/cases?listed=1"))
            .send()
            .await
            .expect("queue");
        assert!(res
            .text()
            .await
            .expect("html")
            .contains("data-testid=\"listed-badge\""));

        let (status, _) = post(&app, &o.city_sup, &path, &json!({"listed": false})).await;
        assert_eq!(status, 204);
        let (_, q) = get(&app, &o.county_clerk, "/api/v1/cases?listed=1").await;
        assert_eq!(q["total"], 0);
        let k = kinds(&events_of(&app, &o.city_sup, id).await);
        assert!(
            k.ends_with(&["supervision_listed".into(), "supervision_unlisted".into()]),
            "{k:?}"
        );
    }
);

both_backends!(
    scheduled_reminders_run_once_among_instances,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let id = case_in(&app, &o, "330106", 40).await;
        let (status, order) = post(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [id], "reason": "逾期", "reply_days": 1}),
        )
        .await;
        assert_eq!(status, 201, "{order}");
        // A far order is not reminded yet.
        let (_, far) = post(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [id], "reason": "逾期", "reply_days": 60}),
        )
        .await;

        let other_store = store::Store::connect(&app.db.url)
            .await
            .expect("second store");
        let other = app::App::new(other_store, app.config.core.clone());
        let (a, b) = tokio::join!(
            app::supervision::remind_tick(&app.state, "a", Duration::ZERO),
            app::supervision::remind_tick(&other, "b", Duration::ZERO)
        );
        let sent: usize = [a.expect("a"), b.expect("b")].iter().flatten().sum();
        assert_eq!(sent, 1, "one reminder in all");
        // Run again: it was reminded today, so nothing more.
        let again = app::supervision::remind_tick(&app.state, "a", Duration::ZERO)
            .await
            .expect("tick");
        assert_eq!(again, Some(0));

        let (_, near) = get(
            &app,
            &o.city_sup,
            &format!("/api/v1/supervision/orders/{}", order["id"]),
        )
        .await;
        assert_eq!(near["reminders"], 1, "{near}");
        let (_, far) = get(
            &app,
            &o.city_sup,
            &format!("/api/v1/supervision/orders/{}", far["id"]),
        )
        .await;
        assert_eq!(far["reminders"], 0);
        let events = events_of(&app, &o.county_clerk, id).await;
        let reminders: Vec<_> = events
            .iter()
            .filter(|e| e["kind"] == "supervision_reminded")
            .collect();
        assert_eq!(reminders.len(), 1);
        assert_eq!(reminders[0]["payload"]["scheduled"], true);
        assert!(notes(&app, &o.county_clerk)
            .await
            .contains(&"supervision_reminder".to_string()));
    }
);

both_backends!(
    one_order_names_several_cases_by_number_and_an_unknown_number_is_named,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let first = case_in(&app, &o, "330106", 40).await;
        let second = case_in(&app, &o, "330106", 35).await;
        let third = case_in(&app, &o, "330106", 30).await;
        let no = |id: i64| {
            let app = &app;
            let c = &o.city_sup;
            async move {
                let (_, v) = get(app, c, &format!("/api/v1/cases/{id}")).await;
                v["case_no"].as_str().expect("case_no").to_string()
            }
        };
        let (second_no, third_no) = (no(second).await, no(third).await);
        let (status, order) = post(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [first], "case_nos": [second_no, format!(" {third_no} ")], "reason": "三件均已逾期"}),
        )
        .await;
        assert_eq!(status, 201, "{order}");
        let id = order["id"].as_i64().expect("order id");
        let (_, full) = get(
            &app,
            &o.city_sup,
            &format!("/api/v1/supervision/orders/{id}"),
        )
        .await;
        let mut held: Vec<i64> = full["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| c["id"].as_i64().expect("case id"))
            .collect();
        held.sort_unstable();
        assert_eq!(held, [first, second, third]);
        // Each case's timeline shows the order.
        for c in [first, second, third] {
            let events = events_of(&app, &o.county_clerk, c).await;
            assert!(events.iter().any(|e| e["kind"] == "supervision_ordered"));
        }

        // A number that is not a case in scope is refused and named; nothing is issued.
        let before = get(&app, &o.city_sup, "/api/v1/supervision/orders").await.1;
        let (status, err) = post(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [first], "case_nos": ["330106-2026-999999"], "reason": "逾期"}),
        )
        .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["fields"]["case_nos"], "unknown_case", "{err}");
        let after = get(&app, &o.city_sup, "/api/v1/supervision/orders").await.1;
        assert_eq!(before, after);
    }
);

both_backends!(
    the_issuing_unit_withdraws_an_open_order_with_a_reason_and_nothing_more_is_owed,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let o = office(&app).await;
        let id = case_in(&app, &o, "330106", 40).await;
        let (status, order) = post(
            &app,
            &o.city_sup,
            "/api/v1/supervision/orders",
            &json!({"cases": [id], "reason": "逾期", "reply_days": 1}),
        )
        .await;
        assert_eq!(status, 201, "{order}");
        let path = format!("/api/v1/supervision/orders/{}/withdraw", order["id"]);

        // Not the receiving unit, nor a unit that did not issue it; and never without a
        // reason.
        for c in [&o.county_sup, &o.county_clerk] {
            let (status, _) = post(&app, c, &path, &json!({"reason": "不需要"})).await;
            assert_eq!(status, 403);
        }
        assert_error(
            &post(&app, &o.city_sup, &path, &json!({"reason": "  "})).await,
            422,
            "validation_failed",
        );

        let (status, done) = post(
            &app,
            &o.city_leader,
            &path,
            &json!({"reason": "误发：该件已由市人社局直接督办"}),
        )
        .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["state"], "withdrawn");
        assert_eq!(done["withdrawn_reason"], "误发：该件已由市人社局直接督办");
        assert_eq!(done["withdrawn_by_name"], "hz_leader");

        // The case's timeline says so, the county is told, and it can neither answer
        // the order nor be reminded of it; withdrawing twice is refused.
        let events = events_of(&app, &o.county_clerk, id).await;
        let w: Vec<_> = events
            .iter()
            .filter(|e| e["kind"] == "supervision_withdrawn")
            .collect();
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0]["payload"]["withdrawn_because"],
            "误发：该件已由市人社局直接督办"
        );
        assert!(notes(&app, &o.county_clerk)
            .await
            .contains(&"supervision_withdrawn".to_string()));
        let (status, _) = post(
            &app,
            &o.county_clerk,
            &format!("/api/v1/supervision/orders/{}/reply", order["id"]),
            &json!({"text": "已办理"}),
        )
        .await;
        assert_eq!(status, 422);
        let (status, _) = post(
            &app,
            &o.city_sup,
            &format!("/api/v1/supervision/orders/{}/remind", order["id"]),
            &json!({}),
        )
        .await;
        assert_eq!(status, 422);
        let (status, _) = post(&app, &o.city_sup, &path, &json!({"reason": "再撤"})).await;
        assert_eq!(status, 422);
        let sent = app::supervision::remind_tick(&app.state, "a", Duration::ZERO)
            .await
            .expect("tick");
        assert_eq!(sent, Some(0), "no scheduled reminder for a withdrawn order");
    }
);
