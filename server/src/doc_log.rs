//! The durable log of collaborative-document updates. An update is checked, then appended
//! and committed (SQLite WAL, synchronous=FULL) before `append` returns, so whatever the
//! server acknowledges survives a crash. `compact` folds a document's log into one snapshot
//! with `merge_updates`, which keeps even updates whose dependencies have not arrived.
//!
//! The sync hub (`crate::sync`) appends; a background task compacts.

use crate::storage::Storage;
use app::doc::{check_update, merge_updates, DocError, DocId};
use sqlx::{Row, SqliteConnection, SqlitePool};

#[derive(Debug, thiserror::Error)]
pub enum DocLogError {
    #[error(transparent)]
    Refused(#[from] DocError),
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
}

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compaction {
    /// Log entries folded into the snapshot (and removed from the log).
    pub folded: usize,
}

#[derive(Clone)]
pub struct DocLog {
    pool: SqlitePool,
}

impl DocLog {
    pub fn new(storage: &Storage) -> Self {
        Self { pool: storage.pool().clone() }
    }

    /// Checks `update` and stores it durably; returns its position in the log.
    pub async fn append(&self, doc: &DocId, update: &[u8]) -> Result<i64, DocLogError> {
        check_update(update)?;
        let id = sqlx::query("INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)")
            .bind(doc.to_string())
            .bind(update)
            .execute(&self.pool)
            .await?
            .last_insert_rowid();
        Ok(id)
    }

    /// The whole stored document as one update, or `None` if nothing was ever stored.
    pub async fn load(&self, doc: &DocId) -> Result<Option<Vec<u8>>, DocLogError> {
        let mut conn = self.pool.acquire().await?;
        let (snapshot, log) = read(&mut conn, doc).await?;
        let mut parts: Vec<Vec<u8>> = snapshot.into_iter().collect();
        parts.extend(log.into_iter().map(|(_, data)| data));
        match parts.len() {
            0 => Ok(None),
            1 => Ok(parts.pop()),
            _ => Ok(Some(merge_updates(&parts)?)),
        }
    }

    /// Number of updates in the log not yet folded into the snapshot.
    pub async fn log_len(&self, doc: &DocId) -> Result<usize, DocLogError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doc_updates WHERE doc_id = ?")
            .bind(doc.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Documents with updates not yet folded into their snapshot.
    pub async fn documents_with_log(&self) -> Result<Vec<DocId>, DocLogError> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT DISTINCT doc_id FROM doc_updates")
            .fetch_all(&self.pool)
            .await?;
        Ok(ids.iter().filter_map(|id| DocId::parse(id).ok()).collect())
    }

    /// Compacts every document that has a log, forever, pausing `every` between rounds.
    pub async fn compact_forever(self, every: std::time::Duration) {
        loop {
            tokio::time::sleep(every).await;
            match self.documents_with_log().await {
                Ok(ids) => {
                    for id in ids {
                        if let Err(e) = self.compact(&id).await {
                            tracing::warn!("compacting {id}: {e}");
                        }
                    }
                }
                Err(e) => tracing::warn!("listing documents to compact: {e}"),
            }
        }
    }

