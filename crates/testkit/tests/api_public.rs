//! The public portal and its JSON API, on SQLite and on PostgreSQL: a citizen submits,
//! staff walk the lifecycle, the citizen tracks it (the reply, never the notes), rates it
//! and asks for a review; wrong numbers and wrong codes answer alike; the rate limits;
//! the honeypot; attachments; and leaders' reception with an appointment.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

fn office_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

fn petition() -> Value {
    json!({
        "type": "claim", "category": "labor.wages", "region": "330106",
        "respondent": "某建筑公司", "content": "我在某工地务工，被拖欠工资三个月。",
        "demands": "请求督促支付拖欠工资。", "name": "张三", "phone": "13800000000"
    })
}

/// A client with no cookies, as an app would be.
fn public() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn submit(app: &TestApp, body: &Value) -> (String, String) {
    let (status, v) = post(app, &public(), "/api/v1/public/petitions", body).await;
    assert_eq!(status, 201, "submit: {v}");
    (
        v["case_no"].as_str().expect("case_no").to_string(),
        v["query_code"].as_str().expect("query_code").to_string(),
    )
}

async fn track(app: &TestApp, case_no: &str, code: &str) -> (StatusCode, Value) {
    get(
        app,
        &public(),
        &format!("/api/v1/public/cases/{case_no}?code={code}"),
    )
    .await
}

/// The hidden CSRF token of a page's first form.
fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a csrf field")
        .to_string()
}

async fn page(c: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.expect("get page");
    let status = res.status();
    (status, res.text().await.expect("page text"))
}

async fn act(app: &TestApp, c: &Client, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = post(
        app,
        c,
        &format!("/api/v1/cases/{id}/actions/{action}"),
        &body,
    )
    .await;
    assert_eq!(status, 200, "{action}: {v}");
    v
}

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

both_backends!(honeypot_anonymity_and_attachments, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let sup = {
        let admin = app.admin().await;
        app.user(&admin, "sup", "supervisor", "ROOT").await
    };
    let mut bot = petition();
    bot["website"] = json!("http://spam.example");
    assert_error(
        &post(&app, &public(), "/api/v1/public/petitions", &bot).await,
        400,
        "rejected",
    );
    // The form's honeypot too.
    let browser = app.client();
    let (_, html) = page(&browser, &app, "/submit").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("type", "suggestion")
        .text("category", "labor.wages")
        .text("region", "330106")
        .text("content", "建议")
        .text("website", "filled by a bot");
    let res = browser
        .post(app.url("/submit"))
        .multipart(form)
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 400);
    assert_eq!(case_count(&app).await, 0);

    let mut claim = petition();
    claim["anonymous"] = json!(true);
    let got = post(&app, &public(), "/api/v1/public/petitions", &claim).await;
    assert_error(&got, 422, "validation_failed");
    assert_eq!(field(&got.1, "anonymous"), "claim_not_anonymous");
    let mut nameless = petition();
    nameless["name"] = json!("");
    nameless["phone"] = json!("");
    let got = post(&app, &public(), "/api/v1/public/petitions", &nameless).await;
    assert_eq!(field(&got.1, "name"), "required");
    assert_eq!(case_count(&app).await, 0);

    // An anonymous accusation keeps no contact details, even typed ones.
    let mut report = petition();
    report["type"] = json!("accusation");
    report["anonymous"] = json!(true);
    let (case_no, _) = submit(&app, &report).await;
    let (_, list) = get(&app, &sup, &format!("/api/v1/cases?case_no={case_no}")).await;
    let id = list["items"][0]["id"].as_i64().expect("id");
    let (_, c) = get(&app, &sup, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(c["anonymous"], true);
    assert_eq!(c["petitioners"], json!([]));

    // Attachments are checked by content; a bad one stores nothing.
    let multipart = |name: &str, bytes: &'static [u8]| {
        reqwest::multipart::Form::new()
            .part(
                "petition",
                reqwest::multipart::Part::text(petition().to_string()),
            )
            .part(
                "attachments",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            )
    };
    let res = public()
        .post(app.url("/api/v1/public/petitions"))
        .multipart(multipart("evil.pdf", b"MZ\x90\x00 not a pdf"))
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 422);
    assert_eq!(case_count(&app).await, 1);
    let res = public()
        .post(app.url("/api/v1/public/petitions"))
        .multipart(multipart("证据.pdf", b"%PDF-1.4 evidence"))
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.expect("json");
    let (_, list) = get(
        &app,
        &sup,
        &format!(
            "/api/v1/cases?case_no={}",
            v["case_no"].as_str().unwrap_or("")
        ),
    )
    .await;
    let id = list["items"][0]["id"].as_i64().expect("id");
    let (_, c) = get(&app, &sup, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(c["attachments"][0]["filename"], "证据.pdf");
});

