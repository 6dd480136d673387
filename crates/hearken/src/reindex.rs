//! `hearken reindex`: empties this instance's search index and reads the whole event
//! feed into it again, with a progress bar. `serve` does the same by itself, in the
//! background, when it finds the index missing, unreadable or of another database.

use crate::bootstrap;
use crate::cli::Global;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Arc;
use std::time::Instant;
use store::FeedPosition;

pub async fn run(g: &Global) -> anyhow::Result<()> {
    let store = bootstrap::open_ready(g).await?;
    let dir = g.data.join("search");
    let index = Arc::new(
        search::SearchIndex::open_or_create(&dir)
            .with_context(|| format!("cannot open the search index in {}", dir.display()))?,
    );
    index.use_rebuild_writer();
    let started = Instant::now();
    let ix = index.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        ix.clear()?;
        ix.commit(&FeedPosition::START.to_string())?;
        Ok(())
    })
    .await?
    .with_context(|| {
        format!(
            "cannot write the search index in {} (is `hearken serve` running on this data folder?)",
            dir.display()
        )
    })?;
    let last = store.last_event_seq().await?;
    let bar = ProgressBar::new(last.max(0) as u64);
    bar.set_style(
        ProgressStyle::with_template("reindex [{bar:40}] {pos}/{len} events, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let events = app::search_indexer::catch_up(&store, &index, |done, total| {
        bar.set_length(total.max(0) as u64);
        bar.set_position(done.max(0) as u64);
    })
    .await
    .map_err(|e| anyhow::anyhow!("reindex: {e}"))?;
    bar.finish_and_clear();
    println!(
        "search index rebuilt: {} cases from {events} events in {:.1} s ({})",
        index.num_docs(),
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    store.close().await;
    Ok(())
}
