//! The search index across restarts: a restarted instance resumes from the cursor it
//! committed (no rebuild); a deleted index is rebuilt, and until it is ready search says
//! so (`503 index_building`) instead of answering from a partial index.

use crate::common;

use reqwest::Client;
use serde_json::{json, Value};
use testkit::http::*;
use testkit::instance::Instance;
use testkit::{both_backends, TestApp};

const Q: &str = "/api/v1/search?q=%E7%BA%A2%E7%BB%BF%E7%81%AF"; // 红绿灯

async fn found_at(base: &str, c: &Client, n: usize) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        let (status, page) = send(c.get(format!("{base}{Q}"))).await;
        if status == 200 && page["items"].as_array().is_some_and(|i| i.len() >= n) {
            return page;
        }
        last = page;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("never found {n}: {last}");
}

async fn lights(app: &TestApp, c: &Client) -> i64 {
    register(
        app,
        c,
        &case_with(json!({ "content": "文三路路口的红绿灯坏了一个多月，早晚高峰经常堵车。" })),
    )
    .await["id"]
        .as_i64()
        .expect("id")
}

both_backends!(
    a_restart_resumes_from_the_stored_cursor,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = common::people(&app).await;
        let first = lights(&app, &p.clerk).await;
        found_at(&app.base, &p.clerk, 1).await;
        app.stop_indexer();
        let cursor = app.state.search.cursor().expect("a committed cursor");

        // Registered while no indexer runs.
        let second = lights(&app, &p.clerk).await;
        let mut next: Instance = app.restart().await;
        assert_eq!(next.state.search.opened(), &search::Opened::Resumed);
        assert_eq!(next.state.search.cursor(), Some(cursor));
        assert_eq!(
            next.state.search.num_docs(),
            1,
            "the index was kept, not rebuilt"
        );
        next.start_indexer();
        let page = found_at(&next.base, &p.clerk, 2).await;
        let mut got: Vec<i64> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["id"].as_i64())
            .collect();
        got.sort_unstable();
        assert_eq!(got, vec![first, second]);
    }
);

both_backends!(
    a_deleted_index_is_rebuilt_and_says_so_meanwhile,
    |kind| async move {
        let Some(app) = TestApp::spawn(kind).await else {
            return;
        };
        let p = common::people(&app).await;
        let id = lights(&app, &p.clerk).await;
        found_at(&app.base, &p.clerk, 1).await;
        app.stop_indexer();
        std::fs::remove_dir_all(&app.config.search_dir).expect("delete the index");

        let mut next = app.restart().await;
        assert_eq!(next.state.search.opened(), &search::Opened::Missing);
        let (status, body) = send(p.clerk.get(next.url(Q))).await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["error"], "index_building");
        assert!(body["progress"].as_u64().is_some_and(|n| n < 100));
        let (status, body) = send(
            p.clerk
                .post(next.url("/api/v1/cases/similar"))
                .json(&json!({ "content": "红绿灯坏了" })),
        )
        .await;
        assert_eq!(status, 503);
        assert_eq!(body["error"], "index_building");

        next.start_indexer();
        let page = found_at(&next.base, &p.clerk, 1).await;
        assert_eq!(page["items"][0]["id"], id);
    }
);
