//! Opening the store and migrating.

use crate::cli::Global;
use anyhow::Context;
use store::Store;

pub async fn open(g: &Global) -> anyhow::Result<Store> {
    let store = match &g.database_url {
        Some(url) => Store::connect(url)
            .await
            .with_context(|| "cannot connect to the database")?,
        None => Store::open_sqlite(&g.data)
            .await
            .with_context(|| format!("cannot open the database in {}", g.data.display()))?,
    };
    Ok(store)
}

/// Opens, migrates and seeds the category tree.
pub async fn open_ready(g: &Global) -> anyhow::Result<Store> {
    let store = open(g).await?;
    store.migrate().await.context("migrations failed")?;
    store.seed_categories().await?;
    Ok(store)
}

pub use app::bootstrap::first_start;
