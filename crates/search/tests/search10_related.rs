//! Related-case quality on an index built elsewhere: `HEARKEN_QUALITY_INDEX=<data>/search`
//! names an index of demo petitions (`hearken demo` then `hearken reindex`); the
//! evaluation set (`tests/data/related_cases.json`) is added to it and recall@5 and
//! precision@1 printed. Without the variable it does nothing: the test that runs
//! everywhere is `crates/hearken/tests/binary/search10_quality.rs`. This one only
//! compiles this crate, for trying a change to the ranking quickly.

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
    for q in docs.iter().filter(|d| !d.2) {
        let wanted: BTreeSet<i64> = docs
            .iter()
            .filter(|d| d.1 == q.1 && !d.2 && d.0 != q.0)
            .map(|d| d.0)
            .collect();
        let got = index
            .similar(&SimilarRequest {
                content: q.3.clone(),
                region: Some(q.5.clone()),
                respondent: Some(q.4.clone()).filter(|r| !r.is_empty()),
                scope: None,
                exclude_id: Some(q.0),
                limit: 5,
            })
            .expect("similar");
        found += got.iter().filter(|s| wanted.contains(&s.id)).count();
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
}
