//! Documents in SQLite: `doc_updates` (the append-only log, positions from its
//! AUTOINCREMENT id) and `doc_snapshots` (one compacted update per document, with the last
//! position it covers).

use super::SqliteStore;
use crate::store::{DocStore, NewUpdate, StoreError, StoredDoc};
use async_trait::async_trait;
use desk_core::doc::DocId;
use sqlx::Row;

#[async_trait]
impl DocStore for SqliteStore {
    async fn append_batch(&self, batch: &[NewUpdate]) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(batch.len());
        for append in batch {
            let id = sqlx::query("INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)")
                .bind(append.doc.to_string())
                .bind(&append.update)
                .execute(&mut *tx)
                .await?
                .last_insert_rowid();
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn read(&self, doc: &DocId) -> Result<StoredDoc, StoreError> {
        // One read transaction: the snapshot and the log after it are from the same moment.
        let mut tx = self.pool.begin().await?;
        let snapshot = sqlx::query("SELECT upto_id, data FROM doc_snapshots WHERE doc_id = ?").bind(doc.to_string()).fetch_optional(&mut *tx).await?;
        let (upto_id, snapshot) = match snapshot {
            Some(row) => (row.try_get::<i64, _>("upto_id")?, Some(row.try_get::<Vec<u8>, _>("data")?)),
            None => (0, None),
        };
        let log = sqlx::query("SELECT id, data FROM doc_updates WHERE doc_id = ? AND id > ? ORDER BY id")
            .bind(doc.to_string())
            .bind(upto_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("data")?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        tx.commit().await?;
        Ok(StoredDoc { snapshot, log })
    }

    async fn log_len(&self, doc: &DocId) -> Result<usize, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doc_updates WHERE doc_id = ?").bind(doc.to_string()).fetch_one(&self.pool).await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    async fn documents_with_log(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT DISTINCT doc_id FROM doc_updates").fetch_all(&self.pool).await?)
    }

    async fn replace_snapshot(&self, doc: &DocId, upto: i64, snapshot: &[u8]) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let replaced = sqlx::query(
            "INSERT INTO doc_snapshots (doc_id, upto_id, data) VALUES (?, ?, ?)
             ON CONFLICT (doc_id) DO UPDATE SET upto_id = excluded.upto_id, data = excluded.data
             WHERE excluded.upto_id > doc_snapshots.upto_id",
        )
        .bind(doc.to_string())
        .bind(upto)
        .bind(snapshot)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if replaced {
            sqlx::query("DELETE FROM doc_updates WHERE doc_id = ? AND id <= ?").bind(doc.to_string()).bind(upto).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(replaced)
    }
}

#[cfg(test)]
mod tests {
    use super::SqliteStore;

    #[tokio::test]
    async fn keeps_the_doc_store_contract() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        crate::store::contract::doc_store(&store).await;
    }
}
