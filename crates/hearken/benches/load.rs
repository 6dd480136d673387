//! Load figures for docs/BENCHMARKS.md. Run on data made by `hearken demo`:
//!
//! ```sh
//! cargo run --release -- demo --cases 1000000 --data bench-data
//! HEARKEN_BENCH_DATA=bench-data cargo bench -p hearken --bench load
//! ```
//!
//! It measures (1) the queue page's server time at several page depths, and the count at
//! its cap over the whole province, (2) registrations
//! per second through the API with 16 concurrent clients, on SQLite (and on PostgreSQL when
//! `HEARKEN_BENCH_PG` names a server), and (3) the idle server's resident memory.
//! Every loop is bounded in count and time, and all traffic stays on 127.0.0.1.
//! `HEARKEN_BENCH_ONLY_REGISTRATIONS=1` measures the registrations alone;
//! `HEARKEN_BENCH_ONLY_STATS=1` the statistics alone (each volume over the whole province,
//! and the rates of the province's child units over the last 365 days).

#[path = "load/board.rs"]
mod board;
#[path = "../tests/binary/fts5.rs"]
mod fts5;
#[path = "load/search.rs"]
mod search_figures;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use store::Store;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn serve(store: Store, data: &std::path::Path) -> String {
    let config = web::WebConfig::new(data);
    let state =
        web::AppState::new(app::App::new(store, config.core.clone()), config).expect("state");
    let app = web::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = web::axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    format!("http://{addr}")
}

/// Serves with this instance's search index kept up by the event feed, as `hearken
/// serve` does.
async fn serve_indexed(
    store: Store,
    data: &std::path::Path,
) -> (String, std::sync::Arc<search::SearchIndex>) {
    let config = web::WebConfig::new(data);
    let app = app::App::new(store, config.core.clone());
    let index = std::sync::Arc::new(
        search::SearchIndex::open_or_create(&config.search_dir).expect("search index"),
    );
    app.spawn_search_indexer(index.clone());
    let state = web::AppState::with_index(app, config, index.clone()).expect("state");
    let app = web::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = web::axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    (format!("http://{addr}"), index)
}

