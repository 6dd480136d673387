//! Search quality, measured (issue 10): the related-case evaluation set in
//! `crates/search/tests/data/related_cases.json` over a background of `hearken demo`
//! petitions, indexed by `hearken reindex`; and search itself against a scan of the same
//! texts, with SQLite FTS5 (trigram) beside it.
//!
//! The background is 20,000 demo cases; `HEARKEN_QUALITY_BACKGROUND=100000` gives the
//! figures recorded in docs/BENCHMARKS.md. The figures are printed (`--nocapture`).

use crate::fts5;
use search::{CaseDoc, Filters, SearchIndex, SearchRequest, SimilarRequest};
use serde::Deserialize;
use sqlx::Row;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

const SET: &str = include_str!("../../../search/tests/data/related_cases.json");
/// Ids of the evaluation petitions, far above the demo's.
const FIRST_ID: i64 = 900_000_000;

#[derive(Deserialize)]
struct Set {
    matters: Vec<Matter>,
}

#[derive(Deserialize)]
struct Matter {
    id: String,
    category: String,
    region: String,
    /// `[content, respondent]`
    same: Vec<(String, String)>,
    /// `[content, respondent, category]`
    neg: Vec<(String, String, String)>,
}

/// One evaluation petition as indexed.
struct Doc {
    id: i64,
    matter: usize,
    negative: bool,
    content: String,
    respondent: String,
}

fn background() -> usize {
    std::env::var("HEARKEN_QUALITY_BACKGROUND")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

fn hearken(data: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_hearken"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("HEARKEN_LOG", "warn")
        .output()
        .expect("run hearken");
    assert!(
        out.status.success(),
        "hearken {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo background, indexed by `hearken reindex`, with the evaluation set added.
fn build(dir: &Path, set: &Set) -> (SearchIndex, Vec<Doc>) {
    let n = background();
    let t = Instant::now();
    hearken(dir, &["demo", "--cases", &n.to_string()]);
    let demo_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    hearken(dir, &["reindex"]);
    println!(
        "background: {n} demo cases ({demo_s:.0} s), reindexed in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    let index = SearchIndex::open_or_create(&dir.join("search")).expect("open index");
    let cursor = index.cursor().expect("reindex left a cursor");
    let mut docs = vec![];
    let mut add = |matter: usize, negative: bool, content: &str, respondent: &str| {
        docs.push(Doc {
            id: FIRST_ID + docs.len() as i64,
            matter,
            negative,
            content: content.into(),
            respondent: respondent.into(),
        })
    };
    for (m, matter) in set.matters.iter().enumerate() {
        for (c, r) in &matter.same {
            add(m, false, c, r);
        }
        for (c, r, _) in &matter.neg {
            add(m, true, c, r);
        }
    }
    let case_docs: Vec<CaseDoc> = docs
        .iter()
        .map(|d| {
            let matter = &set.matters[d.matter];
            let category = match d.negative {
                false => matter.category.clone(),
                true => matter
                    .neg
                    .iter()
                    .find(|n| n.0 == d.content)
                    .map(|n| n.2.clone())
                    .unwrap_or_default(),
            };
            CaseDoc {
                id: d.id,
                case_no: format!("EVAL-{}", d.id - FIRST_ID),
                unit_path: "/1/".into(),
                state: "open".into(),
                channel: "letter".into(),
                case_type: "claim".into(),
                category,
                region: matter.region.clone(),
                received_on: "2026-06-01".into(),
                registered_at: 1_780_000_000 + d.id - FIRST_ID,
                respondent: d.respondent.clone(),
                content: d.content.clone(),
                demands: String::new(),
                notes: vec![],
                names: vec![],
            }
        })
        .collect();
    index.apply(&case_docs).expect("apply");
    index.commit(&cursor).expect("commit");
    index.set_ready();
    (index, docs)
}

/// recall@5 and precision@1 of related-case suggestions: each petition of a matter asks
/// for the others (four relevant each), with its region and respondent as typed.
fn related_quality(index: &SearchIndex, set: &Set, docs: &[Doc]) -> (f64, f64) {
    let (mut found, mut relevant, mut top_right, mut queries) = (0usize, 0usize, 0usize, 0usize);
    let (mut top_negative, mut top_background) = (0usize, 0usize);
    let mut misses: Vec<String> = vec![];
    for q in docs.iter().filter(|d| !d.negative) {
        let matter = &set.matters[q.matter];
        let wanted: BTreeSet<i64> = docs
            .iter()
            .filter(|d| d.matter == q.matter && !d.negative && d.id != q.id)
            .map(|d| d.id)
            .collect();
        let got = index
            .similar(&SimilarRequest {
                content: q.content.clone(),
                region: Some(matter.region.clone()),
                respondent: Some(q.respondent.clone()).filter(|r| !r.is_empty()),
                scope: None,
                exclude_id: Some(q.id),
                // The set's petitions all carry one date: left out (see BENCHMARKS.md).
                received_on: None,
                unit: None,
                limit: 5,
            })
            .expect("similar");
        let hits = got.iter().filter(|s| wanted.contains(&s.id)).count();
        found += hits;
        relevant += wanted.len();
        queries += 1;
        match got.first() {
            Some(s) if wanted.contains(&s.id) => top_right += 1,
            Some(s) if s.id >= FIRST_ID => top_negative += 1,
            Some(_) => top_background += 1,
            None => {}
        }
        if hits < wanted.len() {
            misses.push(format!("{} #{}: {hits}/4", matter.id, q.id - FIRST_ID));
        }
    }
    let recall = found as f64 / relevant as f64;
    let precision = top_right as f64 / queries as f64;
    println!(
        "related cases: {queries} queries, {relevant} relevant pairs; recall@5 {recall:.3}, precision@1 {precision:.3}; \
         wrong first suggestions: {top_negative} hard negatives, {top_background} background"
    );
    println!("  incomplete: {}", misses.join("; "));
    (recall, precision)
}

struct Built {
    dir: tempfile::TempDir,
    set: Set,
    index: SearchIndex,
    docs: Vec<Doc>,
}

/// Built once for both tests.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let set: Set = serde_json::from_str(SET).expect("evaluation set");
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, docs) = build(dir.path(), &set);
        Built {
            dir,
            set,
            index,
            docs,
        }
    })
}

