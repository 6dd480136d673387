//! The event feed never skips: writers register (through group commit) and act on cases
//! concurrently while a tailer follows `Store::events_since` in small pages; the tailer
//! must see every committed event exactly once.
//!
//! On PostgreSQL a slow writer also holds a transaction open over an event while others
//! commit later ones, the way a big group-commit batch does. A naive `seq > cursor` reader,
//! run beside the real one, must miss events there: that proves the test provokes
//! out-of-order commits, and that the feed survives them.

use domain::{NewCase, QueryCode};
use sqlx::{Connection, Row};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use store::{Actor, CasePatch, FeedPosition, NewAttachment, NewUnit, Scope, Store};
use testkit::{both_backends, fresh_db, sample_case, Kind};

const WRITERS: usize = 8;
const CASES_PER_WRITER: usize = 24;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

/// A root and eight counties, so that registrations spread over every group-commit writer.
async fn units(store: &Store) -> Vec<store::Unit> {
    let root = store
        .create_unit(&NewUnit {
            code: "ROOT".into(),
            name: "根".into(),
            name_en: "Root".into(),
            level: domain::UnitLevel::Province,
            parent_id: None,
        })
        .await
        .expect("root");
    let mut out = vec![];
    for i in 0..WRITERS {
        out.push(
            store
                .create_unit(&NewUnit {
                    code: format!("3301{:02}", i + 1),
                    name: format!("区{i}"),
                    name_en: String::new(),
                    level: domain::UnitLevel::County,
                    parent_id: Some(root.id),
                })
                .await
                .expect("county"),
        );
    }
    out
}

/// Registers and works cases in one unit: each case is registered, corrected and given
/// an attachment, every step its own transaction.
async fn writer(store: Store, unit: store::Unit, n: usize) {
    let input: NewCase = serde_json::from_value(sample_case()).expect("case");
    let reg = input
        .validate(&|c| c == "labor.wages", today())
        .expect("valid");
    let scope = Scope::new("/");
    let actor = Actor::system();
    let mut ids = vec![];
    for _ in 0..n {
        let code = QueryCode::generate(&mut rand::thread_rng());
        let r = store
            .register_case(&reg, &unit, &code, 2026, Some((today(), false)), &actor)
            .await
            .expect("register");
        ids.push(r.id);
    }
    for (i, id) in ids.into_iter().enumerate() {
        let patch = CasePatch {
            respondent: Some(format!("被反映单位{i}")),
            ..CasePatch::default()
        };
        store
            .correct_case(&scope, id, 1, &patch, &actor)
            .await
            .expect("correct");
        let file = NewAttachment {
            sha256: format!("{:064x}", id),
            filename: "证据.pdf".into(),
            content_type: "application/pdf".into(),
            size: 10,
        };
        store
            .add_attachment(&scope, id, &file, &actor)
            .await
            .expect("attachment");
    }
}

