//! Dangerous uploads (issue 8, defect 4), on SQLite and on PostgreSQL: a file whose name's
//! extension is not its content's type is refused by the API, the portal and the staff
//! form, naming the file and keeping what was typed; a good PDF is stored as `.pdf` and
//! downloaded as an attachment with `nosniff`; a PNG is served inline as `image/png`.

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::json;
use testkit::http::*;
use testkit::{both_backends, sample_case, TestApp};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
const DANGEROUS: &[&str] = &["证据.bat", "证据.hta", "证据.html"];

fn file(bytes: &[u8], name: &str) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

fn staff_case(bytes: &[u8], name: &str) -> Form {
    let case = serde_json::to_string(&sample_case()).expect("json");
    // Sent the way browsers send them: file names as raw UTF-8.
    Form::new()
        .percent_encode_noop()
        .text("case", case)
        .part("attachments", file(bytes, name))
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a csrf field")
        .to_string()
}

async fn text(c: &Client, app: &TestApp, path: &str) -> String {
    c.get(app.url(path))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text")
}

fn header(res: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

both_backends!(files_must_be_what_their_names_say, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    let public = app.client();

    for name in DANGEROUS {
        // The staff API.
        let got = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(staff_case(PDF, name)),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "attachments"), "file_type_mismatch", "{name}");
        assert!(
            got.1["message"].as_str().is_some_and(|m| m.contains(name)),
            "the error names the file: {}",
            got.1
        );
        // The public API.
        let petition = json!({
            "type": "suggestion", "category": "labor.wages", "region": "330106",
            "content": "建议加强工地工资支付监管。"
        });
        let form = Form::new()
            .percent_encode_noop()
            .text("petition", petition.to_string())
            .part("attachments", file(PDF, name));
        let got = send(
            public
                .post(app.url("/api/v1/public/petitions"))
                .multipart(form),
        )
        .await;
        assert_error(&got, 422, "validation_failed");
        assert_eq!(field(&got.1, "attachments"), "file_type_mismatch", "{name}");
    }

    // The portal's form: refused, the file named, what was typed kept.
    let html = text(&public, &app, "/submit").await;
    let form = Form::new()
        .percent_encode_noop()
        .text("csrf", csrf_of(&html))
        .text("type", "suggestion")
        .text("category", "labor.wages")
        .text("region", "330106")
        .text("content", "工地夜间施工噪音扰民，持续两个月。")
        .part("attachments", file(PDF, "证据.bat"));
    let res = public
        .post(app.url("/submit"))
        .multipart(form)
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.expect("page");
    assert!(page.contains("data-testid=\"attachments-error\""), "{page}");
    assert!(page.contains("证据.bat") && page.contains("文件扩展名与文件内容不符"));
    assert!(
        page.contains("工地夜间施工噪音扰民，持续两个月。"),
        "the content is kept"
    );

    // The staff form: the same.
    let html = text(&admin, &app, "/staff/cases/new").await;
    let form = Form::new()
        .percent_encode_noop()
        .text("csrf", csrf_of(&html))
        .text("channel", "visit")
        .text("type", "claim")
        .text("category", "labor.wages")
        .text("region", "330106")
        .text("p0_name", "张三")
        .text("headcount", "1")
        .text("content", "被拖欠工资三个月，共计两万元。")
        .part("attachments", file(PDF, "证据.hta"));
    let res = admin
        .post(app.url("/staff/cases/new"))
        .multipart(form)
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.expect("page");
    assert!(page.contains("证据.hta") && page.contains("文件扩展名与文件内容不符"));
    assert!(page.contains("被拖欠工资三个月，共计两万元。") && page.contains("张三"));
    assert_eq!(case_count(&app).await, 0, "nothing was stored");

    // A good PDF, whatever the case of its extension, is stored as .pdf and downloaded
    // as an attachment that the browser may not sniff.
    let (status, made) = send(
        admin
            .post(app.url("/api/v1/cases"))
            .multipart(staff_case(PDF, "证据.PDF")),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().expect("id");
    let a = &made["case"]["attachments"][0];
    assert_eq!(a["filename"], "证据.pdf");
    let res = admin
        .get(app.url(&format!("/api/v1/cases/{id}/attachments/{}", a["id"])))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, CONTENT_TYPE), "application/pdf");
    assert_eq!(header(&res, X_CONTENT_TYPE_OPTIONS), "nosniff");
    let disposition = header(&res, CONTENT_DISPOSITION);
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E8%AF%81%E6%8D%AE.pdf"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);

    // A PNG is shown as an image, on the staff page's link too.
    let more = Form::new()
        .percent_encode_noop()
        .part("attachments", file(PNG, "照片.png"));
    let (status, updated) = send(
        admin
            .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
            .multipart(more),
    )
    .await;
    assert_eq!(status, 201, "{updated}");
    let png_id = updated["attachments"][1]["id"].clone();
    for path in [
        format!("/api/v1/cases/{id}/attachments/{png_id}"),
        format!("/staff/cases/{id}/attachments/{png_id}"),
    ] {
        let res = admin.get(app.url(&path)).send().await.expect("download");
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, CONTENT_TYPE), "image/png");
        assert_eq!(header(&res, X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert!(header(&res, CONTENT_DISPOSITION).starts_with("inline;"));
    }
    // A PNG by content but named .pdf is refused too.
    let wrong = Form::new().part("attachments", file(PNG, "scan.pdf"));
    let got = send(
        admin
            .post(app.url(&format!("/api/v1/cases/{id}/attachments")))
            .multipart(wrong),
    )
    .await;
    assert_eq!(field(&got.1, "attachments"), "file_type_mismatch");
});