both_backends!(the_html_form_gives_a_receipt, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let browser = app.client();
    let (status, html) = page(&browser, &app, "/submit").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"zh-CN\">"));
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("type", "claim")
        .text("category", "labor.wages")
        .text("region", "330106")
        .text("content", "拖欠工资")
        .text("demands", "支付工资")
        .text("name", "李四")
        .text("website", "");
    let res = browser
        .post(app.url("/submit"))
        .multipart(form)
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 303);
    let (status, receipt) = page(&browser, &app, "/submit/receipt").await;
    assert_eq!(status, 200);
    let case_no = receipt
        .split("data-testid=\"receipt-case-no\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("case number");
    assert!(case_no.starts_with("ROOT-"), "{case_no}");
    let (status, text) = page(&browser, &app, "/submit/receipt.txt").await;
    assert_eq!(status, 200);
    assert!(text.contains(case_no));
    // Without the CSRF cookie the form is refused, and nothing is stored.
    let form = reqwest::multipart::Form::new()
        .text("csrf", "0".repeat(64))
        .text("type", "claim");
    let res = public()
        .post(app.url("/submit"))
        .multipart(form)
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), 422);
    assert_eq!(case_count(&app).await, 1);
    // English on request; the procedure from the rule set.
    let (_, home) = page(&public(), &app, "/?lang=en").await;
    assert!(
        home.contains("<html lang=\"en\">") && home.contains("within 15 days"),
        "{home}"
    );
    let (_, doc) = get(&app, &public(), "/api/openapi.json").await;
    for p in [
        "/api/v1/public/petitions",
        "/api/v1/public/cases/{case_no}",
        "/api/v1/public/reception",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} is documented");
    }
});

both_backends!(leaders_reception_and_an_appointment, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let leader = app.user(&admin, "root_leader", "leader", "ROOT").await;
    let sup = app.user(&admin, "sup", "supervisor", "ROOT").await;
    let (_, html) = page(&leader, &app, "/staff/reception").await;
    let csrf = csrf_of(&html);
    for (days, name) in [(1, "王局长"), (2, "李副局长")] {
        let day = (office_today() + chrono::Duration::days(days)).to_string();
        let res = leader
            .post(app.url("/staff/reception/slots"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("leader_name", name),
                ("leader_title", "局长"),
                ("day", day.as_str()),
                ("start_time", "09:00"),
                ("end_time", "11:30"),
                ("place", "信访接待大厅"),
                ("capacity", "5"),
            ])
            .send()
            .await
            .expect("publish");
        assert_eq!(res.headers()["location"], "/staff/reception?saved=1");
    }
    let (_, schedule) = get(&app, &public(), "/api/v1/public/reception").await;
    let slots = schedule["slots"].as_array().expect("slots");
    assert_eq!(slots.len(), 2);
    let (first, second) = (
        slots[0]["id"].as_i64().expect("id"),
        slots[1]["id"].as_i64().expect("id"),
    );

    let (status, v) = post(&app, &public(), "/api/v1/public/appointments",
        &json!({"slot_id": first, "matter": "想当面反映工资问题", "name": "赵六", "phone": "13900000000"})).await;
    assert_eq!(status, 201, "{v}");
    let (ref_no, code) = (
        v["ref_no"].as_str().expect("ref").to_string(),
        v["query_code"].as_str().expect("code").to_string(),
    );
    let path = format!("/api/v1/public/appointments/{ref_no}?code={code}");
    let (_, a) = get(&app, &public(), &path).await;
    assert_eq!(a["status"], "requested");
    assert!(
        !a.to_string().contains("13900000000"),
        "no contact details: {a}"
    );

    // Staff offer the other slot; the petitioner sees it and takes it.
    let (_, html) = page(&leader, &app, "/staff/reception").await;
    assert!(
        html.contains("13900000000"),
        "staff see the contact details"
    );
    let appt_id = html
        .split("action=\"/staff/reception/appointments/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("an answer form");
    let res = leader
        .post(app.url(&format!("/staff/reception/appointments/{appt_id}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("decision", "offer"),
            ("slot", second.to_string().as_str()),
            ("message", "原时段已满，建议改至次日。"),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(res.headers()["location"], "/staff/reception?saved=1");
    let (_, a) = get(&app, &public(), &path).await;
    assert_eq!(a["status"], "offered");
    assert_eq!(a["offered_slot"]["id"], second);
    assert_eq!(a["answer"], "原时段已满，建议改至次日。");
    let (status, a) = post(
        &app,
        &public(),
        &format!("/api/v1/public/appointments/{ref_no}/accept?code={code}"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        (a["status"].as_str(), a["slot"]["id"].as_i64()),
        (Some("confirmed"), Some(second))
    );
    // A wrong code answers as for a case.
    let wrong = get(
        &app,
        &public(),
        &format!("/api/v1/public/appointments/{ref_no}?code=AAAAAAAA"),
    )
    .await;
    let wrong_case = track(&app, "ROOT-2026-999999", "AAAAAAAA").await;
    assert_eq!(wrong, wrong_case);
    // The tracking page shows the answer too.
    let browser = app.client();
    let (_, html) = page(&browser, &app, "/track").await;
    let res = browser
        .post(app.url("/track"))
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("number", ref_no.as_str()),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .expect("lookup");
    assert_eq!(res.status(), 303);
    let (_, html) = page(&browser, &app, "/track/view").await;
    assert!(
        html.contains("已确认") && html.contains("李副局长"),
        "{html}"
    );

    // A field visit is logged with the case it took up.
    let made = register(&app, &sup, &testkit::sample_case()).await;
    let case_no = made["case_no"].as_str().expect("case_no");
    let today = office_today().to_string();
    let res = leader
        .post(app.url("/staff/reception/visits"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("leader_name", "王局长"),
            ("day", today.as_str()),
            ("place", "某建筑工地"),
            ("case_nos", case_no),
            ("summary", "现场协调工资支付"),
        ])
        .send()
        .await
        .expect("visit");
    assert_eq!(res.headers()["location"], "/staff/reception?saved=1");
    let (_, html) = page(&leader, &app, "/staff/reception").await;
    assert!(html.contains(case_no) && html.contains("现场协调工资支付"));
    // Reading requests with contact details is audited.
    assert!(!audit(&app, &admin, "read_personal_data")
        .await
        .iter()
        .filter(|e| e["target"] == "appointments")
        .collect::<Vec<_>>()
        .is_empty());
});
