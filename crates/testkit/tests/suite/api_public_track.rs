//! The public portal and its JSON API, on SQLite and on PostgreSQL: a citizen submits,
//! staff walk the lifecycle, the citizen tracks it (the reply, never the notes), rates it
//! and asks for a review; wrong numbers and wrong codes answer alike; the rate limits.
//! The honeypot, attachments, the HTML form and reception are in `api_public_portal.rs`.

use crate::portal;

use portal::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

both_backends!(
    a_citizen_submits_tracks_reads_the_reply_rates_and_asks_for_review,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        app.unit(&admin, "330106", "西湖区信访局", "county", "ROOT")
            .await;
        let sup = app.user(&admin, "sup", "supervisor", "ROOT").await;
        let handler = app.user(&admin, "xh_handler", "handler", "330106").await;
        let leader = app.user(&admin, "xh_leader", "leader", "330106").await;

        let (case_no, code) = submit(&app, &petition()).await;
        // A real case in the root unit's intake queue, channel online.
        let (_, page1) = get(&app, &sup, &format!("/api/v1/cases?case_no={case_no}")).await;
        let row = &page1["items"][0];
        assert_eq!(row["channel"], "online");
        assert_eq!(row["unit_code"], "ROOT");
        let id = row["id"].as_i64().expect("id");

        let (status, v) = track(&app, &case_no, &code).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["stage"], "routing");
        assert_eq!(v["deadlines"][0]["status"], "open");
        assert_eq!(v["notices"][0]["kind"], "registered");
        assert_eq!(v["review"]["closed_reason"], "not_replied");

        act(
            &app,
            &sup,
            id,
            "route",
            json!({"mode":"transfer","unit":"330106"}),
        )
        .await;
        act(&app, &handler, id, "accept", json!({})).await;
        act(
            &app,
            &handler,
            id,
            "note",
            json!({"kind":"note","text":"内部笔记：仅供承办人参考"}),
        )
        .await;
        act(&app, &handler, id, "reply", json!({"outcome":"support","text":"经核实，支持您的诉求，已督促支付。","basis":"《劳动合同法》第三十条"})).await;
        // The draft is issued when the unit's leader signs it off (cn-2022).
        act(&app, &leader, id, "approve", json!({})).await;
        act(
            &app,
            &sup,
            id,
            "deliver",
            json!({"received_on": office_today().to_string()}),
        )
        .await;

        let (status, v) = track(&app, &case_no, &code).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["stage"], "review_window");
        assert_eq!(v["unit"], "西湖区信访局");
        let statuses: Vec<&str> = v["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .filter_map(|d| d["status"].as_str())
            .collect();
        assert_eq!(statuses, ["met", "met", "met", "met", "open"], "{v}");
        let kinds: Vec<&str> = v["notices"]
            .as_array()
            .expect("notices")
            .iter()
            .filter_map(|n| n["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["registered", "route", "accept", "reply", "deliver"]);
        assert_eq!(v["notices"][1]["unit"], "西湖区信访局");
        assert_eq!(v["notices"][3]["outcome"], "support");
        assert_eq!(v["notices"][3]["basis"], "《劳动合同法》第三十条");
        let text = v.to_string();
        assert!(
            text.contains("经核实，支持您的诉求"),
            "the reply is readable: {text}"
        );
        for secret in [
            "内部笔记",
            "xh_handler",
            "supervisor",
            "张三",
            "13800000000",
        ] {
            assert!(!text.contains(secret), "{secret} must not show: {text}");
        }
        assert_eq!(v["can_rate"], true);
        assert_eq!(v["review"]["available"], "request_review");

        let rating = format!("/api/v1/public/cases/{case_no}/rating?code={code}");
        let (status, v) = post(&app, &public(), &rating, &json!({"rating": "satisfied"})).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["rating"], "satisfied");
        assert_eq!(v["can_rate"], false);
        let (status, v) = post(&app, &public(), &rating, &json!({"rating": "dissatisfied"})).await;
        assert_eq!(
            (status.as_u16(), v["reason"].as_str()),
            (409, Some("already_rated"))
        );

        let review = format!("/api/v1/public/cases/{case_no}/review-request?code={code}");
        assert_error(
            &post(&app, &public(), &review, &json!({"reason": ""})).await,
            422,
            "validation_failed",
        );
        let (status, v) = post(
            &app,
            &public(),
            &review,
            &json!({"reason": "补偿金额计算有误"}),
        )
        .await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["action"], "request_review");
        assert_eq!(v["case"]["stage"], "review");
        let (status, v) = post(&app, &public(), &review, &json!({"reason": "再次申请"})).await;
        assert_eq!(
            (status.as_u16(), v["reason"].as_str()),
            (409, Some("review_in_progress"))
        );

        // The timeline records the petitioner's own actions, without an account.
        let (_, events) = get(&app, &sup, &format!("/api/v1/cases/{id}/events")).await;
        let mine: Vec<(&str, &str)> = events
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| matches!(e["kind"].as_str(), Some("rate" | "request_review")))
            .map(|e| {
                (
                    e["kind"].as_str().unwrap_or(""),
                    e["actor_name"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            mine,
            [("rate", "petitioner"), ("request_review", "petitioner")]
        );
    }
);

both_backends!(
    wrong_numbers_and_wrong_codes_answer_alike,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let (case_no, code) = submit(&app, &petition()).await;
        let wrong_code = if code.starts_with('A') {
            "BBBBBBBB"
        } else {
            "AAAAAAAA"
        };
        let a = track(&app, &case_no, wrong_code).await;
        let b = track(&app, "ROOT-2026-999999", &code).await;
        let c = track(&app, "not a number", &code).await;
        let d = get(&app, &public(), &format!("/api/v1/public/cases/{case_no}")).await;
        assert_eq!(a.0, 404);
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a, d);

        // The lookup form answers alike too.
        let browser = app.client();
        let (_, html) = page(&browser, &app, "/track").await;
        let csrf = csrf_of(&html);
        let mut answers = vec![];
        for (number, code) in [
            (case_no.as_str(), wrong_code),
            ("ROOT-2026-999999", code.as_str()),
        ] {
            let res = browser
                .post(app.url("/track"))
                .form(&[("csrf", csrf.as_str()), ("number", number), ("code", code)])
                .send()
                .await
                .expect("lookup");
            assert_eq!(res.status(), 404);
            let html = res.text().await.expect("html");
            let message = html
                .split("data-testid=\"track-error\">")
                .nth(1)
                .and_then(|r| r.split('<').next())
                .expect("an error message")
                .to_string();
            answers.push(message);
        }
        assert_eq!(answers[0], answers[1]);
        // The right pair opens the case page, held in a cookie for a while.
        let res = browser
            .post(app.url("/track"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("number", case_no.as_str()),
                ("code", &code.to_lowercase()),
            ])
            .send()
            .await
            .expect("lookup");
        assert_eq!(res.status(), 303);
        let (status, html) = page(&browser, &app, "/track/view").await;
        assert_eq!(status, 200);
        assert!(
            html.contains(&case_no) && html.contains("待转送交办"),
            "{html}"
        );
    }
);

both_backends!(
    tracking_and_submission_are_rate_limited,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        for _ in 0..10 {
            assert_eq!(track(&app, "ROOT-2026-000001", "AAAAAAAA").await.0, 404);
        }
        let res = public()
            .get(app.url("/api/v1/public/cases/ROOT-2026-000001?code=AAAAAAAA"))
            .send()
            .await
            .expect("track");
        assert_eq!(res.status(), 429);
        let retry: u64 = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("Retry-After in seconds");
        assert!((1..=60).contains(&retry), "{retry}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"], "too_many_requests");
        // The pages share the budget.
        let browser = app.client();
        let (_, html) = page(&browser, &app, "/track").await;
        let res = browser
            .post(app.url("/track"))
            .form(&[
                ("csrf", csrf_of(&html).as_str()),
                ("number", "ROOT-2026-000001"),
                ("code", "AAAAAAAA"),
            ])
            .send()
            .await
            .expect("lookup");
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));

        for _ in 0..5 {
            submit(&app, &petition()).await;
        }
        let res = public()
            .post(app.url("/api/v1/public/petitions"))
            .json(&petition())
            .send()
            .await
            .expect("submit");
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
        assert_eq!(case_count(&app).await, 5);
    }
);