/// A client with a session for `username`, made directly in the store.
async fn session_client(store: &Store, username: &str) -> reqwest::Client {
    let user = store.user_by_name(username).await.expect("bench user");
    let token = web::auth::random_token();
    store
        .create_session(&web::auth::sha256_hex(&token), user.id, "bench")
        .await
        .expect("session");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        format!("{}={token}", web::auth::SESSION_COOKIE)
            .parse()
            .expect("cookie"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(32)
        .build()
        .expect("client")
}

async fn queue(data: &std::path::Path) {
    let store = Store::open_sqlite(data).await.expect("open bench data");
    store.migrate().await.expect("migrate");
    let base = serve(store.clone(), data).await;
    let client = session_client(&store, "prov.admin").await;
    let (unit, category) = ("330106", "labor.wages");
    let first = format!("{base}/api/v1/cases?unit={unit}&category={category}&state=open&limit=50");
    // Walk every page once to learn the cursors, then time pages at several depths.
    let mut cursors: Vec<Option<String>> = vec![None];
    let mut url = first.clone();
    for _ in 0..2000 {
        let page: serde_json::Value = client
            .get(&url)
            .send()
            .await
            .expect("page")
            .json()
            .await
            .expect("json");
        match page["next"].as_str() {
            Some(c) => {
                cursors.push(Some(c.to_string()));
                url = format!("{first}&cursor={c}");
            }
            None => break,
        }
    }
    let pages = cursors.len();
    println!("queue: county {unit}, category {category}, open cases: {pages} pages of 50");
    let depths: Vec<usize> = [0, 1, pages / 4, pages / 2, pages.saturating_sub(1)]
        .into_iter()
        .filter(|d| *d < pages)
        .collect();
    println!(
        "  {:>6} {:>10} {:>10} {:>10}",
        "page", "median ms", "p95 ms", "max ms"
    );
    let mut all = vec![];
    for d in depths {
        let url = match &cursors[d] {
            None => first.clone(),
            Some(c) => format!("{first}&cursor={c}"),
        };
        let mut times = vec![];
        for _ in 0..60 {
            let t = Instant::now();
            let res = client.get(&url).send().await.expect("page");
            let _ = res.bytes().await.expect("body");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "  {:>6} {:>10.2} {:>10.2} {:>10.2}",
            d + 1,
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times.last().copied().unwrap_or(f64::NAN)
        );
        all.extend(times);
    }
    all.sort_by(|a, b| a.total_cmp(b));
    println!(
        "  all depths: median {:.2} ms, p95 {:.2} ms",
        percentile(&all, 0.5),
        percentile(&all, 0.95)
    );
}

/// The queue's result count at the cap: the whole province's open cases (far more than
/// 10,000), every case, and a partial case number, each a first page of 50 with its count.
async fn counts(data: &std::path::Path) {
    let store = Store::open_sqlite(data).await.expect("open bench data");
    let base = serve(store.clone(), data).await;
    let client = session_client(&store, "prov.admin").await;
    println!("queue count (whole province, first page of 50 with its count):");
    println!(
        "  {:<28} {:>8} {:>10} {:>10} {:>10}",
        "query", "total", "median ms", "p95 ms", "max ms"
    );
    for (label, query) in [
        ("state=open", "state=open"),
        ("every state", "state="),
        ("state=open, labor.wages", "state=open&category=labor.wages"),
        ("case_no=000053", "state=&case_no=000053"),
    ] {
        let url = format!("{base}/api/v1/cases?{query}&limit=50");
        let mut times = vec![];
        let mut total = String::new();
        for _ in 0..60 {
            let t = Instant::now();
            let page: serde_json::Value = client
                .get(&url)
                .send()
                .await
                .expect("page")
                .json()
                .await
                .expect("json");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = format!(
                "{}{}",
                page["total"],
                if page["total_exact"] == false {
                    "+"
                } else {
                    ""
                }
            );
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "  {:<28} {:>8} {:>10.2} {:>10.2} {:>10.2}",
            label,
            total,
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times.last().copied().unwrap_or(f64::NAN)
        );
    }
}

async fn registrations(label: &str, store: Store, data: &std::path::Path, indexing: bool) {
    store.migrate().await.expect("migrate");
    store.seed_categories().await.expect("seed");
    app::bootstrap::first_start(&store)
        .await
        .expect("first start");
    // A clerk of the root unit registers: `admin` must first change the one-time password.
    let root = store.root_unit().await.expect("root").expect("a root unit");
    store
        .create_user(&store::NewUser {
            username: "bench.clerk".into(),
            display_name: "bench".into(),
            role: domain::Role::Clerk,
            unit_id: root.id,
            password_hash: String::new(),
        })
        .await
        .expect("bench clerk");
    let base = if indexing {
        serve_indexed(store.clone(), data).await.0
    } else {
        serve(store.clone(), data).await
    };
    let client = session_client(&store, "bench.clerk").await;
    let clients = 16;
    let run_for = Duration::from_secs(10);
    let start = Instant::now();
    let mut tasks = vec![];
    for _ in 0..clients {
        let (client, base) = (client.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let mut ok = 0u64;
            let mut lat = vec![];
            // Bounded by time and by count.
            while start.elapsed() < run_for && ok < 200_000 {
                let t = Instant::now();
                let res = client
                    .post(format!("{base}/api/v1/cases"))
                    .json(&testkit::sample_case())
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 201 => {
                        ok += 1;
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    Ok(r) => panic!("registration failed: {}", r.status()),
                    Err(e) => panic!("request failed: {e}"),
                }
            }
            (ok, lat)
        }));
    }
    let mut total = 0;
    let mut lat = vec![];
    for t in tasks {
        let (n, l) = t.await.expect("task");
        total += n;
        lat.extend(l);
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    println!(
        "registrations ({label}): {clients} clients, {total} in {secs:.1} s = {:.0}/s; latency median {:.1} ms, p95 {:.1} ms",
        total as f64 / secs,
        percentile(&lat, 0.5),
        percentile(&lat, 0.95)
    );
    let b = store.registration_batches();
    if b.batches > 0 {
        println!(
            "  group commit: {} transactions of {:.1} registrations on average (largest {}), {} retried one by one",
            b.batches,
            b.batched as f64 / b.batches as f64,
            b.largest,
            b.retried
        );
    }
}

/// Server time of `url`, `n` times: (median, p95, max) in ms.
async fn timed(client: &reqwest::Client, url: &str, n: usize) -> (f64, f64, f64) {
    let mut times = vec![];
    for _ in 0..n {
        let t = Instant::now();
        let res = client.get(url).send().await.expect("stats");
        assert!(res.status().is_success(), "{url}: {}", res.status());
        let _ = res.bytes().await.expect("body");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().copied().unwrap_or(f64::NAN),
    )
}

