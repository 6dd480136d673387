//! Registration with attachments is atomic: the files are written first, the case and
//! the attachments' rows commit together. A failed registration leaves no case, only a
//! file that no row references, and the sweep removes such files once they are an hour
//! old while keeping every referenced one.

use app::attachment_sweep::{sweep, MIN_AGE};
use reqwest::multipart::{Form, Part};
use sqlx::{Connection, Row};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use testkit::http::*;
use testkit::{both_backends, sample_case, Kind, TestApp};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const OTHER_PDF: &[u8] = b"%PDF-1.4\n2 0 obj << /Type /Pages >> endobj\n%%EOF\n";

fn multipart_case(file: &[u8], filename: &str) -> Form {
    let case = serde_json::to_string(&sample_case()).expect("json");
    Form::new().percent_encode_noop().text("case", case).part(
        "attachments",
        Part::bytes(file.to_vec()).file_name(filename.to_string()),
    )
}

fn sha256_hex(bytes: &[u8]) -> String {
    web::auth::sha256_hex(std::str::from_utf8(bytes).expect("ascii"))
}

fn file_of(app: &TestApp, bytes: &[u8]) -> PathBuf {
    let sha = sha256_hex(bytes);
    app.config.attachments_dir.join(&sha[..2]).join(sha)
}

/// Makes a file look two hours old.
fn age(path: &Path) {
    let f = std::fs::File::options()
        .append(true)
        .open(path)
        .expect("open to age");
    f.set_modified(SystemTime::now() - Duration::from_secs(7200))
        .expect("set mtime");
}

/// Makes every insert of an attachment named `boom.pdf` fail inside the database.
async fn fail_boom_inserts(app: &TestApp, kind: Kind) {
    let mut conn = sqlx::AnyConnection::connect(&app.db.url)
        .await
        .expect("connect");
    let sql = match kind {
        Kind::Sqlite => {
            "CREATE TRIGGER fail_boom BEFORE INSERT ON attachments WHEN NEW.filename = 'boom.pdf'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
        }
        Kind::Postgres => {
            "CREATE FUNCTION fail_boom() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN IF NEW.filename = 'boom.pdf' THEN RAISE EXCEPTION 'injected failure'; END IF;
             RETURN NEW; END $$;
             CREATE TRIGGER fail_boom BEFORE INSERT ON attachments FOR EACH ROW EXECUTE FUNCTION fail_boom();"
        }
    };
    sqlx::raw_sql(sql)
        .execute(&mut conn)
        .await
        .expect("trigger");
}

async fn case_count(app: &TestApp) -> i64 {
    let mut conn = sqlx::AnyConnection::connect(&app.db.url)
        .await
        .expect("connect");
    sqlx::query("SELECT COUNT(*) AS n FROM cases")
        .fetch_one(&mut conn)
        .await
        .expect("count")
        .try_get("n")
        .expect("n")
}

both_backends!(
    a_registration_whose_attachment_fails_leaves_no_case,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        fail_boom_inserts(&app, kind).await;

        let (status, body) = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(PDF, "boom.pdf")),
        )
        .await;
        assert_eq!(status, 500, "{body}");
        assert_eq!(case_count(&app).await, 0, "no case without its attachment");
        assert!(
            file_of(&app, PDF).exists(),
            "the file was written before the transaction"
        );

        // Registrations that arrive together share a transaction; the bad one fails
        // alone and the others are stored with their attachments.
        let mut tasks = vec![];
        for i in 0..6 {
            let c = admin.clone();
            let url = app.url("/api/v1/cases");
            let name = if i == 3 { "boom.pdf" } else { "good.pdf" };
            tasks.push(tokio::spawn(async move {
                send(c.post(url).multipart(multipart_case(OTHER_PDF, name))).await
            }));
        }
        let mut created = 0;
        for t in tasks {
            let (status, body) = t.await.expect("request");
            if status == 201 {
                created += 1;
                assert_eq!(body["case"]["attachments"][0]["filename"], "good.pdf");
            } else {
                assert_eq!(status, 500, "{body}");
            }
        }
        assert_eq!(created, 5);
        assert_eq!(case_count(&app).await, 5);
    }
);

both_backends!(
    the_sweep_removes_old_orphans_and_keeps_referenced_files,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let admin = app.admin().await;
        fail_boom_inserts(&app, kind).await;
        // A referenced file, and an orphan left by a failed registration.
        let (status, kept) = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(PDF, "证据.pdf")),
        )
        .await;
        assert_eq!(status, 201, "{kept}");
        let (status, _) = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(OTHER_PDF, "boom.pdf")),
        )
        .await;
        assert_eq!(status, 500);
        let (referenced, orphan) = (file_of(&app, PDF), file_of(&app, OTHER_PDF));
        assert!(referenced.exists() && orphan.exists());
        // An unfinished temporary file from an interrupted write.
        let shard = orphan.parent().expect("shard");
        let temporary = shard.join(".0123.tmp");
        std::fs::write(&temporary, b"partial").expect("temp");

        let dir = &app.config.attachments_dir;
        // Young files are left alone, referenced or not.
        let s = sweep(&app.store, dir, MIN_AGE).await.expect("sweep");
        assert_eq!(s.removed, 0);
        assert!(orphan.exists() && temporary.exists());

        for p in [&referenced, &orphan, &temporary] {
            age(p);
        }
        let s = sweep(&app.store, dir, MIN_AGE).await.expect("sweep");
        assert_eq!(s.removed, 2, "{s:?}");
        assert!(!orphan.exists(), "the old orphan is gone");
        assert!(!temporary.exists(), "the old temporary file is gone");
        assert!(referenced.exists(), "a referenced file stays");

        // The kept attachment still downloads.
        let id = kept["id"].as_i64().expect("id");
        let aid = kept["case"]["attachments"][0]["id"].as_i64().expect("aid");
        let res = admin
            .get(app.url(&format!("/api/v1/cases/{id}/attachments/{aid}")))
            .send()
            .await
            .expect("download");
        assert_eq!(res.status(), 200);
        assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);

        // Uploading content that is already stored makes its file young again, so a
        // sweep cannot take it while the new row commits.
        age(&referenced);
        let (status, _) = send(
            admin
                .post(app.url("/api/v1/cases"))
                .multipart(multipart_case(PDF, "again.pdf")),
        )
        .await;
        assert_eq!(status, 201);
        let mtime = std::fs::metadata(&referenced)
            .and_then(|m| m.modified())
            .expect("mtime");
        assert!(SystemTime::now()
            .duration_since(mtime)
            .is_ok_and(|a| a < MIN_AGE));
    }
);
