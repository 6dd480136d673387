//! Registrations that arrive together are written as one batch (group commit) in a few
//! multi-row statements. Each must still come out whole: its own consecutive case number,
//! its petitioners, its one `registered` event, its attachment, and exactly what it adds
//! to the rate and volume tallies — on SQLite and on PostgreSQL.

use crate::common;
use domain::{NewCase, QueryCode};
use std::collections::BTreeMap;
use store::{Actor, NewAttachment, NewRegistration, Scope};
use testkit::{both_backends, sample_case, TestApp};

const PER_UNIT: usize = 30;

fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

both_backends!(a_batch_writes_each_registration_whole, |kind| async move {
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    common::people(&app).await;
    let store = app.store.clone();
    let units = [
        store.unit_by_code("330106").await.expect("unit"),
        store.unit_by_code("330102").await.expect("unit"),
    ];
    // Every registration is submitted before any is answered, so the writer finds
    // many waiting and writes them together.
    let mut jobs = vec![];
    for i in 0..PER_UNIT * units.len() {
        let unit = units[i % units.len()].clone();
        let mut input = sample_case();
        input["petitioners"][0]["name"] = format!("申请人{i}").into();
        if i % 3 == 0 {
            input["petitioners"]
                .as_array_mut()
                .expect("petitioners")
                .push(
                    serde_json::json!({"name": format!("同行人{i}"), "phone": null,
                        "id_number": null, "address": null}),
                );
            input["headcount"] = 2.into();
        }
        input["channel"] = if i % 2 == 0 { "visit" } else { "online" }.into();
        input["region"] = if i % 4 < 2 { "330102" } else { "330106001" }.into();
        let case: NewCase = serde_json::from_value(input).expect("case");
        let reg = case
            .validate(&|c| c == "labor.wages", today())
            .expect("valid");
        let attachments = if i % 5 == 0 {
            vec![NewAttachment {
                sha256: format!("{i:064x}"),
                filename: format!("材料{i}.pdf"),
                content_type: "application/pdf".into(),
                size: 100 + i as i64,
            }]
        } else {
            vec![]
        };
        let job = NewRegistration {
            reg,
            unit,
            query_code: QueryCode::generate(&mut rand::thread_rng()),
            year: 2026,
            due: Some((today(), false)),
            actor: Actor::system(),
            attachments,
        };
        let store = store.clone();
        jobs.push(tokio::spawn(async move {
            (i, store.register(job).await.expect("register"))
        }));
    }
    let mut results = vec![];
    for j in jobs {
        results.push(j.await.expect("task"));
    }

    // They were written together, and no batch had to be taken apart.
    let counts = store.registration_batches();
    assert!(counts.largest > 1, "{counts:?}");
    assert_eq!(counts.retried, 0, "{counts:?}");

    // Each unit's case numbers run 1, 2, 3… with no gap and no repeat.
    let mut seqs: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (_, r) in &results {
        let s = r.case_no.as_str();
        let (prefix, seq) = s.split_at(s.len() - 6);
        seqs.entry(prefix.to_string())
            .or_default()
            .push(seq.parse().expect("seq"));
    }
    assert_eq!(seqs.len(), units.len(), "{seqs:?}");
    for (prefix, mut got) in seqs {
        got.sort();
        let want: Vec<i64> = (1..=PER_UNIT as i64).collect();
        assert_eq!(got, want, "{prefix}");
    }

    // Each case holds what its own registration carried.
    let scope = Scope::new("/");
    for (i, r) in &results {
        let case = store.case(&scope, r.id).await.expect("case");
        assert_eq!(case.summary.case_no, r.case_no.as_str());
        let names: Vec<&str> = case.petitioners.iter().map(|p| p.name.as_str()).collect();
        let mut want = vec![format!("申请人{i}")];
        if i % 3 == 0 {
            want.push(format!("同行人{i}"));
        }
        assert_eq!(names, want, "case {}", r.case_no.as_str());
        assert_eq!(case.summary.unit_code, units[i % units.len()].code);
        let events = store.case_events(&scope, r.id).await.expect("events");
        let registered: Vec<_> = events.iter().filter(|e| e.kind == "registered").collect();
        assert_eq!(registered.len(), 1, "case {}", r.case_no.as_str());
        assert_eq!(registered[0].payload["case_no"], r.case_no.as_str());
        let attached = events
            .iter()
            .filter(|e| e.kind == "attachment_added")
            .count();
        assert_eq!(
            attached,
            usize::from(i % 5 == 0),
            "case {}",
            r.case_no.as_str()
        );
        assert_eq!(case.attachments.len(), usize::from(i % 5 == 0));
    }

    // The tallies hold exactly what the registrations add up to.
    let state = &app.state;
    assert_eq!(
        state.stored_tallies().await.expect("tallies"),
        state.recount_tallies().await.expect("recount")
    );
    assert_eq!(
        state.stored_marks().await.expect("marks"),
        state.recount_marks().await.expect("recount")
    );
    let volume = state.stored_volume_tally().await.expect("volume");
    assert_eq!(volume, state.recount_volume_tally().await.expect("recount"));
    let visits: i64 = volume
        .iter()
        .filter(|r| r.cell.dim == "channel" && r.cell.grain == "d" && r.cell.key == "visit")
        .map(|r| r.n)
        .sum();
    assert_eq!(visits, PER_UNIT as i64);
});
