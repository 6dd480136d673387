//! Issue 8, defect 5: NUL and other control characters are refused at the edge with the
//! same answer on SQLite and PostgreSQL (which cannot store NUL and answered 500): `422`
//! with the field named, and for a login the answer to a wrong password. Line breaks
//! and tabs stay allowed in multi-line text.

use reqwest::multipart::Form;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

fn assert_field(got: &(StatusCode, Value), name: &str) {
    assert_error(got, 422, "validation_failed");
    assert_eq!(field(&got.1, name), "invalid_characters", "{}", got.1);
}

both_backends!(
    logins_with_control_characters_are_failed_logins,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = Client::new();
        let unknown = post(
            &app,
            &c,
            "/api/v1/session",
            &json!({ "username": "nobody", "password": "Wrong-password-1" }),
        )
        .await;
        assert_error(&unknown, 401, "invalid_credentials");
        for name in ["a\u{0}b", "admin\u{0}", "a\u{1b}b", "ad\tmin"] {
            let got = post(
                &app,
                &c,
                "/api/v1/session",
                &json!({ "username": name, "password": "Wrong-password-1" }),
            )
            .await;
            assert_eq!(got, unknown, "{name:?}");
        }
        // The staff login form: the same page as a wrong password, not an error.
        let page = c.get(app.url("/staff/login")).send().await.expect("form");
        let jar = page
            .headers()
            .get(reqwest::header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("login csrf cookie")
            .to_string();
        let csrf = jar
            .split_once('=')
            .map(|(_, v)| v.to_string())
            .expect("csrf");
        let res = c
            .post(app.url("/staff/login"))
            .header(reqwest::header::COOKIE, jar)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(format!(
                "csrf={csrf}&username=a%00b&password=x&next=%2Fstaff"
            ))
            .send()
            .await
            .expect("login form");
        assert_eq!(res.status(), 200);
        let text = res.text().await.expect("page");
        assert!(text.contains("用户名或密码错误"), "{text}");
        // Audited with the name made printable.
        let admin = app.admin().await;
        let failed = audit(&app, &admin, "login_failed").await;
        assert!(
            failed.iter().any(|e| e["target"] == "a\u{fffd}b"),
            "{failed:?}"
        );
    }
);

both_backends!(
    query_parameters_with_control_characters_are_refused,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        register(&app, &admin, &sample_case()).await;
        for (query, name) in [
            ("region=33%00", "region"),
            ("case_no=ROOT-2026%00", "case_no"),
            ("unit=ROOT%00", "unit"),
            ("category=labor%01", "category"),
            ("state=open%0A", "state"),
        ] {
            let got = get(&app, &admin, &format!("/api/v1/cases?{query}")).await;
            assert_field(&got, name);
        }
        assert_field(
            &get(&app, &admin, "/api/v1/audit?action=login%00").await,
            "action",
        );
        let got = get(
            &app,
            &Client::new(),
            "/api/v1/public/cases/ROOT-2026-000001?code=AB%00CD",
        )
        .await;
        assert_field(&got, "code");
        // A page answers with a page, in the person's language.
        let res = admin
            .get(app.url("/staff/cases?region=33%00"))
            .send()
            .await
            .expect("queue");
        assert_eq!(res.status(), 422);
        assert!(res.text().await.expect("page").contains("<html"));
        // Clean values still work.
        let (status, list) = get(&app, &admin, "/api/v1/cases?region=33&state=open").await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    }
);

both_backends!(
    names_with_control_characters_are_refused,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        assert_field(
            &post(
                &app,
                &admin,
                "/api/v1/tokens",
                &json!({ "name": "bridge\u{0}" }),
            )
            .await,
            "name",
        );
        assert_field(
            &post(&app, &admin, "/api/v1/tokens", &json!({ "name": "a\tb" })).await,
            "name",
        );
        assert_field(
        &post(
            &app,
            &admin,
            "/api/v1/units",
            &json!({ "code": "330106", "name": "西湖\u{0}区", "level": "county", "parent": "ROOT" }),
        )
        .await,
        "name",
    );
        assert_field(
        &post(
            &app,
            &admin,
            "/api/v1/units",
            &json!({ "code": "330106", "name": "西湖区", "name_en": "Xihu\nDistrict", "level": "county", "parent": "ROOT" }),
        )
        .await,
        "name_en",
    );
        app.unit(&admin, "330106", "西湖区信访局", "county", "ROOT")
            .await;
        assert_field(
            &patch(
                &app,
                &admin,
                "/api/v1/units/330106",
                &json!({ "name": "a\u{0}" }),
            )
            .await,
            "name",
        );
        let (status, _) = patch(&app, &admin, "/api/v1/units/33%00", &json!({ "name": "x" })).await;
        assert_eq!(status, 404);
        assert_field(
            &post(
                &app,
                &admin,
                "/api/v1/users",
                &json!({ "username": "li\u{0}", "role": "clerk", "password": "Test-password-1" }),
            )
            .await,
            "username",
        );
        assert_field(
        &post(
            &app,
            &admin,
            "/api/v1/users",
            &json!({ "username": "li", "display_name": "李\u{7}", "role": "clerk", "password": "Test-password-1" }),
        )
        .await,
        "display_name",
    );
        app.user(&admin, "li", "clerk", "330106").await;
        let (_, users) = get(&app, &admin, "/api/v1/users").await;
        let id = users
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["username"] == "li")
            .and_then(|u| u["id"].as_i64())
            .expect("id");
        assert_field(
            &patch(
                &app,
                &admin,
                &format!("/api/v1/users/{id}"),
                &json!({ "display_name": "李\u{0}四" }),
            )
            .await,
            "display_name",
        );
        let got = patch(
            &app,
            &admin,
            &format!("/api/v1/users/{id}"),
            &json!({ "unit": "3301\u{0}06" }),
        )
        .await;
        assert_eq!(got.0, 422, "{}", got.1);
        // Nothing was stored by any of these.
        let (_, units) = get(&app, &admin, "/api/v1/units").await;
        assert_eq!(units.as_array().map(Vec::len), Some(2), "{units}");
        let (_, users) = get(&app, &admin, "/api/v1/users").await;
        assert_eq!(users.as_array().map(Vec::len), Some(2), "{users}");
    }
);

