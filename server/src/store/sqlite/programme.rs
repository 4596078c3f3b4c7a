//! The programme in SQLite: priorities, actions, their outputs and the permanent activities
//! are rows; the programme's prose (introduction, principles, working methods …) is one JSON
//! value, read whole. Queries are checked at run time (sqlx without a compile-time database).

use super::SqliteStore;
use crate::store::{ProgrammeStore, StoreError};
use async_trait::async_trait;
use desk_core::model::{seed, Action, ActivityFormat, Output, PermanentActivity, Priority, Programme};
use sqlx::Row;

#[async_trait]
impl ProgrammeStore for SqliteStore {
    async fn seed_if_empty(&self) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let seeded: Option<String> = sqlx::query_scalar("SELECT value FROM programme_meta WHERE key = 'seed_version'").fetch_optional(&mut *tx).await?;
        if seeded.is_some() {
            return Ok(false);
        }
        let programme = seed::try_programme().map_err(StoreError::Corrupt)?;
        write_programme(&mut tx, &programme).await?;
        sqlx::query("INSERT INTO programme_meta (key, value) VALUES ('seed_version', ?)").bind(seed::SEED_VERSION).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Reads the whole programme back and checks its invariants.
    async fn load_programme(&self) -> Result<Programme, StoreError> {
        let texts: String = sqlx::query_scalar("SELECT json FROM programme_texts WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::Corrupt("no programme stored".into()))?;
        let mut programme: Programme = serde_json::from_str(&texts)?;

        let outputs = sqlx::query("SELECT action_id, output FROM action_outputs ORDER BY action_id, position").fetch_all(&self.pool).await?;
        let actions = sqlx::query("SELECT id, priority_id, parent_id, title, format FROM actions ORDER BY position").fetch_all(&self.pool).await?;
        let priorities = sqlx::query("SELECT id, number, title, items_json FROM priorities ORDER BY position").fetch_all(&self.pool).await?;

        for row in priorities {
            let id: String = row.try_get("id")?;
            let mut priority = Priority {
                number: u8::try_from(row.try_get::<i64, _>("number")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
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
                        Output::from_key(key).ok_or_else(|| StoreError::Corrupt(format!("unknown output {key:?}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                priority.actions.push(Action {
                    format: ActivityFormat::from_key(format).ok_or_else(|| StoreError::Corrupt(format!("unknown format {format:?}")))?,
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
        programme.validate().map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(programme)
    }

    async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        let mut out = Vec::new();
        for table in ["programme_texts", "priorities", "actions", "action_outputs", "permanent_activities"] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.pool).await?;
            out.push((table, n));
        }
        Ok(out)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

async fn write_programme(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, programme: &Programme) -> Result<(), StoreError> {
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
        let storage = SqliteStore::open(dir.path()).await.unwrap();
        assert!(storage.seed_if_empty().await.unwrap());
        let counts = storage.row_counts().await.unwrap();
        assert!(!storage.seed_if_empty().await.unwrap());
        assert_eq!(storage.row_counts().await.unwrap(), counts);
        assert_eq!(storage.load_programme().await.unwrap(), seed::programme());
        storage.close().await;

        // A restart (a new pool on the same file) neither reseeds nor duplicates.
        let storage = SqliteStore::open(dir.path()).await.unwrap();
        assert!(!storage.seed_if_empty().await.unwrap());
        assert_eq!(storage.row_counts().await.unwrap(), counts);
        let expected_actions = counts.iter().find(|(t, _)| *t == "actions").unwrap().1;
        assert_eq!(expected_actions, 26);
    }

    #[tokio::test]
    async fn a_corrupted_row_is_reported_not_panicked_on() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStore::open(dir.path()).await.unwrap();
        storage.seed_if_empty().await.unwrap();
        sqlx::query("UPDATE actions SET format = 'carrier pigeon' WHERE id = 'nps'").execute(&storage.pool).await.unwrap();
        let err = storage.load_programme().await.unwrap_err();
        assert!(err.to_string().contains("carrier pigeon"), "{err}");
    }
}
