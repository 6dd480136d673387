//! `hearken demo` makes what a live office would: case numbers that parse as case numbers,
//! due dates on working days, and histories the lifecycle allows. Every demo case's events
//! are replayed through `domain::lifecycle` (each step decided again on its day, then
//! applied) and must arrive at the state, stage, due date, lifecycle and unit the case
//! row stores.

use chrono::{Datelike, FixedOffset, TimeZone, Utc};
use domain::calendar::{Calendar, RuleSet};
use domain::lifecycle::{decide, Command, Context, Life, RouteMode, Units};
use domain::{CaseNo, Event, Stage, UnitCode, UnitRef};
use std::collections::BTreeMap;
use std::process::Command as Process;
use store::{CaseEvent, FeedPosition, Scope, Store};
use testkit::{fresh_db, Kind};

const CASES: usize = 2000;

fn load_demo(db: &testkit::TestDb) -> (String, String) {
    let out = Process::new(env!("CARGO_BIN_EXE_hearken"))
        .args([
            "demo",
            "--cases",
            &CASES.to_string(),
            "--database-url",
            &db.url,
        ])
        .arg("--data")
        .arg(&db.dir)
        .env_remove("HEARKEN_LOG")
        .output()
        .expect("run hearken demo");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "demo failed: {stdout}{stderr}");
    (stdout, stderr)
}

async fn all_events(store: &Store) -> BTreeMap<i64, Vec<CaseEvent>> {
    let mut by_case: BTreeMap<i64, Vec<CaseEvent>> = BTreeMap::new();
    let mut after = FeedPosition::START;
    loop {
        let page = store.events_since(None, after, 10_000).await.expect("feed");
        if page.items.is_empty() {
            break;
        }
        after = page.next;
        for item in page.items {
            by_case
                .entry(item.event.case_id)
                .or_default()
                .push(item.event);
        }
    }
    for events in by_case.values_mut() {
        events.sort_by_key(|e| e.seq);
    }
    by_case
}

/// What the demo came to, for the assertions on its variety.
#[derive(Default)]
struct Seen {
    open: usize,
    overdue: usize,
    closed: usize,
    transferred: usize,
    signed_off: usize,
    reviewed: usize,
    supervised: usize,
}