#[test]
fn search10_related_cases_recall_and_precision() {
    let b = built();
    let pairs: usize = b
        .set
        .matters
        .iter()
        .map(|m| m.same.len() * (m.same.len() - 1) / 2)
        .sum();
    assert!(pairs >= 200, "the set holds {pairs} pairs");
    let (recall, precision) = related_quality(&b.index, &b.set, &b.docs);
    // The targets are recall@5 ≥ 0.9 and precision@1 ≥ 0.8; the ranking reaches 0.932 and
    // 0.98 on this background (0.910 and 0.98 on 100,000 demo cases: docs/BENCHMARKS.md).
    // The floors are that, less a few queries: the ranking before candidates were found
    // leaning on their length (0.905 here) fails the recall floor, and a ranking that
    // stops reading the text fails the precision floor.
    assert!(recall >= 0.91, "recall@5 {recall:.3}");
    assert!(precision >= 0.95, "precision@1 {precision:.3}");
}

/// Substrings of the demo texts, 1 to 4 Chinese characters, picked evenly over the cases,
/// and multi-word queries made of two of them.
fn sampled_queries(texts: &[(i64, String, String, String)]) -> Vec<String> {
    let mut out: Vec<String> = [
        "欠",
        "漏",
        "桥",
        "物业",
        "低保",
        "噪声",
        "派出所",
        "公租房",
        "拖欠工资",
        "征地补偿",
        "物业 电梯",
        "工资 包工头",
        "低保 残疾",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let step = (texts.len() / 40).max(1);
    for (k, (_, content, _, _)) in texts.iter().step_by(step).enumerate().take(40) {
        let chars: Vec<char> = content.chars().collect();
        let len = 1 + k % 4;
        let start = (k * 37) % chars.len().saturating_sub(len).max(1);
        let piece: String = chars.iter().skip(start).take(len).collect();
        if piece.chars().count() == len
            && piece
                .chars()
                .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        {
            out.push(piece);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn search10_search_finds_what_a_scan_finds_and_fts5_beside_it() {
    let b = built();
    let (index, docs, dir) = (&b.index, &b.docs, &b.dir);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        // Every case's searchable text, read from the demo database.
        let db = sqlx::SqlitePool::connect(&format!(
            "sqlite://{}?mode=ro",
            dir.path().join("hearken.db").display()
        ))
        .await
        .expect("demo database");
        let mut texts: Vec<(i64, String, String, String)> =
            sqlx::query("SELECT id, content, demands, respondent FROM cases ORDER BY id")
                .fetch_all(&db)
                .await
                .expect("cases")
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .collect();
        db.close().await;
        texts.extend(
            docs.iter()
                .map(|d| (d.id, d.content.clone(), String::new(), d.respondent.clone())),
        );
        let fts = fts5::open(&dir.path().join("fts5.db")).await;
        fts5::insert(&fts, &texts).await;

        let queries = sampled_queries(&texts);
        assert!(queries.len() >= 30, "{queries:?}");
        println!(
            "{:<12} {:>8} {:>8} {:>8} {:>8}",
            "query", "scan", "index", "fts5", "like"
        );
        let mut short_found_by_fts = 0;
        for q in &queries {
            let words: Vec<&str> = q.split_whitespace().collect();
            let scan: BTreeSet<i64> = texts
                .iter()
                .filter(|(_, c, d, r)| {
                    words
                        .iter()
                        .all(|w| c.contains(w) || d.contains(w) || r.contains(w))
                })
                .map(|t| t.0)
                .collect();
            let found: BTreeSet<i64> = index
                .matching_ids(&SearchRequest {
                    q: q.clone(),
                    filters: Filters::default(),
                    limit: 20,
                    ..SearchRequest::default()
                })
                .expect("search")
                .into_iter()
                .collect();
            let missed: Vec<_> = scan.difference(&found).take(5).collect();
            assert!(
                missed.is_empty(),
                "{q}: the index missed {missed:?} of {}",
                scan.len()
            );
            let fts_found: BTreeSet<i64> = fts5::match_ids(&fts, q).await.into_iter().collect();
            let like: BTreeSet<i64> = fts5::like_ids(&fts, q).await.into_iter().collect();
            assert_eq!(like, scan, "{q}: LIKE on the FTS5 table is a scan too");
            if words.iter().all(|w| w.chars().count() >= 3) {
                assert_eq!(fts_found, scan, "{q}: FTS5 trigram finds what a scan finds");
            } else if !fts_found.is_empty() {
                short_found_by_fts += 1;
            }
            println!(
                "{:<12} {:>8} {:>8} {:>8} {:>8}",
                q,
                scan.len(),
                found.len(),
                fts_found.len(),
                like.len()
            );
        }
        // The trigram tokenizer cannot match a word of one or two characters.
        assert_eq!(short_found_by_fts, 0);
    });
}
