//! Keeps this instance's search index up with the event feed. Each `serve` instance
//! tails the same feed into its own index, so several instances on one PostgreSQL each
//! find what the others register. Needs only a [`Store`] and the index.
//!
//! At start the index catches up from the cursor of its last commit; until it has, the
//! index reports [`search::Status::Building`] with how much of the feed it has read, and
//! search answers so instead of answering from a partial index. An index whose cursor
//! lies beyond the end of this database's feed was built from another database: it is
//! emptied and built again from the start.

use search::{CaseDoc, SearchIndex};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use store::{CaseText, FeedPosition, Store};

/// How often the feed is read once the index has caught up. Each read that finds events
/// ends in a commit, which writes a segment (and later merges it), so this is also how
/// often the index commits under load. One second keeps a registration searchable within
/// two seconds while costing the registrations little CPU; at 300 ms the commits and
/// their merges took a fifth of the registrations' throughput on two cores.
pub const POLL: Duration = Duration::from_secs(1);
/// Events read per batch.
const BATCH: i64 = 2_000;
/// Events applied between two commits while catching up.
const COMMIT_EVERY: i64 = 100_000;

pub type IndexerError = Box<dyn std::error::Error + Send + Sync>;

pub fn to_doc(t: CaseText) -> CaseDoc {
    CaseDoc {
        id: t.id,
        case_no: t.case_no,
        unit_path: t.unit_path,
        state: t.state.as_str().into(),
        channel: t.channel.as_str().into(),
        case_type: t.case_type.as_str().into(),
        category: t.category,
        region: t.region,
        received_on: t.received_on,
        registered_at: t.registered_at,
        respondent: t.respondent,
        content: t.content,
        demands: t.demands,
        notes: t.notes,
        names: t.names,
    }
}

fn cursor_of(index: &SearchIndex) -> FeedPosition {
    index
        .cursor()
        .and_then(|c| FeedPosition::parse(&c))
        .unwrap_or(FeedPosition::START)
}

/// Empties the index when its cursor lies beyond this database's feed: it was built
/// from another database. Returns whether it did.
pub async fn clear_if_foreign(
    store: &Store,
    index: &Arc<SearchIndex>,
) -> Result<bool, IndexerError> {
    let last = store.last_event_seq().await?;
    if cursor_of(index).seq <= last {
        return Ok(false);
    }
    tracing::warn!("search index is ahead of this database's event feed; rebuilding it");
    let ix = index.clone();
    tokio::task::spawn_blocking(move || -> Result<(), IndexerError> {
        ix.clear()?;
        ix.commit(&FeedPosition::START.to_string())?;
        Ok(())
    })
    .await??;
    Ok(true)
}

/// Reads the feed from the index's cursor to its end, a batch at a time, committing (with
/// the cursor reached) at the end and every [`COMMIT_EVERY`] events on the way: a commit
/// writes a segment and syncs it, so one per batch made a rebuild of millions of events
/// mostly commits. `progress(read_up_to_seq, last_seq)` is called after each batch.
/// Returns the number of events read.
pub async fn catch_up(
    store: &Store,
    index: &Arc<SearchIndex>,
    mut progress: impl FnMut(i64, i64),
) -> Result<u64, IndexerError> {
    let last = store.last_event_seq().await?;
    let mut cursor = cursor_of(index);
    let mut read = 0u64;
    let mut uncommitted = 0i64;
    loop {
        let page = store.events_since(None, cursor, BATCH).await?;
        let done = (page.items.len() as i64) < BATCH;
        if page.items.is_empty() {
            if uncommitted > 0 {
                let ix = index.clone();
                tokio::task::spawn_blocking(move || ix.commit(&cursor.to_string())).await??;
            }
            return Ok(read);
        }
        read += page.items.len() as u64;
        uncommitted += page.items.len() as i64;
        let ids: BTreeSet<i64> = page.items.iter().map(|i| i.event.case_id).collect();
        let ids: Vec<i64> = ids.into_iter().collect();
        let texts = store.case_texts(&ids).await?;
        let found: BTreeSet<i64> = texts.iter().map(|t| t.id).collect();
        let gone: Vec<i64> = ids.iter().filter(|i| !found.contains(i)).copied().collect();
        let docs: Vec<CaseDoc> = texts.into_iter().map(to_doc).collect();
        let next = page.next;
        let commit = done || uncommitted >= COMMIT_EVERY;
        let ix = index.clone();
        tokio::task::spawn_blocking(move || -> Result<(), IndexerError> {
            ix.apply(&docs)?;
            ix.delete(&gone)?;
            if commit {
                ix.commit(&next.to_string())?;
            }
            Ok(())
        })
        .await??;
        if commit {
            uncommitted = 0;
        }
        cursor = next;
        progress(cursor.seq, last.max(cursor.seq));
        if done {
            return Ok(read);
        }
    }
}

fn percent(done: i64, total: i64) -> u8 {
    if total <= 0 {
        return 0;
    }
    (done.saturating_mul(100) / total).clamp(0, 99) as u8
}

/// Catches up (reporting progress as the index's status), marks the index ready, then
/// follows the feed every [`POLL`]. Errors are logged and retried.
pub fn spawn(store: Store, index: Arc<SearchIndex>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match index.opened() {
            search::Opened::Resumed => {}
            search::Opened::Missing => tracing::info!("search index: building a new one"),
            search::Opened::Outdated => {
                tracing::warn!("search index was of another version; rebuilding it")
            }
            search::Opened::Corrupt(e) => {
                tracing::warn!(error = %e, "search index could not be read; rebuilding it")
            }
        }
        let mut caught_up = false;
        loop {
            let step = async {
                if !caught_up {
                    clear_if_foreign(&store, &index).await?;
                    let ix = index.clone();
                    catch_up(&store, &index, |done, total| {
                        ix.set_building(percent(done, total))
                    })
                    .await?;
                    index.set_ready();
                    caught_up = true;
                    tracing::info!(cases = index.num_docs(), "search index ready");
                } else {
                    catch_up(&store, &index, |_, _| {}).await?;
                }
                Ok::<(), IndexerError>(())
            };
            if let Err(e) = step.await {
                tracing::warn!(error = %e, "search indexer: will retry");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            tokio::time::sleep(POLL).await;
        }
    })
}
