//! Power-loss style crash: `serve` is killed with SIGKILL in the middle of a registration
//! load, then restarted on the same data. Every registration that was answered 201 must
//! be there, whole: the case, its petitioner and its `registered` event.

use crate::common::{login, start};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

async fn crash_and_recover(db_args: Vec<String>) {
    let mut server = start(&db_args);
    let password = server
        .admin_password
        .clone()
        .expect("first start prints the admin password");
    let client = login(&server.base, &password).await;
    let acknowledged: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let mut workers = vec![];
    for w in 0..8 {
        let (client, base, acked) = (client.clone(), server.base.clone(), acknowledged.clone());
        workers.push(tokio::spawn(async move {
            // Bounded: at most 2,000 requests per worker, and it stops when the server dies.
            for i in 0..2000 {
                let mut body = testkit::sample_case();
                body["content"] = serde_json::json!(format!("崩溃测试 worker {w} request {i}"));
                let Ok(res) = client
                    .post(format!("{base}/api/v1/cases"))
                    .json(&body)
                    .send()
                    .await
                else {
                    break;
                };
                if res.status() != 201 {
                    break;
                }
                let Ok(v) = res.json::<serde_json::Value>().await else {
                    break;
                };
                let id = v["id"].as_i64().expect("id");
                let no = v["case_no"].as_str().expect("case_no").to_string();
                acked.lock().expect("lock").push((id, no));
            }
        }));
    }
    // Let the load run, then pull the plug.
    let t0 = Instant::now();
    while acknowledged.lock().expect("lock").len() < 40 && t0.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.child.kill().expect("SIGKILL");
    let _ = server.child.wait();
    for w in workers {
        let _ = w.await;
    }
    let acked = acknowledged.lock().expect("lock").clone();
    assert!(
        acked.len() >= 40,
        "the load should have registered cases before the kill"
    );

    let mut again = start(&db_args);
    let client = login(&again.base, &password).await;
    for (id, no) in &acked {
        let res = client
            .get(format!("{}/api/v1/cases/{id}", again.base))
            .send()
            .await
            .expect("get");
        assert_eq!(
            res.status(),
            200,
            "acknowledged case {no} is missing after the crash"
        );
        let case: serde_json::Value = res.json().await.expect("json");
        assert_eq!(case["case_no"], no.as_str());
        assert_eq!(
            case["petitioners"].as_array().map(Vec::len),
            Some(1),
            "{no} lost its petitioner"
        );
        let events: serde_json::Value = client
            .get(format!("{}/api/v1/cases/{id}/events", again.base))
            .send()
            .await
            .expect("events")
            .json()
            .await
            .expect("json");
        assert_eq!(events[0]["kind"], "registered", "{no} lost its event");
    }
    // Nothing half-written: every stored case has its registration event and petitioner.
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    loop {
        let mut url = format!("{}/api/v1/cases?limit=200", again.base);
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: serde_json::Value = client
            .get(url)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        for item in page["items"].as_array().expect("items") {
            seen += 1;
            let id = item["id"].as_i64().expect("id");
            let events: serde_json::Value = client
                .get(format!("{}/api/v1/cases/{id}/events", again.base))
                .send()
                .await
                .expect("events")
                .json()
                .await
                .expect("json");
            assert_eq!(
                events[0]["kind"], "registered",
                "case {id} has no registration event"
            );
        }
        match page["next"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert!(seen >= acked.len());
    let _ = again.child.kill();
    let _ = again.child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_registrations_loses_nothing_acknowledged_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("hearken-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    crash_and_recover(vec!["--data".into(), dir.display().to_string()]).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_registrations_loses_nothing_acknowledged_on_postgres() {
    let Some(url) = testkit::fresh_pg_url().await else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("hearken-crash-pg-{}", std::process::id()));
    crash_and_recover(vec![
        "--data".into(),
        dir.display().to_string(),
        "--database-url".into(),
        url,
    ])
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}