/// Each volume over the whole province, and the rates of its child units for a year.
async fn stats(data: &std::path::Path) {
    let store = Store::open_sqlite(data).await.expect("open bench data");
    store.migrate().await.expect("migrate");
    let base = serve(store.clone(), data).await;
    let client = session_client(&store, "prov.supervisor").await;
    println!("statistics (whole province):");
    println!(
        "  {:<28} {:>10} {:>10} {:>10}",
        "call", "median ms", "p95 ms", "max ms"
    );
    for by in [
        "category", "channel", "type", "region", "unit", "state", "month",
    ] {
        let (m, p, x) = timed(&client, &format!("{base}/api/v1/stats/volume?by={by}"), 20).await;
        println!(
            "  {:<28} {m:>10.2} {p:>10.2} {x:>10.2}",
            format!("volume by={by}")
        );
    }
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(365);
    // Filters as the statistics page combines them: a year to today (whole months and the
    // days at each end), a state, a drill-down, a county, a city's subtree; and one the
    // volume tally cannot answer (a channel while counting by category), for comparison.
    for (label, query) in [
        (
            "by=category, 365 days",
            format!("by=category&from={from}&to={today}"),
        ),
        (
            "by=unit, 365 days",
            format!("by=unit&from={from}&to={today}"),
        ),
        (
            "by=month, 365 days, open",
            format!("by=month&from={from}&to={today}&state=open"),
        ),
        (
            "by=category&category=labor",
            "by=category&category=labor".to_string(),
        ),
        (
            "by=category&region=330106",
            "by=category&region=330106".to_string(),
        ),
        (
            "by=channel&unit=330100",
            "by=channel&unit=330100".to_string(),
        ),
        (
            "by=category&channel=visit ¹",
            "by=category&channel=visit".to_string(),
        ),
    ] {
        let (m, p, x) = timed(&client, &format!("{base}/api/v1/stats/volume?{query}"), 20).await;
        println!("  {label:<28} {m:>10.2} {p:>10.2} {x:>10.2}");
    }
    println!("  ¹ counted through the queue (the tally does not hold a second field)");
    let (m, p, x) = timed(
        &client,
        &format!("{base}/api/v1/stats/rates?from={from}&to={today}"),
        20,
    )
    .await;
    println!("  {:<28} {m:>10.2} {p:>10.2} {x:>10.2}", "rates, 365 days");
}

fn idle_rss(data: &std::path::Path) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearken"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("HEARKEN_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Past start-up and the first deadline scan, then idle.
    std::thread::sleep(Duration::from_secs(30));
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .unwrap_or("VmRSS: ?")
        .to_string();
    println!(
        "idle server: {}",
        rss.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// `HEARKEN_BENCH_ONLY=search,board,export,stats,queue,counts,idle,registrations` runs
/// only those parts (all of them by default).
fn only(part: &str) -> bool {
    match std::env::var("HEARKEN_BENCH_ONLY") {
        Ok(v) if !v.trim().is_empty() => v.split(',').any(|p| p.trim() == part),
        _ => {
            if std::env::var_os("HEARKEN_BENCH_ONLY_STATS").is_some() {
                return part == "stats";
            }
            if std::env::var_os("HEARKEN_BENCH_ONLY_REGISTRATIONS").is_some() {
                return part == "registrations";
            }
            true
        }
    }
}

fn main() {
    let data =
        PathBuf::from(std::env::var("HEARKEN_BENCH_DATA").unwrap_or_else(|_| "bench-data".into()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if data.join("hearken.db").exists() {
        if only("stats") {
            rt.block_on(stats(&data));
        }
        if only("board") {
            rt.block_on(board::board(&data));
        }
        if only("search") {
            rt.block_on(search_figures::search(&data));
        }
        if only("queue") {
            rt.block_on(queue(&data));
        }
        if only("counts") {
            rt.block_on(counts(&data));
        }
        if only("export") {
            rt.block_on(board::export(&data));
        }
        if only("idle") {
            idle_rss(&data);
        }
    } else {
        println!("no demo data at {} (make it with `hearken demo --cases 1000000 --data {0}`); skipping the figures that need it", data.display());
    }
    if !only("registrations") {
        return;
    }
    let fresh = std::env::temp_dir().join(format!("hearken-bench-{}", std::process::id()));
    rt.block_on(async {
        for (label, indexing, dir) in [
            ("SQLite, WAL, synchronous=FULL", false, "a"),
            ("SQLite, indexing on", true, "b"),
        ] {
            let dir = fresh.join(dir);
            let _ = std::fs::remove_dir_all(&dir);
            let store = Store::open_sqlite(&dir).await.expect("sqlite");
            registrations(label, store, &dir, indexing).await;
        }
        if let Ok(pg) = std::env::var("HEARKEN_BENCH_PG") {
            let admin = Store::connect(&pg).await.expect("pg");
            let name = format!("hearken_bench_{}", std::process::id());
            admin
                .execute_admin(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create");
            let base = pg
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(pg.clone());
            let store = Store::connect(&format!("{base}/{name}"))
                .await
                .expect("connect");
            let dir = fresh.join("pg");
            registrations("PostgreSQL", store.clone(), &dir, false).await;
            store.close().await;
            let _ = admin.execute_admin(&format!("DROP DATABASE {name}")).await;
        }
    });
    let _ = std::fs::remove_dir_all(&fresh);
}
