//! The SQLite store: one file, `programme-desk.db`, in the data directory (WAL,
//! synchronous=FULL), its schema run by `sqlx::migrate!` from `server/migrations/`.
//! `programme.rs`, `docs.rs`, `accounts.rs`, `evaluations.rs` and `outcomes.rs` implement
//! the store traits on it.

mod accounts;
mod delegations;
mod docs;
mod evaluations;
mod outcomes;
mod programme;
mod templates;

use super::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;

/// The schema: `server/migrations/NNNN_*.sql`, step N in file N, run in order by sqlx, which
/// records each applied step (name, checksum) in `_sqlx_migrations`. Before sqlx did this,
/// steps 1–5 were counted in `PRAGMA user_version`; those steps are written with
/// `IF NOT EXISTS`, so a database made then (any version 1–5) is brought up to date the same
/// way, and the steps keep setting `user_version` for anyone who reads it. A new step is a
/// new file (never an edit of an applied one: sqlx refuses a changed checksum).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Pooled SQLite connections (see [`SqliteStore::open`]).
const POOL_SIZE: u32 = 2;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(Box::new(e))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Database(Box::new(e))
    }
}

/// The programme and the documents in one SQLite database.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) `programme-desk.db` in `data_dir` and brings its schema up
    /// to date.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Database(format!("cannot create data dir {}: {e}", data_dir.display()).into()))?;
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join("programme-desk.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // 500 KiB of page cache per connection instead of SQLite's default 2 MiB: the
            // working set is the tail of `doc_updates` and its index, and the OS page cache
            // holds the rest (about 3 MiB of peak RSS on the second sync load).
            .pragma("cache_size", "-500");
        // Two connections: one for the group-commit writer (`doc_log.rs`), one for everything
        // else (loading a room, compaction, the API). Each SQLite connection is a thread of
        // its own with its own page cache: four cost about 3.5 MiB more on the second sync load.
        let pool = SqlitePoolOptions::new().max_connections(POOL_SIZE).connect_with(options).await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// Closes every connection (at shutdown; the WAL is checkpointed).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ProgrammeStore;

    #[tokio::test]
    async fn a_database_from_an_earlier_version_is_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        {
            let options = SqliteConnectOptions::new().filename(dir.path().join("programme-desk.db")).create_if_missing(true);
            let pool = SqlitePoolOptions::new().connect_with(options).await.unwrap();
            sqlx::raw_sql(include_str!("../../../migrations/0001_programme.sql")).execute(&pool).await.unwrap();
            pool.close().await;
        }
        let storage = SqliteStore::open(dir.path()).await.unwrap();
        let version: i64 = sqlx::query_scalar("PRAGMA user_version").fetch_one(&storage.pool).await.unwrap();
        assert_eq!(version, 9);
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success").fetch_one(&storage.pool).await.unwrap();
        assert_eq!(applied as usize, MIGRATOR.iter().count());
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doc_updates").fetch_one(&storage.pool).await.unwrap();
        assert_eq!(n, 0);
        assert!(storage.seed_if_empty().await.unwrap());
    }
}
