//! The event feed: every committed event exactly once, in a stable order, while writers
//! keep writing. Integrations and auditors tail it with [`Store::events_since`].
//!
//! # Why `seq > cursor` is not enough, and what the feed does instead
//!
//! `seq` is taken when an event is inserted, not when its transaction commits. On
//! PostgreSQL, group commit keeps a transaction open over up to 128 registrations on
//! four writers, so an event with a lower `seq` can become visible after one with a
//! higher `seq`; a reader that had already moved its cursor past the higher one would
//! never see the lower one.
//!
//! There were two ways out: assign the feed position at commit from a single sequencer
//! (a counter row that every writing transaction updates last), or read only below a
//! safe horizon. A sequencer row serialises every commit on one row lock, which is
//! exactly what the four group-commit writers exist to avoid, so Hearken reads below a
//! horizon instead:
//!
//! - On **PostgreSQL** each event row records `pg_current_xact_id()` (the column's
//!   default, so every INSERT path records it, the bulk loader's included, at no extra
//!   round trip). The feed is ordered by `(xact_id, seq)` and returns only events whose
//!   transaction is older than the oldest transaction still in progress in the
//!   statement's snapshot (`pg_snapshot_xmin(pg_current_snapshot())`, refined to skip
//!   transactions of other databases on the same server, which cannot write here; see
//!   [`PG_HORIZON`]). Every transaction below that horizon has finished, and every
//!   transaction that has not yet started will get a larger id, so the set of events
//!   below the horizon never grows behind a reader's cursor. The price is latency, not
//!   loss: a long write transaction holds the feed back until it ends. Readers take no
//!   locks and writers pay nothing. (`xid8` does not cross the sqlx `Any` driver, so it
//!   is stored and compared as `bigint` through `::text::bigint`.)
//! - On **SQLite** there is one writer at a time, holding the write lock from its first
//!   insert to its commit, so `seq` order is commit order and the position is
//!   `(0, seq)`.
//!
//! A cursor is a [`FeedPosition`]; its text form (`xact-seq`) is opaque to clients.

use crate::{Backend, CaseEvent, Result, Scope, Store};
use sqlx::Row;
use std::fmt;

/// A place in the feed. Events come in increasing position order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeedPosition {
    /// The writing transaction's id on PostgreSQL; 0 on SQLite.
    pub xact: i64,
    pub seq: i64,
}

impl FeedPosition {
    /// Before the first event.
    pub const START: FeedPosition = FeedPosition { xact: 0, seq: 0 };

    /// Reads the text form written by `Display`; `None` if it is not one.
    pub fn parse(s: &str) -> Option<FeedPosition> {
        let (x, s) = s.trim().split_once('-')?;
        let xact: i64 = x.parse().ok()?;
        let seq: i64 = s.parse().ok()?;
        (xact >= 0 && seq >= 0).then_some(FeedPosition { xact, seq })
    }
}

impl fmt::Display for FeedPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.xact, self.seq)
    }
}

/// One event of the feed, with its position.
#[derive(Debug, Clone)]
pub struct FeedItem {
    pub position: FeedPosition,
    pub event: CaseEvent,
}

/// A page of the feed. `next` is the cursor for the following page: the last item's
/// position, or the cursor asked for when nothing new has committed.
#[derive(Debug, Clone)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    pub next: FeedPosition,
}

/// The PostgreSQL horizon, computed from the statement's own snapshot: the oldest
/// transaction still in progress, ignoring those that a backend connected to another
/// database holds (transaction ids are cluster-wide, but those cannot write here). A
/// transaction that has ended since the snapshot is no longer in `pg_stat_activity` and
/// so still counts, which errs on the side of holding back; with nothing in progress the
/// horizon is the snapshot's `xmax`, the first transaction id not yet handed out.
const PG_HORIZON: &str = "WITH snap AS (SELECT pg_current_snapshot() AS s),
    horizon AS (SELECT LEAST(
        (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap),
        (SELECT MIN(x::text::bigint) FROM snap, pg_snapshot_xip(snap.s) AS x
          WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                            WHERE a.backend_xid = x::xid
                              AND a.datname IS DISTINCT FROM current_database()))) AS h)";

const COLUMNS: &str = "e.seq, e.case_id, e.kind, e.actor_id, e.actor_name, e.at, e.payload";

impl Store {
    /// Up to `limit` committed events after `after`, in feed order. With a scope, only
    /// events of cases now in that subtree; with `None`, every event. Called again with
    /// `next`, it returns each committed event exactly once, however writers interleave.
    pub async fn events_since(
        &self,
        scope: Option<&Scope>,
        after: FeedPosition,
        limit: i64,
    ) -> Result<FeedPage> {
        let limit = limit.clamp(1, 10_000);
        let join = if scope.is_some() {
            "JOIN cases c ON c.id = e.case_id AND c.unit_path >= $4 AND c.unit_path < $5"
        } else {
            ""
        };
        let sql = match self.backend {
            Backend::Postgres => format!(
                "{PG_HORIZON}
                 SELECT e.xact_id, {COLUMNS} FROM case_events e {join}
                 WHERE (e.xact_id, e.seq) > ($1, $2) AND e.xact_id < (SELECT h FROM horizon)
                 ORDER BY e.xact_id, e.seq LIMIT $3"
            ),
            // One writer at a time: `seq` order is commit order. `$1` keeps the binds alike.
            Backend::Sqlite => format!(
                "SELECT 0 AS xact_id, {COLUMNS} FROM case_events e {join}
                 WHERE $1 >= 0 AND e.seq > $2
                 ORDER BY e.seq LIMIT $3"
            ),
        };
        let mut q = sqlx::query(&sql)
            .bind(after.xact)
            .bind(after.seq)
            .bind(limit);
        if let Some(scope) = scope {
            let (lo, hi) = scope.bounds();
            q = q.bind(lo).bind(hi);
        }
        let rows = q.fetch_all(&self.read).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let payload: String = r.try_get("payload")?;
            let event = CaseEvent {
                seq: r.try_get("seq")?,
                case_id: r.try_get("case_id")?,
                kind: r.try_get("kind")?,
                actor_id: r.try_get("actor_id")?,
                actor_name: r.try_get("actor_name")?,
                at: r.try_get("at")?,
                payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
            };
            items.push(FeedItem {
                position: FeedPosition {
                    xact: r.try_get("xact_id")?,
                    seq: event.seq,
                },
                event,
            });
        }
        let next = items.last().map(|i| i.position).unwrap_or(after);
        Ok(FeedPage { items, next })
    }
}
