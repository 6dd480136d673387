//! Opening the database: the backend from the URL, SQLite's durability settings, and
//! migrations (under an advisory lock on PostgreSQL).

use crate::{Result, Store, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{Executor, Row};
use std::path::Path;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a connection (or a transaction on one) talks to.
    pub(crate) fn of(conn: &sqlx::AnyConnection) -> Backend {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl Store {
    /// Opens embedded SQLite at `dir/hearken.db`, creating the folder and the file.
    pub async fn open_sqlite(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Data(format!("{}: {e}", dir.display())))?;
        let file = dir.join("hearken.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        Store::connect(&url).await
    }

    /// Connects to `sqlite://…` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Data(format!(
                "unsupported database URL (use sqlite:// or postgres://): {url}"
            )));
        };
        match backend {
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .min_connections(0)
                    .acquire_timeout(Duration::from_secs(10))
                    .idle_timeout(Duration::from_secs(300))
                    .connect(url)
                    .await?;
                // Several writers: batches for different units commit in parallel.
                let batcher = Some(crate::register_batch::Batcher::start(pool.clone(), 4));
                Ok(Store {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    batcher,
                })
            }
            Backend::Sqlite => {
                let write = sqlite_pool(url, 1, 8_000).await?;
                let read = sqlite_pool(url, 4, 4_000).await?;
                let batcher = Some(crate::register_batch::Batcher::start(write.clone(), 1));
                Ok(Store {
                    read,
                    write,
                    backend,
                    batcher,
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies pending migrations. On PostgreSQL, sqlx holds an advisory lock while it
    /// does, so several instances starting at once migrate exactly once.
    pub async fn migrate(&self) -> Result<()> {
        self.migrator().run(&self.write).await?;
        self.keep_planner_hints().await
    }

    /// Undoes every migration down to (and excluding) `target`; `0` empties the schema.
    pub async fn migrate_down(&self, target: i64) -> Result<()> {
        self.migrator().undo(&self.write, target).await?;
        Ok(())
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        let row = sqlx::query("SELECT 1 AS one").fetch_one(&self.read).await?;
        let one: i64 = row.try_get("one")?;
        (one == 1)
            .then_some(())
            .ok_or_else(|| StoreError::Data("ping".into()))
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// SQLite pools. WAL lets readers work beside the writer; `synchronous=FULL` makes every
/// acknowledged commit survive a power cut.
async fn sqlite_pool(url: &str, max: u32, cache_kib: u32) -> Result<sqlx::AnyPool> {
    let pool = AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(0)
        .idle_timeout(Duration::from_secs(120))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = FULL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                // Page cache per connection, in KiB: the OS caches the file as well.
                conn.execute(format!("PRAGMA cache_size = -{cache_kib}").as_str())
                    .await?;
                Ok(())
            })
        })
        .connect(url)
        .await?;
    Ok(pool)
}

#[cfg(feature = "testing")]
impl Store {
    /// Runs one administrative statement (such as `CREATE DATABASE`) outside a transaction.
    /// Raw SQL: only for tests and benchmarks (feature `testing`).
    pub async fn execute_admin(&self, sql: &str) -> Result<()> {
        sqlx::raw_sql(sql).execute(&self.write).await?;
        Ok(())
    }
}