both_backends!(
    case_text_refuses_controls_but_keeps_line_breaks,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        let made = register(&app, &admin, &sample_case()).await;
        let id = made["id"].as_i64().expect("id");
        let path = format!("/api/v1/cases/{id}");
        assert_field(
            &patch(
                &app,
                &admin,
                &path,
                &json!({ "version": 1, "respondent": "某\u{0}公司" }),
            )
            .await,
            "respondent",
        );
        assert_field(
            &patch(
                &app,
                &admin,
                &path,
                &json!({ "version": 1, "respondent": "某\t公司" }),
            )
            .await,
            "respondent",
        );
        assert_field(
            &patch(
                &app,
                &admin,
                &path,
                &json!({ "version": 1, "demands": "支付\u{0}" }),
            )
            .await,
            "demands",
        );
        let (status, fixed) = patch(
            &app,
            &admin,
            &path,
            &json!({ "version": 1, "content": "第一段。\r\n\t第二段。" }),
        )
        .await;
        assert_eq!(status, 200, "{fixed}");
        assert_eq!(fixed["content"], "第一段。\n\t第二段。");

        // Registration, as JSON and as multipart, and an action's text.
        let mut bad = sample_case();
        bad["petitioners"][0]["name"] = json!("张\u{0}三");
        assert_field(
            &post(&app, &admin, "/api/v1/cases", &bad).await,
            "petitioners[0].name",
        );
        let mut bad = sample_case();
        bad["content"] = json!("拖欠\u{0}工资");
        let form = Form::new().text("case", bad.to_string());
        // A multipart call on a session carries the session's CSRF token.
        let (status, login) = post(
            &app,
            &admin,
            "/api/v1/session",
            &json!({ "username": "admin", "password": app.admin_password }),
        )
        .await;
        assert_eq!(status, 200);
        let csrf = login["csrf_token"].as_str().expect("csrf_token");
        let got = send(
            admin
                .post(app.url("/api/v1/cases"))
                .header("x-csrf-token", csrf)
                .multipart(form),
        )
        .await;
        assert_field(&got, "content");
        assert_field(
            &post(
                &app,
                &admin,
                &format!("/api/v1/cases/{id}/actions/void"),
                &json!({ "reason": "重复\u{0}登记" }),
            )
            .await,
            "reason",
        );
        assert_eq!(case_count(&app).await, 1);
    }
);

both_backends!(
    public_petitions_refuse_controls_and_keep_line_breaks,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = Client::new();
        let petition = |content: &str| {
            json!({
                "type": "claim", "category": "labor.wages", "region": "330106",
                "content": content, "demands": "请求督促支付拖欠工资。",
                "name": "张三", "phone": "13800000000"
            })
        };
        let got = post(
            &app,
            &c,
            "/api/v1/public/petitions",
            &petition("拖欠\u{0}工资"),
        )
        .await;
        assert_field(&got, "content");
        let mut named = petition("拖欠工资");
        named["name"] = json!("张\u{0}三");
        assert_field(
            &post(&app, &c, "/api/v1/public/petitions", &named).await,
            "name",
        );
        let form = Form::new().text("petition", petition("拖欠\u{1}工资").to_string());
        let got = send(c.post(app.url("/api/v1/public/petitions")).multipart(form)).await;
        assert_field(&got, "content");
        let (status, made) = post(
            &app,
            &c,
            "/api/v1/public/petitions",
            &petition("第一段：拖欠工资。\n\t第二段：多次讨要未果。"),
        )
        .await;
        assert_eq!(status, 201, "{made}");
    }
);
