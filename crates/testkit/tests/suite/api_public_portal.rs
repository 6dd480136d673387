//! The public portal, on SQLite and on PostgreSQL: the honeypot, anonymity and
//! attachments; the HTML form and its receipt; leaders' reception with an appointment.

use crate::portal;

use portal::*;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, TestApp};

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
