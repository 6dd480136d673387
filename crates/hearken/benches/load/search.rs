//! Search figures (issue 10): search and related-case server time through the API on the
//! demo database's index (made by `hearken reindex`), and SQLite FTS5 with the trigram
//! tokenizer beside the index on the same texts and the same queries.

use super::{fts5, percentile, serve_indexed, session_client};
use std::path::Path;
use std::time::Instant;
use store::Store;

/// Mixed queries: 1, 2, 3 and 4 characters, and several words.
pub const QUERIES: &[(&str, &str)] = &[
    ("1 char", "欠"),
    ("1 char", "漏"),
    ("1 char", "桥"),
    ("1 char", "湾"),
    ("2 chars", "物业"),
    ("2 chars", "欠薪"),
    ("2 chars", "低保"),
    ("2 chars", "噪声"),
    ("3 chars", "派出所"),
    ("3 chars", "公租房"),
    ("3 chars", "宅基地"),
    ("3 chars", "养老金"),
    ("4 chars", "拖欠工资"),
    ("4 chars", "征地补偿"),
    ("4 chars", "逾期交房"),
    ("4 chars", "村务公开"),
    ("words", "物业 电梯"),
    ("words", "拖欠 工资 包工头"),
    ("words", "低保 残疾"),
    ("words", "夜间 施工 噪声"),
    ("words", "西湖区 征地补偿"),
];

const SET: &str = include_str!("../../../search/tests/data/related_cases.json");

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn summary(label: &str, times: &mut [f64]) {
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "  {label:<28} {:>6} {:>10.2} {:>10.2} {:>10.2}",
        times.len(),
        percentile(times, 0.5),
        percentile(times, 0.95),
        times.last().copied().unwrap_or(f64::NAN)
    );
}

pub async fn search(data: &Path) {
    let store = Store::open_sqlite(data).await.expect("open bench data");
    store.migrate().await.expect("migrate");
    let (base, index) = serve_indexed(store.clone(), data).await;
    let t = Instant::now();
    while index.status() != search::Status::Ready {
        assert!(
            t.elapsed().as_secs() < 3600,
            "the index did not catch up (run `hearken reindex` first)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    println!(
        "search index: {} cases, ready after {:.1} s",
        index.num_docs(),
        t.elapsed().as_secs_f64()
    );
    // prov.admin may read personal data: names are searched and each search is audited.
    let client = session_client(&store, "prov.admin").await;
    let reps = 20;
    println!(
        "search through the API, whole province, first page of 20 ({reps} requests per query):"
    );
    println!(
        "  {:<28} {:>6} {:>10} {:>10} {:>10}",
        "queries", "n", "median ms", "p95 ms", "max ms"
    );
    let mut all = vec![];
    let mut by_class: Vec<(&str, Vec<f64>)> = vec![];
    for (class, q) in QUERIES {
        let url = format!("{base}/api/v1/search?q={}", enc(q));
        let mut times = vec![];
        for _ in 0..reps {
            let t = Instant::now();
            let res = client.get(&url).send().await.expect("search");
            assert_eq!(res.status(), 200, "{q}");
            let _ = res.bytes().await.expect("body");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        match by_class.iter_mut().find(|(c, _)| c == class) {
            Some((_, v)) => v.extend(times.iter().copied()),
            None => by_class.push((class, times.clone())),
        }
        all.extend(times);
    }
    for (class, mut times) in by_class {
        summary(class, &mut times);
    }
    summary("all", &mut all);

    // Related cases: each petition of the evaluation set as a new one.
    let set: serde_json::Value = serde_json::from_str(SET).expect("set");
    let mut texts = vec![];
    for m in set["matters"].as_array().expect("matters") {
        for s in m["same"].as_array().expect("same") {
            texts.push(serde_json::json!({
                "content": s[0], "respondent": s[1], "region": m["region"],
            }));
        }
    }
    let mut times = vec![];
    for _ in 0..2 {
        for body in &texts {
            let t = Instant::now();
            let res = client
                .post(format!("{base}/api/v1/cases/similar"))
                .json(body)
                .send()
                .await
                .expect("similar");
            assert_eq!(res.status(), 200);
            let _ = res.bytes().await.expect("body");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    println!("related cases through the API (POST /api/v1/cases/similar, the evaluation set's 100 petitions, twice):");
    summary("similar", &mut times);

    // `HEARKEN_BENCH_NO_FTS5=1` leaves out the comparison (building the FTS5 table takes
    // long at 1,000,000 cases).
    if std::env::var_os("HEARKEN_BENCH_NO_FTS5").is_none() {
        fts5_beside(data, &index).await;
    }
}

/// FTS5 (trigram) beside the index: results found, and the time of a first page of 20
/// by rank, both in process (no HTTP), on the same texts.
async fn fts5_beside(data: &Path, index: &search::SearchIndex) {
    let path = std::env::var("HEARKEN_BENCH_FTS5")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| data.join("fts5-trigram.db"));
    let fts = fts5::open(&path).await;
    if fts5::rows(&fts).await == 0 {
        let t = Instant::now();
        fts5::fill_from(&fts, &data.join("hearken.db")).await;
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&fts)
            .await;
        println!(
            "fts5: built from the cases in {:.0} s",
            t.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "fts5 trigram table: {} rows, {:.0} MB ({})",
        fts5::rows(&fts).await,
        size as f64 / 1e6,
        path.display()
    );
    println!("search index vs FTS5 trigram, in process, first page of 20 (median of 9 runs; found = every match):");
    println!(
        "  {:<18} {:>9} {:>9} {:>9} {:>10} {:>10} {:>10}",
        "query", "index", "fts5", "LIKE", "index ms", "fts5 ms", "LIKE ms"
    );
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        percentile(&v, 0.5)
    };
    for (_, q) in QUERIES {
        let req = search::SearchRequest {
            q: q.to_string(),
            limit: 20,
            ..search::SearchRequest::default()
        };
        let found = index.matching_ids(&req).expect("ids").len();
        let mut t_index = vec![];
        for _ in 0..9 {
            let t = Instant::now();
            let _ = index.search(&req).expect("search");
            t_index.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let fts_found = fts5::match_ids(&fts, q).await.len();
        let mut t_fts = vec![];
        for _ in 0..9 {
            let t = Instant::now();
            let _ = fts5::match_page(&fts, q).await;
            t_fts.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        // What MATCH cannot find (a word under 3 characters), LIKE finds by reading the
        // whole table; once.
        let (like, t_like) = if q.split_whitespace().any(|w| w.chars().count() < 3) {
            let t = Instant::now();
            let n = fts5::like_ids(&fts, q).await.len();
            (
                n.to_string(),
                format!("{:.0}", t.elapsed().as_secs_f64() * 1000.0),
            )
        } else {
            ("-".to_string(), "-".to_string())
        };
        println!(
            "  {q:<18} {found:>9} {fts_found:>9} {like:>9} {:>10.2} {:>10.2} {t_like:>10}",
            median(t_index),
            median(t_fts)
        );
    }
    fts.close().await;
}
