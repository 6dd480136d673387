//! Attachments through the JSON API: checked by content, stored once, downloaded with a
//! safe name, on SQLite and on PostgreSQL.

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::multipart::{Form, Part};
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn multipart_case(file: &[u8], filename: &str) -> Form {
    let case = serde_json::to_string(&sample_case()).expect("json");
    // Sent the way browsers send them: file names as raw UTF-8.
    Form::new().percent_encode_noop().text("case", case).part(
        "attachments",
        Part::bytes(file.to_vec()).file_name(filename.to_string()),
    )
}

both_backends!(
    attachments_are_checked_stored_and_downloaded,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        // Multipart calls on a session carry its CSRF token.
        let admin = login_with_csrf(&app, "admin", &app.admin_password).await;
        let (status, made) = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(PDF, "证据 1.pdf")),
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let id = made["id"].as_i64().expect("id");
        let attachments = made["case"]["attachments"].as_array().expect("attachments");
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0]["filename"], "证据 1.pdf");
        assert_eq!(attachments[0]["content_type"], "application/pdf");
        assert_eq!(attachments[0]["size"], PDF.len());
        let aid = attachments[0]["id"].as_i64().expect("attachment id");

        let (_, read) = get(&app, &admin, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(read["attachments"].as_array().map(Vec::len), Some(1));
        let audited = audit(&app, &admin, "read_personal_data").await.len();
        let res = admin
            .get(app.url(&format!("/api/v1/cases/{id}/attachments/{aid}")))
            .send()
            .await
            .expect("download");
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        let disposition = res
            .headers()
            .get(CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);
        let after = audit(&app, &admin, "read_personal_data").await;
        assert_eq!(after.len(), audited + 1, "a download is audited");
        assert!(after[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("证据 1.pdf")));
        assert_eq!(
            get(
                &app,
                &admin,
                &format!("/api/v1/cases/{id}/attachments/{}", aid + 100)
            )
            .await
            .0,
            404
        );

        // A program, whatever it is called, is refused and nothing is stored.
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode";
        let got = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(exe, "evidence.pdf")),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "attachments"), "file_type_not_allowed");
        let got = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(b"<html><script>x</script>", "page.html")),
        )
        .await;
        assert_eq!(field(&got.1, "attachments"), "file_type_not_allowed");
        assert_eq!(case_count(&app).await, 1);

        let no_case = Form::new().part("attachments", Part::bytes(PDF.to_vec()).file_name("a.pdf"));
        let got = send(admin.post(app.url("/api/v1/cases")).multipart(no_case)).await;
        assert_eq!(field(&got.1, "case"), "required", "{}", got.1);
        let bad_json = Form::new().text("case", "{not json");
        assert_error(
            &send(admin.post(app.url("/api/v1/cases")).multipart(bad_json)).await,
            400,
            "malformed_json",
        );
        let invalid = Form::new().text("case", json!({ "channel": "pigeon" }).to_string());
        let got = send(admin.post(app.url("/api/v1/cases")).multipart(invalid)).await;
        assert_eq!(field(&got.1, "channel"), "invalid_channel");
        assert_eq!(case_count(&app).await, 1);

        // More files for an existing case.
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
        let more = Form::new().part(
            "attachments",
            Part::bytes(png.clone()).file_name("photo.png"),
        );
        let (status, updated) = send(
            admin
                .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
                .multipart(more),
        )
        .await;
        assert_eq!(status, 201, "{updated}");
        let attachments = updated["attachments"].as_array().expect("attachments");
        assert_eq!(attachments.len(), 2);
        assert_eq!(attachments[1]["content_type"], "image/png");
        let exe_more =
            Form::new().part("attachments", Part::bytes(exe.to_vec()).file_name("x.png"));
        let got = send(
            admin
                .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
                .multipart(exe_more),
        )
        .await;
        assert_eq!(field(&got.1, "attachments"), "file_type_not_allowed");
        let (_, events) = get(&app, &admin, &format!("/api/v1/cases/{id}/events")).await;
        let added = events
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["kind"] == "attachment_added")
            .count();
        assert_eq!(added, 2);
    }
);