    /// Folds the log into the snapshot in one transaction. Updates appended meanwhile stay in
    /// the log for the next compaction.
    pub async fn compact(&self, doc: &DocId) -> Result<Compaction, DocLogError> {
        let mut tx = self.pool.begin().await?;
        let (snapshot, log) = read(&mut tx, doc).await?;
        let Some(&(upto_id, _)) = log.last() else {
            return Ok(Compaction { folded: 0 });
        };
        let mut parts: Vec<Vec<u8>> = snapshot.into_iter().collect();
        let folded = log.len();
        parts.extend(log.into_iter().map(|(_, data)| data));
        let merged = merge_updates(&parts)?;
        sqlx::query(
            "INSERT INTO doc_snapshots (doc_id, upto_id, data) VALUES (?, ?, ?)
             ON CONFLICT (doc_id) DO UPDATE SET upto_id = excluded.upto_id, data = excluded.data",
        )
        .bind(doc.to_string())
        .bind(upto_id)
        .bind(&merged)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM doc_updates WHERE doc_id = ? AND id <= ?")
            .bind(doc.to_string())
            .bind(upto_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Compaction { folded })
    }
}

/// A document's snapshot and the log entries after it.
async fn read(conn: &mut SqliteConnection, doc: &DocId) -> Result<(Option<Vec<u8>>, Vec<(i64, Vec<u8>)>), DocLogError> {
    let snapshot = sqlx::query("SELECT upto_id, data FROM doc_snapshots WHERE doc_id = ?")
        .bind(doc.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let (upto_id, snapshot) = match snapshot {
        Some(row) => (row.try_get::<i64, _>("upto_id")?, Some(row.try_get::<Vec<u8>, _>("data")?)),
        None => (0, None),
    };
    let log = sqlx::query("SELECT id, data FROM doc_updates WHERE doc_id = ? AND id > ? ORDER BY id")
        .bind(doc.to_string())
        .bind(upto_id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("data")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((snapshot, log))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::doc::testing::dependent_chain;
    use app::doc::{TorDoc, TorSection};

    async fn open(dir: &std::path::Path) -> (Storage, DocLog) {
        let storage = Storage::open(dir).await.unwrap();
        let log = DocLog::new(&storage);
        (storage, log)
    }

    fn text_of(update: &[u8], section: TorSection) -> String {
        let doc = TorDoc::new(999);
        doc.apply_update(update).unwrap();
        doc.text(section)
    }

    #[tokio::test]
    async fn appended_updates_survive_a_reopen_and_compaction() {
        let dir = tempfile::tempdir().unwrap();
        let id = DocId::parse("tor/nps").unwrap();
        let other = DocId::parse("tor/stimulants").unwrap();
        let author = TorDoc::new(1);
        {
            let (storage, log) = open(dir.path()).await;
            assert_eq!(log.load(&id).await.unwrap(), None);
            for word in ["Early ", "warning ", "systems"] {
                let at = author.len(TorSection::Scope);
                log.append(&id, &author.splice(TorSection::Scope, at, 0, word)).await.unwrap();
            }
            log.append(&other, &TorDoc::new(2).splice(TorSection::Scope, 0, 0, "other")).await.unwrap();
            storage.close().await;
        }
        let (_storage, log) = open(dir.path()).await;
        let loaded = log.load(&id).await.unwrap().unwrap();
        assert_eq!(text_of(&loaded, TorSection::Scope), "Early warning systems");
        assert_eq!(log.log_len(&id).await.unwrap(), 3);

        assert_eq!(log.compact(&id).await.unwrap(), Compaction { folded: 3 });
        assert_eq!(log.log_len(&id).await.unwrap(), 0);
        assert_eq!(log.log_len(&other).await.unwrap(), 1, "other documents are untouched");
        assert_eq!(log.compact(&id).await.unwrap(), Compaction { folded: 0 });

        let at = author.len(TorSection::Scope);
        log.append(&id, &author.splice(TorSection::Scope, at, 0, " (EWS)")).await.unwrap();
        let loaded = log.load(&id).await.unwrap().unwrap();
        assert_eq!(text_of(&loaded, TorSection::Scope), "Early warning systems (EWS)");
        assert_eq!(text_of(&log.load(&other).await.unwrap().unwrap(), TorSection::Scope), "other");
    }

    #[tokio::test]
    async fn out_of_order_updates_are_kept_through_compaction() {
        let dir = tempfile::tempdir().unwrap();
        let (_storage, log) = open(dir.path()).await;
        let id = DocId::parse("tor/mednet").unwrap();
        let s = TorSection::Purpose;
        let [u1, u2, u3] = dependent_chain(s);
        log.append(&id, &u3).await.unwrap();
        log.append(&id, &u2).await.unwrap();
        log.compact(&id).await.unwrap();
        log.append(&id, &u1).await.unwrap();
        log.compact(&id).await.unwrap();
        assert_eq!(text_of(&log.load(&id).await.unwrap().unwrap(), s), "a");
    }

    #[tokio::test]
    async fn garbage_is_refused_and_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (_storage, log) = open(dir.path()).await;
        let id = DocId::parse("tor/nps").unwrap();
        let err = log.append(&id, b"\xff\xff\xff\xff").await.unwrap_err();
        assert!(matches!(err, DocLogError::Refused(_)), "{err}");
        assert_eq!(log.log_len(&id).await.unwrap(), 0);
        assert_eq!(log.load(&id).await.unwrap(), None);
    }
}