async fn demo_cases_replay_through_the_lifecycle(kind: Kind) {
    let Some(db) = fresh_db(kind).await else {
        return;
    };
    let (stdout, stderr) = load_demo(&db);
    // The terminal gets a summary line (after the first start's own lines), and no
    // statement logs.
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("demo: "))
        .unwrap_or_default()
        .to_string();
    assert!(
        summary.starts_with(&format!("demo: {CASES} cases")),
        "{stdout}"
    );
    assert!(stderr.trim().is_empty(), "demo wrote to stderr: {stderr}");

    let store = &db.store;
    let calendar = Calendar::shipped();
    let rules = RuleSet::shipped(RuleSet::default_name()).expect("cn-2022");
    let tz = FixedOffset::east_opt(8 * 3600).expect("tz");
    let today = Utc::now().with_timezone(&tz).date_naive();
    let everywhere = Scope::new("/");
    let by_case = all_events(store).await;
    assert_eq!(by_case.len(), CASES);
    let mut seen = Seen::default();

    for (id, events) in &by_case {
        let case = store.case(&everywhere, *id).await.expect("case");
        let s = &case.summary;
        let no =
            CaseNo::parse(&s.case_no).unwrap_or_else(|| panic!("{} is no case number", s.case_no));
        assert_eq!(no.as_str(), s.case_no);

        // The registration, as live registration writes it.
        let Event::Registered(reg) = events[0].event() else {
            panic!("{}: the first event is {}", s.case_no, events[0].kind);
        };
        assert_eq!(reg.case_no, s.case_no);
        let at = tz
            .timestamp_millis_opt(events[0].at)
            .single()
            .expect("time");
        let unit =
            UnitCode::parse(reg.unit.as_deref().expect("registered unit")).expect("unit code");
        assert!(
            s.case_no
                .starts_with(&format!("{}-{}-", unit.as_str(), at.year())),
            "{} registered in {} in {}",
            s.case_no,
            unit.as_str(),
            at.year()
        );
        let route = calendar.add(reg.received_on, rules.route);
        let mut life = Life::registered(reg.received_on, Some((route.date, route.fallback)));
        let mut holder = unit.as_str().to_string();
        let mut last = (reg.received_on, events[0].at);

        // Every step is one the state machine decides the same way on its day.
        for e in &events[1..] {
            let step = match e.event() {
                Event::Step(step) => step,
                // The office's supervision orders sit beside the lifecycle.
                Event::SupervisionOrdered(_) | Event::SupervisionAnswered { .. } => {
                    seen.supervised += 1;
                    continue;
                }
                _ => panic!("{}: {} is not a lifecycle step", s.case_no, e.kind),
            };
            assert!(
                step.on >= last.0 && e.at > last.1,
                "{}: steps out of order",
                s.case_no
            );
            assert!(step.on <= today);
            last = (step.on, e.at);
            let command = match &step.command {
                Command::Approve { .. } => Command::Approve { issues: None },
                other => other.clone(),
            };
            let ctx = Context {
                today: step.on,
                calendar: &calendar,
                rules: &rules,
                units: Units {
                    holder: Some(UnitRef {
                        id: -1,
                        code: holder.clone(),
                        ..UnitRef::default()
                    }),
                    actor: None,
                    target: step.to_unit.clone(),
                },
            };
            let decided = decide(&life, &command, &ctx).unwrap_or_else(|err| {
                panic!("{}: {} on {} refused: {err:?}", s.case_no, e.kind, step.on)
            });
            assert_eq!(
                (
                    decided.stage,
                    decided.due,
                    decided.fallback,
                    decided.objection_due,
                    decided.draft
                ),
                (
                    step.stage,
                    step.due,
                    step.fallback,
                    step.objection_due,
                    step.draft
                ),
                "{}: {} on {} stored otherwise than decided",
                s.case_no,
                e.kind,
                step.on
            );
            assert_eq!(decided.command, step.command, "{}", s.case_no);
            if let Command::Route {
                mode: RouteMode::Transfer,
                ..
            } = step.command
            {
                seen.transferred += 1;
            }
            if matches!(step.command, Command::Approve { .. }) {
                seen.signed_off += 1;
            }
            if matches!(step.command, Command::RequestReview { .. }) {
                seen.reviewed += 1;
            }
            life = life.apply(&step);
            if let Some(to) = &step.to_unit {
                holder = to.code.clone();
            }
        }

        // The row is the projection of the history.
        let stored: Life = serde_json::from_str(&case.lifecycle).expect("lifecycle JSON");
        assert_eq!(stored, life, "{}", s.case_no);
        assert_eq!(s.stage, life.stage, "{}", s.case_no);
        assert_eq!(s.state, life.stage.state(), "{}", s.case_no);
        assert_eq!(s.due_on, life.due().map(|d| d.to_string()), "{}", s.case_no);
        assert_eq!(s.unit_code, holder, "{}", s.case_no);
        // Every change, supervision orders included, is one version of the case.
        assert_eq!(s.version, events.len() as i64, "{}", s.case_no);

        // Every due date falls on a working day.
        for d in life.deadlines.iter().filter_map(|d| d.due) {
            assert!(calendar.is_workday(d).working, "{}: due {d}", s.case_no);
        }
        match life.stage {
            Stage::Closed | Stage::Voided => seen.closed += 1,
            _ => {
                seen.open += 1;
                if life.due().is_some_and(|d| d < today) {
                    seen.overdue += 1;
                }
            }
        }
    }
    // Concluded and overdue cases are both there, as are transfers, sign-offs and reviews.
    assert!(seen.closed > CASES / 2, "closed {}", seen.closed);
    assert!(
        seen.open > 0 && seen.overdue > 0,
        "open {}, overdue {}",
        seen.open,
        seen.overdue
    );
    assert!(seen.transferred > 0 && seen.signed_off > 0 && seen.reviewed > 0);
    assert!(
        summary.contains(&format!("{} of them overdue", seen.overdue)),
        "{summary}"
    );

    // The office's life: reports filed on their own days, all but one before the
    // deadline; orders on overdue cases, one answered.
    let reports = store
        .recent_reports(&everywhere, None, 1000)
        .await
        .expect("reports");
    assert!(
        summary.contains(&format!("{} daily reports", reports.len())),
        "{summary}"
    );
    assert!(reports.len() > 20, "{}", reports.len());
    let late: Vec<_> = reports.iter().filter(|r| r.filed_at > r.due_at).collect();
    assert_eq!(late.len(), 1, "one district filed late");
    assert!(reports.iter().all(|r| r.day < today.to_string()));
    let orders = store.orders(&everywhere, None, 100).await.expect("orders");
    assert_eq!(orders.len(), 3);
    assert_eq!(
        seen.supervised, 4,
        "three orders and one answer on their cases"
    );
    assert_eq!(orders.iter().filter(|o| o.answered_at.is_some()).count(), 1);

    // The volume tally the bulk load wrote equals a recount from the cases it loaded.
    let cells = store.volume_tally_rows().await.expect("cells");
    assert!(!cells.is_empty());
    assert_eq!(cells, store.recount_volume_tally().await.expect("recount"));

    // The loader refreshed SQLite's statistics, and kept the supervision board's index
    // out of skip-scans (which made the queue by unit, state and category slow at scale).
    let board = store
        .planner_stats("cases_open_board")
        .await
        .expect("stats");
    match kind {
        Kind::Sqlite => {
            let stat = board.expect("statistics after the load");
            assert!(stat.ends_with(" noskipscan"), "{stat}");
            assert_eq!(stat.matches("noskipscan").count(), 1, "{stat}");
        }
        Kind::Postgres => assert_eq!(board, None),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_demo_cases_replay_through_the_lifecycle() {
    demo_cases_replay_through_the_lifecycle(Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_demo_cases_replay_through_the_lifecycle() {
    demo_cases_replay_through_the_lifecycle(Kind::Postgres).await;
}
