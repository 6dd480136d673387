//! Supervision and statistics figures (issue 11): the board for the province, each stats
//! call, the rates of the province's child units for one year, and an export of 100,000
//! cases to XLSX, with its time and the server's memory.

use super::{serve, session_client, timed};
use std::path::Path;
use std::time::{Duration, Instant};
use store::Store;

fn row(label: &str, (m, p, x): (f64, f64, f64)) {
    println!("  {label:<34} {m:>10.2} {p:>10.2} {x:>10.2}");
}

/// The board and the stats calls as `prov.supervisor` (the whole province).
pub async fn board(data: &Path) {
    let store = Store::open_sqlite(data).await.expect("open bench data");
    store.migrate().await.expect("migrate");
    let base = serve(store.clone(), data).await;
    let client = session_client(&store, "prov.supervisor").await;
    // Each stats call counts the rows it covers: at 1,000,000 cases a call takes seconds,
    // so `HEARKEN_BENCH_STATS_N` (3 by default) requests each; the board 20.
    let n: usize = std::env::var("HEARKEN_BENCH_STATS_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    println!("supervision and statistics, whole province as prov.supervisor ({n} requests each, the board 20):");
    println!(
        "  {:<34} {:>10} {:>10} {:>10}",
        "call", "median ms", "p95 ms", "max ms"
    );
    row(
        "supervision board",
        timed(&client, &format!("{base}/api/v1/supervision/board"), 20).await,
    );
    for by in [
        "category", "channel", "type", "region", "unit", "state", "month",
    ] {
        row(
            &format!("volume by={by}"),
            timed(&client, &format!("{base}/api/v1/stats/volume?by={by}"), n).await,
        );
    }
    let today = chrono::Utc::now().date_naive();
    for year in [today.format("%Y").to_string(), "2025".to_string()] {
        row(
            &format!("rates, child units, {year}"),
            timed(
                &client,
                &format!("{base}/api/v1/stats/rates?from={year}-01-01&to={year}-12-31"),
                n,
            )
            .await,
        );
    }
    for by in ["kind", "outcome", "unit"] {
        row(
            &format!("disputes by={by}"),
            timed(&client, &format!("{base}/api/v1/stats/disputes?by={by}"), n).await,
        );
    }
}

fn vm(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// The earliest `received_on` such that at least `rows` cases were received on or after it.
async fn from_day_for(data: &Path, rows: i64) -> String {
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}?mode=ro",
        data.join("hearken.db").display()
    ))
    .await
    .expect("read bench data");
    let day: String = sqlx::query_scalar(
        "SELECT received_on FROM cases ORDER BY received_on DESC LIMIT 1 OFFSET ?",
    )
    .bind(rows)
    .fetch_one(&pool)
    .await
    .expect("a day");
    pool.close().await;
    day
}

/// Exports of about 10,000 and 100,000 cases to XLSX: wall time, rows, file size, and the
/// server's resident memory while each runs and its peak after each.
pub async fn export(data: &Path) {
    // In this process, without the search indexer (a fresh index would be built
    // beside the export otherwise): the process's own resident memory is the server's.
    let store = Store::open_sqlite(data).await.expect("open bench data");
    let base = serve(store.clone(), data).await;
    let client = session_client(&store, "prov.admin").await;
    // A bodiless POST on a session sends back the CSRF token `GET /api/v1/me` gives.
    let mut csrf = String::new();
    for _ in 0..600 {
        if let Ok(r) = client.get(format!("{base}/api/v1/me")).send().await {
            if r.status().is_success() {
                csrf = r
                    .headers()
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let pid = std::process::id();
    println!(
        "export to XLSX, server in the bench process: RSS before {} MB, peak so far {} MB",
        vm(pid, "VmRSS") / 1024,
        vm(pid, "VmHWM") / 1024
    );
    for rows in [10_000i64, 100_000] {
        let from = from_day_for(data, rows).await;
        let t = Instant::now();
        let res = client
            .post(format!(
                "{base}/api/v1/exports?state=&from={from}&format=xlsx"
            ))
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .expect("export");
        assert_eq!(
            res.status(),
            202,
            "export: {}",
            res.text().await.unwrap_or_default()
        );
        let job: serde_json::Value = res.json().await.expect("job");
        let id = job["id"].as_i64().expect("id");
        let mut job = job;
        let mut peak = 0;
        while job["status"] == "running" && t.elapsed() < Duration::from_secs(1800) {
            tokio::time::sleep(Duration::from_millis(250)).await;
            peak = peak.max(vm(pid, "VmRSS"));
            job = client
                .get(format!("{base}/api/v1/exports/{id}"))
                .send()
                .await
                .expect("poll")
                .json()
                .await
                .expect("job");
        }
        let secs = t.elapsed().as_secs_f64();
        let file = client
            .get(format!("{base}/api/v1/exports/{id}/file"))
            .send()
            .await
            .expect("file")
            .bytes()
            .await
            .expect("bytes");
        println!(
            "  from {from}: {} of {} rows, {} in {secs:.1} s, {:.1} MB file; RSS peak while running {} MB, process peak {} MB",
            job["done"],
            job["total"],
            job["status"],
            file.len() as f64 / 1e6,
            peak / 1024,
            vm(pid, "VmHWM") / 1024
        );
    }
}
