//! The server's SQLite database (one file in the data directory): its schema (migrations run
//! by sqlx), first-start seeding of the programme, and reading the programme back. Queries are checked at run time (sqlx
//! without compile-time database).
//!
//! Priorities, actions, their outputs and the permanent activities are rows; the programme's
//! prose (introduction, principles, working methods …) is one JSON value, read whole.

use desk_core::model::{seed, Action, ActivityFormat, Output, PermanentActivity, Priority, Programme};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use std::str::FromStr;

/// The schema: `server/migrations/NNNN_*.sql`, step N in file N, run in order by sqlx, which
/// records each applied step (name, checksum) in `_sqlx_migrations`. Before sqlx did this,
/// steps 1–5 were counted in `PRAGMA user_version`; those steps are written with
/// `IF NOT EXISTS`, so a database made then (any version 1–5) is brought up to date the same
/// way, and the steps keep setting `user_version` for anyone who reads it. A new step is a
/// new file (never an edit of an applied one: sqlx refuses a changed checksum).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Pooled SQLite connections (see [`Storage::open`]).
const POOL_SIZE: u32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database schema: {0}")]
    Schema(#[from] sqlx::migrate::MigrateError),
    #[error("stored programme is unreadable: {0}")]
    Corrupt(String),
}

impl From<serde_json::Error> for StorageError {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(e.to_string())
    }
}

#[derive(Clone)]
pub struct Storage {
    pool: SqlitePool,
}

