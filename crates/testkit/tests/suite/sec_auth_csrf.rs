//! Issue 8, defect 7: an API call on a session cookie that changes state must come from
//! this site (a foreign `Origin` is refused) and send JSON or the session's
//! `X-CSRF-Token`; bearer-token calls are unaffected. And `/lang/{lang}` goes back only
//! to a plain local path.

use reqwest::header::{AUTHORIZATION, LOCATION, ORIGIN, REFERER};
use reqwest::multipart::{Form, Part};
use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const EVIL: &str = "https://evil.example";

fn multipart_case() -> Form {
    Form::new()
        .text("case", sample_case().to_string())
        .part("attachments", Part::bytes(PDF.to_vec()).file_name("a.pdf"))
}

fn attachment() -> Form {
    Form::new().part("attachments", Part::bytes(PDF.to_vec()).file_name("b.pdf"))
}

/// A client logged in as the admin, and its session's CSRF token.
async fn admin_with_csrf(app: &TestApp) -> (Client, String) {
    let c = app.client();
    let (status, body) = post(
        app,
        &c,
        "/api/v1/session",
        &json!({ "username": "admin", "password": app.admin_password }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let csrf = body["csrf_token"].as_str().expect("csrf_token").to_string();
    (c, csrf)
}

fn refused(got: &(reqwest::StatusCode, Value)) {
    assert_error(got, 403, "csrf_refused");
}

both_backends!(
    cookie_multipart_needs_the_token_and_this_origin,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let (c, csrf) = admin_with_csrf(&app).await;
        let own = app.base.clone();

        // The attack of the report: only the cookie, from a foreign page.
        refused(
            &send(
                c.post(app.url("/api/v1/cases"))
                    .header(ORIGIN, EVIL)
                    .multipart(multipart_case()),
            )
            .await,
        );
        // Without an Origin, a multipart call still needs the token.
        refused(&send(c.post(app.url("/api/v1/cases")).multipart(multipart_case())).await);
        // Even the right token does not help a foreign page.
        refused(
            &send(
                c.post(app.url("/api/v1/cases"))
                    .header(ORIGIN, EVIL)
                    .header("x-csrf-token", &csrf)
                    .multipart(multipart_case()),
            )
            .await,
        );
        // A wrong token is no token.
        refused(
            &send(
                c.post(app.url("/api/v1/cases"))
                    .header("x-csrf-token", "0".repeat(64))
                    .multipart(multipart_case()),
            )
            .await,
        );
        assert_eq!(case_count(&app).await, 0, "nothing was stored");

        // This site's page with the token registers the case.
        let (status, made) = send(
            c.post(app.url("/api/v1/cases"))
                .header(ORIGIN, &own)
                .header("x-csrf-token", &csrf)
                .multipart(multipart_case()),
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let id = made["id"].as_i64().expect("id");
        let path = format!("/api/v1/cases/{id}/attachments");
        refused(
            &send(
                c.post(app.url(&path))
                    .header(ORIGIN, EVIL)
                    .multipart(attachment()),
            )
            .await,
        );
        refused(&send(c.post(app.url(&path)).multipart(attachment())).await);
        let (status, after) = send(
            c.post(app.url(&path))
                .header("x-csrf-token", &csrf)
                .multipart(attachment()),
        )
        .await;
        assert_eq!(status, 201, "{after}");
        assert_eq!(after["attachments"].as_array().map(Vec::len), Some(2));

        // JSON needs no token (a cross-site form cannot send it), but a foreign Origin is
        // refused whatever the body.
        register(&app, &c, &sample_case()).await;
        refused(
            &send(
                c.post(app.url("/api/v1/cases"))
                    .header(ORIGIN, EVIL)
                    .json(&sample_case()),
            )
            .await,
        );
        refused(
            &send(
                c.post(app.url("/api/v1/cases"))
                    .header(ORIGIN, "null")
                    .json(&sample_case()),
            )
            .await,
        );
        assert_eq!(case_count(&app).await, 2);
        // Reading is not changing: a GET is answered whatever its Origin.
        assert_eq!(
            send(c.get(app.url("/api/v1/cases")).header(ORIGIN, EVIL))
                .await
                .0,
            200
        );
    }
);

both_backends!(bodiless_cookie_calls_need_the_token, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let (c, csrf) = admin_with_csrf(&app).await;
    let (status, made) = post(&app, &c, "/api/v1/tokens", &json!({ "name": "bridge" })).await;
    assert_eq!(status, 201, "{made}");
    let id = made["record"]["id"].as_i64().expect("token id");
    let path = format!("/api/v1/tokens/{id}");
    refused(&send(c.delete(app.url(&path))).await);
    // A form post (what a cross-site page can send) is refused too.
    refused(
        &send(
            c.post(app.url("/api/v1/notifications/read"))
                .form(&[("x", "1")]),
        )
        .await,
    );
    // The token comes with the login, and from GET /api/v1/me.
    let me = c.get(app.url("/api/v1/me")).send().await.expect("me");
    assert_eq!(
        me.headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok()),
        Some(csrf.as_str())
    );
    let res = c
        .delete(app.url(&path))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("revoke");
    assert_eq!(res.status(), 204);
});

both_backends!(bearer_calls_are_unaffected, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let (c, _) = admin_with_csrf(&app).await;
    let (_, made) = post(&app, &c, "/api/v1/tokens", &json!({ "name": "bridge" })).await;
    let token = made["token"].as_str().expect("token").to_string();
    let bare = Client::new();
    let (status, made) = send(
        bare.post(app.url("/api/v1/cases"))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(ORIGIN, EVIL)
            .multipart(multipart_case()),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().expect("id");
    let (status, _) = send(
        bare.post(app.url(&format!("/api/v1/cases/{id}/attachments")))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .multipart(attachment()),
    )
    .await;
    assert_eq!(status, 201);
});

both_backends!(
    the_language_switch_goes_back_only_to_local_paths,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let c = app.client();
        let back = |referer: String| {
            let c = c.clone();
            let url = app.url("/lang/en");
            async move {
                let res = c
                    .get(url)
                    .header(REFERER, referer)
                    .send()
                    .await
                    .expect("lang");
                assert_eq!(res.status(), 303);
                res.headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string()
            }
        };
        let host = app.base.clone();
        assert_eq!(
            back(format!("{host}/staff/cases?state=open")).await,
            "/staff/cases?state=open"
        );
        assert_eq!(back(format!("{host}/\\evil.example/")).await, "/");
        assert_eq!(back(format!("{host}/\\/evil.example/")).await, "/");
        assert_eq!(back(format!("{host}//evil.example/")).await, "/");
        assert_eq!(back(format!("{host}/\t/evil.example/")).await, "/");
        assert_eq!(back("https://evil.example".to_string()).await, "/");
    }
);