/// Holds transactions open over an event while the others commit, until told to stop.
async fn slow_writer(url: String, stop: Arc<AtomicBool>) -> usize {
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("connect");
    let mut held = 0;
    while !stop.load(Ordering::Relaxed) {
        let mut tx = conn.begin().await.expect("begin");
        let case: Option<i64> = sqlx::query("SELECT MIN(id) AS id FROM cases")
            .fetch_one(&mut *tx)
            .await
            .expect("a case")
            .try_get("id")
            .expect("id");
        let Some(case) = case else {
            drop(tx);
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        sqlx::query(
            "INSERT INTO case_events (case_id, kind, actor_name, at, payload)
             VALUES ($1, 'note', 'slow writer', 0, '{}')",
        )
        .bind(case)
        .execute(&mut *tx)
        .await
        .expect("slow insert");
        tokio::time::sleep(Duration::from_millis(150)).await;
        tx.commit().await.expect("slow commit");
        held += 1;
    }
    held
}

/// A reader that trusts `seq` order: what the feed must not be.
async fn naive_tail(url: String, stop: Arc<AtomicBool>) -> Vec<i64> {
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("connect");
    let mut seen = vec![];
    let mut cursor = 0i64;
    loop {
        let done = stop.load(Ordering::Relaxed);
        let rows = sqlx::query("SELECT seq FROM case_events WHERE seq > $1 ORDER BY seq LIMIT 5")
            .bind(cursor)
            .fetch_all(&mut conn)
            .await
            .expect("naive page");
        for r in &rows {
            let seq: i64 = r.try_get("seq").expect("seq");
            seen.push(seq);
            cursor = seq;
        }
        if rows.is_empty() {
            if done {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

/// Follows the feed in pages of 5 until told to stop and nothing more comes.
async fn tail(store: Store, stop: Arc<AtomicBool>) -> Vec<(FeedPosition, i64)> {
    let mut seen = vec![];
    let mut cursor = FeedPosition::START;
    loop {
        let done = stop.load(Ordering::Relaxed);
        let page = store
            .events_since(None, cursor, 5)
            .await
            .expect("feed page");
        for item in &page.items {
            assert!(item.position > cursor, "positions only grow");
            cursor = item.position;
            seen.push((item.position, item.event.seq));
        }
        assert_eq!(page.next, cursor);
        if page.items.is_empty() {
            if done {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

async fn all_seqs(store: &Store) -> BTreeSet<i64> {
    let mut all = BTreeSet::new();
    let mut cursor = FeedPosition::START;
    loop {
        let page = store.events_since(None, cursor, 1000).await.expect("page");
        if page.items.is_empty() {
            return all;
        }
        all.extend(page.items.iter().map(|i| i.event.seq));
        cursor = page.next;
    }
}

both_backends!(
    the_feed_gives_every_event_exactly_once_under_concurrent_writers,
    |kind| async move {
        let Some(db) = fresh_db(kind).await else {
            return;
        };
        let store = db.store.clone();
        let units = units(&store).await;
        let stop_writers = Arc::new(AtomicBool::new(false));
        let stop_readers = Arc::new(AtomicBool::new(false));

        let tailer = tokio::spawn(tail(store.clone(), stop_readers.clone()));
        let naive = tokio::spawn(naive_tail(db.url.clone(), stop_readers.clone()));
        let slow = (kind == Kind::Postgres)
            .then(|| tokio::spawn(slow_writer(db.url.clone(), stop_writers.clone())));
        let writers: Vec<_> = units
            .iter()
            .map(|u| tokio::spawn(writer(store.clone(), u.clone(), CASES_PER_WRITER)))
            .collect();
        for w in writers {
            w.await.expect("writer");
        }
        stop_writers.store(true, Ordering::Relaxed);
        if let Some(slow) = slow {
            assert!(
                slow.await.expect("slow writer") > 0,
                "the slow writer held transactions"
            );
        }
        stop_readers.store(true, Ordering::Relaxed);
        let seen = tailer.await.expect("tailer");
        let naive_seen = naive.await.expect("naive reader");

        // Every event, from a plain SELECT once the writers are done.
        let mut conn = sqlx::AnyConnection::connect(&db.url)
            .await
            .expect("connect");
        let all: BTreeSet<i64> = sqlx::query("SELECT seq FROM case_events")
            .fetch_all(&mut conn)
            .await
            .expect("all events")
            .iter()
            .map(|r| r.try_get::<i64, _>("seq").expect("seq"))
            .collect();
        assert!(
            all.len() >= WRITERS * CASES_PER_WRITER * 3,
            "{} events",
            all.len()
        );

        let seqs: Vec<i64> = seen.iter().map(|(_, s)| *s).collect();
        let unique: BTreeSet<i64> = seqs.iter().copied().collect();
        assert_eq!(unique.len(), seqs.len(), "no event twice");
        let missed: Vec<_> = all.difference(&unique).collect();
        assert!(
            missed.is_empty(),
            "the feed missed {} events: {missed:?}",
            missed.len()
        );
        assert_eq!(unique, all);
        // A second pass from the start gives the same events in the same order.
        assert_eq!(all_seqs(&store).await, all);

        let naive_missed = all.len() - naive_seen.iter().collect::<BTreeSet<_>>().len();
        match kind {
            // Commits overtook each other, so trusting `seq` loses events for good.
            Kind::Postgres => assert!(
                naive_missed > 0,
                "the test should provoke out-of-order commits that a seq > cursor reader misses"
            ),
            // One writer at a time: seq order is commit order.
            Kind::Sqlite => assert_eq!(naive_missed, 0),
        }
    }
);

both_backends!(
    a_scoped_feed_holds_only_the_subtrees_events,
    |kind| async move {
        let Some(db) = fresh_db(kind).await else {
            return;
        };
        let store = db.store.clone();
        let units = units(&store).await;
        writer(store.clone(), units[0].clone(), 3).await;
        writer(store.clone(), units[1].clone(), 2).await;
        let scope = Scope::new(&units[1].path);
        // Two cases, each registered, corrected and given an attachment. (On a busy
        // server the feed may hold events back for a moment; it never skips them.)
        let mut page = store
            .events_since(Some(&scope), FeedPosition::START, 100)
            .await
            .expect("page");
        for _ in 0..100 {
            if page.items.len() >= 6 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            page = store
                .events_since(Some(&scope), FeedPosition::START, 100)
                .await
                .expect("page");
        }
        assert_eq!(page.items.len(), 6);
        let again = store
            .events_since(Some(&scope), page.next, 100)
            .await
            .expect("page");
        assert!(again.items.is_empty());
        assert_eq!(again.next, page.next, "an empty page keeps the cursor");
        assert_eq!(
            FeedPosition::parse(&page.next.to_string()),
            Some(page.next),
            "the cursor's text form reads back"
        );
        assert_eq!(FeedPosition::parse("nonsense"), None);
    }
);