impl Storage {
    /// Opens (creating if needed) `programme-desk.db` in `data_dir` and brings its schema up
    /// to date.
    pub async fn open(data_dir: &Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StorageError::Corrupt(format!("cannot create data dir {}: {e}", data_dir.display())))?;
        let options = SqliteConnectOptions::from_str("sqlite:")?
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
        let storage = Self { pool };
        storage.migrate().await?;
        Ok(storage)
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Stores the seed programme unless a programme is already stored. Returns whether it
    /// seeded. Idempotent: a restart does not duplicate anything.
    pub async fn seed_if_empty(&self) -> Result<bool, StorageError> {
        let mut tx = self.pool.begin().await?;
        let seeded: Option<String> = sqlx::query_scalar("SELECT value FROM programme_meta WHERE key = 'seed_version'").fetch_optional(&mut *tx).await?;
        if seeded.is_some() {
            return Ok(false);
        }
        let programme = seed::try_programme().map_err(StorageError::Corrupt)?;
        write_programme(&mut tx, &programme).await?;
        sqlx::query("INSERT INTO programme_meta (key, value) VALUES ('seed_version', ?)").bind(seed::SEED_VERSION).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Reads the whole programme back and checks its invariants.
    pub async fn load_programme(&self) -> Result<Programme, StorageError> {
        let texts: String = sqlx::query_scalar("SELECT json FROM programme_texts WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StorageError::Corrupt("no programme stored".into()))?;
        let mut programme: Programme = serde_json::from_str(&texts)?;

        let outputs = sqlx::query("SELECT action_id, output FROM action_outputs ORDER BY action_id, position").fetch_all(&self.pool).await?;
        let actions = sqlx::query("SELECT id, priority_id, parent_id, title, format FROM actions ORDER BY position").fetch_all(&self.pool).await?;
        let priorities = sqlx::query("SELECT id, number, title, items_json FROM priorities ORDER BY position").fetch_all(&self.pool).await?;

        for row in priorities {
            let id: String = row.try_get("id")?;
            let mut priority = Priority {
                number: u8::try_from(row.try_get::<i64, _>("number")?).map_err(|e| StorageError::Corrupt(e.to_string()))?,
                title: row.try_get("title")?,
                items: serde_json::from_str(row.try_get::<&str, _>("items_json")?)?,
                actions: Vec::new(),
                id,
            };
            for row in actions.iter().filter(|r| r.get::<&str, _>("priority_id") == priority.id) {
                let id: String = row.try_get("id")?;
                let format: &str = row.try_get("format")?;
                let outputs = outputs
                    .iter()
                    .filter(|o| o.get::<&str, _>("action_id") == id)
                    .map(|o| {
                        let key: &str = o.get("output");
                        Output::from_key(key).ok_or_else(|| StorageError::Corrupt(format!("unknown output {key:?}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                priority.actions.push(Action {
                    format: ActivityFormat::from_key(format).ok_or_else(|| StorageError::Corrupt(format!("unknown format {format:?}")))?,
                    title: row.try_get("title")?,
                    parent: row.try_get("parent_id")?,
                    level: 0,
                    priority: String::new(),
                    outputs,
                    id,
                });
            }
            programme.priorities.push(priority);
        }

        let activities = sqlx::query(
            "SELECT id, name, aims, expected_results_lead, expected_results_json
             FROM permanent_activities ORDER BY position",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in activities {
            programme.permanent_activities.push(PermanentActivity {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                aims: row.try_get("aims")?,
                expected_results_lead: row.try_get("expected_results_lead")?,
                expected_results: serde_json::from_str(row.try_get::<&str, _>("expected_results_json")?)?,
            });
        }

        programme.derive_fields();
        programme.validate().map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok(programme)
    }

    /// Row counts of the programme tables, for tests and diagnostics.
    pub async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, StorageError> {
        let mut out = Vec::new();
        for table in ["programme_texts", "priorities", "actions", "action_outputs", "permanent_activities"] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.pool).await?;
            out.push((table, n));
        }
        Ok(out)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn write_programme(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, programme: &Programme) -> Result<(), StorageError> {
    // The prose: everything but the rows below.
    let mut texts = programme.clone();
    texts.priorities.clear();
    texts.permanent_activities.clear();
    sqlx::query("INSERT INTO programme_texts (id, json) VALUES (1, ?)").bind(serde_json::to_string(&texts)?).execute(&mut **tx).await?;

    let mut action_position = 0i64;
    for (position, priority) in programme.priorities.iter().enumerate() {
        sqlx::query("INSERT INTO priorities (id, position, number, title, items_json) VALUES (?, ?, ?, ?, ?)")
            .bind(&priority.id)
            .bind(position as i64)
            .bind(i64::from(priority.number))
            .bind(&priority.title)
            .bind(serde_json::to_string(&priority.items)?)
            .execute(&mut **tx)
            .await?;
        for action in &priority.actions {
            sqlx::query("INSERT INTO actions (id, position, priority_id, parent_id, title, format) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(&action.id)
                .bind(action_position)
                .bind(&priority.id)
                .bind(&action.parent)
                .bind(&action.title)
                .bind(action.format.key())
                .execute(&mut **tx)
                .await?;
            action_position += 1;
            for (position, output) in action.outputs.iter().enumerate() {
                sqlx::query("INSERT INTO action_outputs (action_id, output, position) VALUES (?, ?, ?)")
                    .bind(&action.id)
                    .bind(output.key())
                    .bind(position as i64)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    for (position, activity) in programme.permanent_activities.iter().enumerate() {
        sqlx::query(
            "INSERT INTO permanent_activities (id, position, name, aims, expected_results_lead, expected_results_json)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&activity.id)
        .bind(position as i64)
        .bind(&activity.name)
        .bind(&activity.aims)
        .bind(&activity.expected_results_lead)
        .bind(serde_json::to_string(&activity.expected_results)?)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn seeds_once_and_reads_back_the_seed_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).await.unwrap();
        assert!(storage.seed_if_empty().await.unwrap());
        let counts = storage.row_counts().await.unwrap();
        assert!(!storage.seed_if_empty().await.unwrap());
        assert_eq!(storage.row_counts().await.unwrap(), counts);
        assert_eq!(storage.load_programme().await.unwrap(), seed::programme());
        storage.close().await;

        // A restart (a new pool on the same file) neither reseeds nor duplicates.
        let storage = Storage::open(dir.path()).await.unwrap();
        assert!(!storage.seed_if_empty().await.unwrap());
        assert_eq!(storage.row_counts().await.unwrap(), counts);
        let expected_actions = counts.iter().find(|(t, _)| *t == "actions").unwrap().1;
        assert_eq!(expected_actions, 26);
    }

    #[tokio::test]
    async fn a_database_from_an_earlier_version_is_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        {
            let options = SqliteConnectOptions::from_str("sqlite:").unwrap().filename(dir.path().join("programme-desk.db")).create_if_missing(true);
            let pool = SqlitePoolOptions::new().connect_with(options).await.unwrap();
            sqlx::raw_sql(include_str!("../migrations/0001_programme.sql")).execute(&pool).await.unwrap();
            pool.close().await;
        }
        let storage = Storage::open(dir.path()).await.unwrap();
        let version: i64 = sqlx::query_scalar("PRAGMA user_version").fetch_one(&storage.pool).await.unwrap();
        assert_eq!(version, 5);
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success").fetch_one(&storage.pool).await.unwrap();
        assert_eq!(applied as usize, MIGRATOR.iter().count());
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doc_updates").fetch_one(&storage.pool).await.unwrap();
        assert_eq!(n, 0);
        assert!(storage.seed_if_empty().await.unwrap());
    }

    #[tokio::test]
    async fn a_corrupted_row_is_reported_not_panicked_on() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).await.unwrap();
        storage.seed_if_empty().await.unwrap();
        sqlx::query("UPDATE actions SET format = 'carrier pigeon' WHERE id = 'nps'").execute(&storage.pool).await.unwrap();
        let err = storage.load_programme().await.unwrap_err();
        assert!(err.to_string().contains("carrier pigeon"), "{err}");
    }
}
