//! Exports to XLSX and CSV, on SQLite and on PostgreSQL. A queue export runs as a job: the
//! file holds exactly the cases the queue lists, personal data only for roles that may
//! take it out, and such an export is audited. A volume table downloads as it reads.

use calamine::{Data, Reader, Xlsx};
use reqwest::Client;
use serde_json::{json, Value};
use std::io::Cursor;
use testkit::http::*;
use testkit::{both_backends, TestApp};

/// Starts an export of the queue with these filters and waits for it to finish.
async fn export(app: &TestApp, c: &Client, query: &str) -> Value {
    let (status, job) = post(app, c, &format!("/api/v1/exports?{query}"), &json!({})).await;
    assert_eq!(status, 202, "start: {job}");
    let id = job["id"].as_i64().expect("id");
    for _ in 0..200 {
        let (status, now) = get(app, c, &format!("/api/v1/exports/{id}")).await;
        assert_eq!(status, 200, "{now}");
        if now["status"] != "running" {
            assert_eq!(now["status"], "done", "{now}");
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("export {id} never finished");
}

async fn download(app: &TestApp, c: &Client, job: &Value) -> (String, Vec<u8>) {
    let res = c
        .get(app.url(job["file"].as_str().expect("file link")))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"]
        .to_str()
        .expect("type")
        .to_string();
    (kind, res.bytes().await.expect("bytes").to_vec())
}

/// The rows of an XLSX file's first sheet, as text.
pub(crate) fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a readable XLSX file");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("rows");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Case numbers the queue lists for these filters (every page).
async fn queue_numbers(app: &TestApp, c: &Client, query: &str) -> Vec<String> {
    let mut out = vec![];
    let mut path = format!("/api/v1/cases?sort=registered&limit=200&{query}");
    loop {
        let (status, page) = get(app, c, &path).await;
        assert_eq!(status, 200, "{page}");
        for item in page["items"].as_array().expect("items") {
            out.push(item["case_no"].as_str().expect("case_no").to_string());
        }
        match page["next"].as_str() {
            Some(n) => path = format!("/api/v1/cases?sort=registered&limit=200&{query}&cursor={n}"),
            None => return out,
        }
    }
}

both_backends!(a_queue_exports_to_xlsx_and_csv, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    // More than one page of the job's walk (500 rows), so paging is exercised.
    for i in 0..520 {
        let channel = if i % 4 == 0 { "letter" } else { "visit" };
        let case = case_with(json!({
            "channel": channel,
            "petitioners": [{"name": format!("王{i}"), "phone": "13900000000", "id_number": null, "address": "西湖区"}],
        }));
        register(&app, &admin, &case).await;
    }

    let job = export(&app, &admin, "channel=letter&format=xlsx").await;
    assert_eq!(job["total"], 130);
    assert_eq!(job["done"], 130);
    assert_eq!(job["personal"], false);
    let (kind, bytes) = download(&app, &admin, &job).await;
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let rows = xlsx_rows(bytes);
    assert_eq!(rows[0][0], "案件编号", "Chinese headings by default");
    assert!(
        !rows[0].iter().any(|h| h == "信访人" || h == "联系电话"),
        "no personal columns: {:?}",
        rows[0]
    );
    let mut numbers: Vec<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    let mut expected = queue_numbers(&app, &admin, "channel=letter").await;
    numbers.sort();
    expected.sort();
    assert_eq!(numbers, expected, "exactly the cases the queue lists");
    assert!(
        rows[1..].iter().all(|r| r[2] == "来信"),
        "channels as words"
    );
    assert!(
        !rows.iter().flatten().any(|c| c.contains('王')),
        "no names without asking"
    );

    // The administrator may not take personal data out; nothing is started.
    let refused = post(&app, &admin, "/api/v1/exports?personal=true", &json!({})).await;
    assert_error(&refused, 403, "forbidden");
    assert_error(
        &post(&app, &admin, "/api/v1/exports?format=pdf", &json!({})).await,
        422,
        "validation_failed",
    );

    // A clerk may, and the export is audited.
    let clerk = app.user(&admin, "export_clerk", "clerk", "ROOT").await;
    let job = export(&app, &clerk, "channel=letter&format=csv&personal=true").await;
    assert_eq!(job["personal"], true);
    let (kind, bytes) = download(&app, &clerk, &job).await;
    assert!(kind.starts_with("text/csv"), "{kind}");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head = reader.headers().expect("headings").clone();
    assert_eq!(&head[0], "案件编号");
    let names = head
        .iter()
        .position(|h| h == "信访人")
        .expect("names column");
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), 130);
    assert!(records.iter().all(|r| r[names].starts_with('王')));
    let entries = audit(&app, &admin, "personal_data_exported").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["actor_name"], "export_clerk");

    // Another user cannot see or fetch someone else's export.
    assert_error(
        &get(&app, &admin, &format!("/api/v1/exports/{}", job["id"])).await,
        404,
        "not_found",
    );
    let (status, _) = get(&app, &admin, job["file"].as_str().expect("file")).await;
    assert_eq!(status, 404);

    // English headings for an English reader (`?lang=en`, or the language cookie).
    let job = export(&app, &clerk, "channel=letter&format=xlsx&lang=en").await;
    let rows = xlsx_rows(download(&app, &clerk, &job).await.1);
    assert_eq!(rows[0][0], "Case number");
    assert!(rows[1..].iter().all(|r| r[2] == "Letter"), "{:?}", rows[1]);
});

both_backends!(a_volume_table_exports_as_it_reads, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let admin = app.admin().await;
    for channel in ["letter", "letter", "visit", "phone", "letter"] {
        register(&app, &admin, &case_with(json!({ "channel": channel }))).await;
    }
    let (status, volume) = get(&app, &admin, "/api/v1/stats/volume?by=channel").await;
    assert_eq!(status, 200, "{volume}");

    let res = admin
        .get(app.url("/api/v1/stats/volume/export?by=channel&format=xlsx"))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), 200);
    let rows = xlsx_rows(res.bytes().await.expect("bytes").to_vec());
    assert_eq!(rows[0], ["按来源渠道", "筛选代码", "件数"]);
    let expected: Vec<Vec<String>> = volume["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            vec![
                r["label"].as_str().expect("label").to_string(),
                r["key"].as_str().expect("key").to_string(),
                r["count"].to_string(),
            ]
        })
        .collect();
    assert_eq!(
        rows[1..rows.len() - 1],
        expected[..],
        "the rows the page shows"
    );
    assert_eq!(rows[rows.len() - 1], ["合计", "", "5"]);
    assert!(expected.iter().any(|r| r[0] == "来信" && r[2] == "3"));

    // CSV too, and a bad format is a clear error.
    let res = admin
        .get(app.url("/api/v1/stats/volume/export?by=channel&format=csv&lang=en"))
        .send()
        .await
        .expect("export");
    let text = res.text().await.expect("text");
    assert!(text.contains("Letter,letter,3"), "{text}");
    assert_error(
        &get(
            &app,
            &admin,
            "/api/v1/stats/volume/export?by=channel&format=pdf",
        )
        .await,
        422,
        "validation_failed",
    );
});
