//! SQLite FTS5 with the trigram tokenizer, for comparison with the search index: the
//! same case texts in a table of their own (content, demands, respondent), searched with
//! `MATCH` and with `LIKE`. Shared by the quality test and the load bench.

#![allow(dead_code)]

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::Row;
use std::path::Path;
use std::str::FromStr;

/// An FTS5 trigram table in its own database file at `path`.
pub async fn open(path: &Path) -> SqlitePool {
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .expect("fts5 url")
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .expect("open fts5 database");
    sqlx::query(
        "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
             content, demands, respondent, tokenize = 'trigram')",
    )
    .execute(&pool)
    .await
    .expect("fts5 with the trigram tokenizer (sqlx's bundled SQLite has it)");
    pool
}

/// Adds rows `(id, content, demands, respondent)`.
pub async fn insert(pool: &SqlitePool, rows: &[(i64, String, String, String)]) {
    let mut tx = pool.begin().await.expect("begin");
    for (id, c, d, r) in rows {
        sqlx::query("INSERT INTO fts (rowid, content, demands, respondent) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(c)
            .bind(d)
            .bind(r)
            .execute(&mut *tx)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
}

/// Fills the table from a Hearken SQLite database's cases, in one statement.
pub async fn fill_from(pool: &SqlitePool, hearken_db: &Path) {
    sqlx::query(&format!(
        "ATTACH DATABASE '{}' AS h",
        hearken_db.display().to_string().replace('\'', "''")
    ))
    .execute(pool)
    .await
    .expect("attach");
    sqlx::query(
        "INSERT INTO fts (rowid, content, demands, respondent)
         SELECT id, content, demands, respondent FROM h.cases",
    )
    .execute(pool)
    .await
    .expect("fill fts5");
    sqlx::query("DETACH DATABASE h")
        .execute(pool)
        .await
        .expect("detach");
}

pub async fn rows(pool: &SqlitePool) -> i64 {
    sqlx::query("SELECT count(*) FROM fts")
        .fetch_one(pool)
        .await
        .expect("count")
        .get(0)
}

/// The FTS5 query for what a clerk types: every word as a quoted string, all required.
pub fn match_expr(q: &str) -> String {
    q.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The ids `MATCH` finds (every word a substring; words under 3 characters find nothing).
pub async fn match_ids(pool: &SqlitePool, q: &str) -> Vec<i64> {
    sqlx::query("SELECT rowid FROM fts WHERE fts MATCH ?")
        .bind(match_expr(q))
        .fetch_all(pool)
        .await
        .expect("match")
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect()
}

/// A first page as the search box shows it: the best 20 by rank.
pub async fn match_page(pool: &SqlitePool, q: &str) -> Vec<i64> {
    sqlx::query("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20")
        .bind(match_expr(q))
        .fetch_all(pool)
        .await
        .expect("match page")
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect()
}

/// The ids `LIKE` finds, every word in some column: the trigram index serves patterns of
/// 3 characters or more; shorter ones scan the table.
pub async fn like_ids(pool: &SqlitePool, q: &str) -> Vec<i64> {
    let words: Vec<&str> = q.split_whitespace().collect();
    let clause = words
        .iter()
        .map(|_| "(content LIKE ? OR demands LIKE ? OR respondent LIKE ?)")
        .collect::<Vec<_>>()
        .join(" AND ");
    let sql = format!("SELECT rowid FROM fts WHERE {clause}");
    let mut query = sqlx::query(&sql);
    for w in &words {
        let pattern = format!("%{w}%");
        query = query
            .bind(pattern.clone())
            .bind(pattern.clone())
            .bind(pattern);
    }
    query
        .fetch_all(pool)
        .await
        .expect("like")
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect()
}
