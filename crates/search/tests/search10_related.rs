//! Related-case quality on an index built elsewhere: `HEARKEN_QUALITY_INDEX=<data>/search`
//! names an index of demo petitions (`hearken demo` then `hearken reindex`); the
//! evaluation set (`tests/data/related_cases.json`) is added to it and recall@5 and
//! precision@1 printed. Without the variable it does nothing: the test that runs
//! everywhere is `crates/hearken/tests/binary/search10_quality.rs`. This one only
//! compiles this crate, for trying a change to the ranking quickly. Over 100,000 to
//! 200,000 cases it asserts the targets (docs/BENCHMARKS.md); it also prints the time
//! of each `similar()` call (use `--release`), `HEARKEN_QUALITY_VERBOSE=1` prints each
//! incomplete query with its suggestions and misses, and `HEARKEN_QUALITY_SCORES=1` the
//! score spread of same-matter pairs, hard negatives and background (for the hotspots'
//! text-cluster bar).

use hearken_search::{CaseDoc, SearchIndex, SimilarRequest};
use std::collections::BTreeSet;

const FIRST_ID: i64 = 900_000_000;

#[test]
fn search10_related_on_a_given_index() {
    let Ok(dir) = std::env::var("HEARKEN_QUALITY_INDEX") else {
        return;
    };
    let set: serde_json::Value =
        serde_json::from_str(include_str!("data/related_cases.json")).expect("set");
    let index = SearchIndex::open_or_create(std::path::Path::new(&dir)).expect("index");
    let cursor = index.cursor().unwrap_or_default();
    // (id, matter, negative, content, respondent, region)
    let mut docs: Vec<(i64, usize, bool, String, String, String)> = vec![];
    for (m, matter) in set["matters"]
        .as_array()
        .expect("matters")
        .iter()
        .enumerate()
    {
        let region = matter["region"].as_str().unwrap_or("").to_string();
        for (key, negative) in [("same", false), ("neg", true)] {
            for t in matter[key].as_array().expect("texts") {
                docs.push((
                    FIRST_ID + docs.len() as i64,
                    m,
                    negative,
                    t[0].as_str().unwrap_or("").into(),
                    t[1].as_str().unwrap_or("").into(),
                    region.clone(),
                ));
            }
        }
    }
    let case_docs: Vec<CaseDoc> = docs
        .iter()
        .map(|d| CaseDoc {
            id: d.0,
            case_no: format!("EVAL-{}", d.0 - FIRST_ID),
            unit_path: "/1/".into(),
            state: "open".into(),
            region: d.5.clone(),
            received_on: "2026-06-01".into(),
            respondent: d.4.clone(),
            content: d.3.clone(),
            ..CaseDoc::default()
        })
        .collect();
    index.apply(&case_docs).expect("apply");
    index.commit(&cursor).expect("commit");
    index.set_ready();
    let (mut found, mut relevant, mut top, mut n) = (0, 0, 0, 0);
    // Scores of same-matter pairs, hard negatives and background cases (the top 50 of
    // each query), for calibrating the hotspots' text-cluster bar.
    let (mut same_scores, mut neg_scores, mut bg_scores) = (vec![], vec![], vec![]);
    let mut times: Vec<f64> = vec![];
    for q in docs.iter().filter(|d| !d.2) {
        let wanted: BTreeSet<i64> = docs
            .iter()
            .filter(|d| d.1 == q.1 && !d.2 && d.0 != q.0)
            .map(|d| d.0)
            .collect();
        let started = std::time::Instant::now();
        let got = index
            .similar(&SimilarRequest {
                content: q.3.clone(),
                region: Some(q.5.clone()),
                respondent: Some(q.4.clone()).filter(|r| !r.is_empty()),
                scope: None,
                exclude_id: Some(q.0),
                // The set's petitions all carry one date: a date would score on the
                // set's making, not on the ranking.
                received_on: None,
                unit: None,
                limit: 5,
            })
            .expect("similar");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if std::env::var("HEARKEN_QUALITY_VERBOSE").is_ok()
            && got.iter().filter(|s| wanted.contains(&s.id)).count() < wanted.len()
        {
            println!("\nQ #{} [{}] {}", q.0 - FIRST_ID, q.4, q.3);
            for s in &got {
                let tag = if wanted.contains(&s.id) {
                    "  ok ".to_string()
                } else if s.id >= FIRST_ID {
                    format!(
                        "  NEG{}",
                        if docs[(s.id - FIRST_ID) as usize].1 == q.1 {
                            "*"
                        } else {
                            "x"
                        }
                    )
                } else {
                    "  BG ".to_string()
                };
                let text = index.stored_body(s.id).ok().flatten().unwrap_or_default();
                println!(
                    "{tag} {:.3} {}",
                    s.score,
                    text.chars().take(160).collect::<String>()
                );
            }
            let all = index
                .similar(&SimilarRequest {
                    content: q.3.clone(),
                    region: Some(q.5.clone()),
                    respondent: Some(q.4.clone()).filter(|r| !r.is_empty()),
                    scope: None,
                    exclude_id: Some(q.0),
                    received_on: None,
                    unit: None,
                    limit: 50,
                })
                .expect("similar");
            for w in &wanted {
                if got.iter().any(|s| s.id == *w) {
                    continue;
                }
                let rank = all.iter().position(|s| s.id == *w);
                let score = rank.map(|r| all[r].score);
                println!(
                    "  MISS rank {rank:?} score {score:?}: {}",
                    docs[(*w - FIRST_ID) as usize].3
                );
            }
        }
        found += got.iter().filter(|s| wanted.contains(&s.id)).count();
        if std::env::var("HEARKEN_QUALITY_SCORES").is_ok() {
            let all = index
                .similar(&SimilarRequest {
                    content: q.3.clone(),
                    region: Some(q.5.clone()),
                    respondent: Some(q.4.clone()).filter(|r| !r.is_empty()),
                    scope: None,
                    exclude_id: Some(q.0),
                    received_on: None,
                    unit: None,
                    limit: 50,
                })
                .expect("similar");
            for w in &wanted {
                same_scores.push(all.iter().find(|s| s.id == *w).map_or(0.0, |s| s.score));
            }
            for d in docs.iter().filter(|d| d.1 == q.1 && d.2) {
                neg_scores.push(all.iter().find(|s| s.id == d.0).map_or(0.0, |s| s.score));
            }
            bg_scores.extend(all.iter().filter(|s| s.id < FIRST_ID).map(|s| s.score));
        }
        relevant += wanted.len();
        top += usize::from(got.first().is_some_and(|s| wanted.contains(&s.id)));
        n += 1;
    }
    println!(
        "docs {}: recall@5 {:.3}, precision@1 {:.3}",
        index.num_docs(),
        found as f64 / relevant as f64,
        top as f64 / n as f64
    );
    times.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "similar(): {} calls, median {:.2} ms, p95 {:.2} ms, max {:.2} ms (the first ones fill the caches)",
        times.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
    // `HEARKEN_QUALITY_TYPICAL=N`: the time of N suggestions for petitions like the
    // background's own (each an indexed case's text, itself excluded), spread over the ids.
    if let Some(n) = std::env::var("HEARKEN_QUALITY_TYPICAL")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        let step = (index.num_docs() as i64 / n.max(1)).max(1);
        let mut typical: Vec<f64> = vec![];
        for id in (1..=n).map(|k| k * step - step / 2) {
            let Some(body) = index.stored_body(id).ok().flatten() else {
                continue;
            };
            let started = std::time::Instant::now();
            index
                .similar(&SimilarRequest {
                    content: body,
                    exclude_id: Some(id),
                    limit: 5,
                    ..SimilarRequest::default()
                })
                .expect("similar");
            typical.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        typical.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| typical[((typical.len() - 1) as f64 * q).round() as usize];
        println!(
            "similar() for {} background petitions: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            typical.len(),
            at(0.5),
            at(0.95),
            at(1.0)
        );
    }
    // The targets over a background of 100,000 demo cases (recall@5 0.9,
    // precision@1 0.8; the ranking reaches 0.910 and 0.980): a regression below the
    // target fails here. Over a larger background the figures are printed only.
    if (100_000..200_000).contains(&index.num_docs()) {
        assert!(found as f64 / relevant as f64 >= 0.90, "recall@5");
        assert!(top as f64 / n as f64 >= 0.95, "precision@1");
    }
    if !same_scores.is_empty() {
        for t in [0.1f32, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5] {
            let share = |v: &Vec<f32>| v.iter().filter(|s| **s >= t).count();
            println!(
                "score >= {t}: same matter {}/{}, hard negatives {}/{}, background {} (of 100 queries' top 50)",
                share(&same_scores),
                same_scores.len(),
                share(&neg_scores),
                neg_scores.len(),
                share(&bg_scores)
            );
        }
    }
}
