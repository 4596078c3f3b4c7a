//! The durable log of collaborative-document updates, over any [`DocStore`]. An update is
//! checked, then appended and committed (SQLite: WAL, synchronous=FULL) before `append`
//! returns, so whatever the server acknowledges survives a crash. `compact` folds a document's log into one snapshot
//! with `merge_updates`, which keeps even updates whose dependencies have not arrived.
//!
//! Appends are group-committed: one writer task takes every append queued while the previous
//! commit was under way, writes them in one transaction, commits (one fsync) and only then
//! answers each caller. Under load many updates share an fsync; alone, an update waits for
//! nothing but its own commit.
//!
//! The sync hub (`crate::sync`) appends; a background task compacts.

use crate::store::{DocStore, NewUpdate, StoreError, StoredDoc};
use desk_core::doc::{check_update, merge_updates, DocError, DocId};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// An update that changes nothing (v1: no structs, empty delete set), as a sync step 2 from
/// a peer that has nothing new. Acknowledged, never stored.
pub const EMPTY_UPDATE: [u8; 2] = [0, 0];

/// Appends waiting for the writer; callers wait beyond this (backpressure).
const QUEUE: usize = 4096;
/// Most appends in one transaction.
const MAX_BATCH: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum DocLogError {
    #[error(transparent)]
    Refused(#[from] DocError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A group commit failed; every append in it gets the same error.
    #[error(transparent)]
    Commit(Arc<StoreError>),
    #[error("the log writer has stopped")]
    Stopped,
}

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compaction {
    /// Log entries folded into the snapshot (and removed from the log).
    pub folded: usize,
}

/// One update waiting to be written, and who waits for its commit.
struct Append {
    update: NewUpdate,
    done: oneshot::Sender<Result<i64, DocLogError>>,
}

#[derive(Clone)]
pub struct DocLog {
    store: Arc<dyn DocStore>,
    appends: mpsc::Sender<Append>,
    #[cfg_attr(not(test), allow(dead_code))]
    commits: Arc<AtomicU64>,
}

impl DocLog {
    /// Opens the log on `store` and starts its writer task (so: inside a Tokio runtime).
    /// The writer stops when the last clone of the log is dropped.
    pub fn new(store: Arc<dyn DocStore>) -> Self {
        let (appends, queue) = mpsc::channel(QUEUE);
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_batches(store.clone(), queue, commits.clone()));
        Self { store, appends, commits }
    }

    /// Checks `update` and stores it durably; returns its position in the log, or `None` for
    /// an update that changes nothing (accepted, not stored). Appends from one caller keep
    /// their order.
    pub async fn append(&self, doc: &DocId, update: &[u8]) -> Result<Option<i64>, DocLogError> {
        if update == EMPTY_UPDATE {
            return Ok(None);
        }
        check_update(update)?;
        let (done, committed) = oneshot::channel();
        let append = Append { update: NewUpdate { doc: doc.clone(), update: update.to_vec() }, done };
        self.appends.send(append).await.map_err(|_| DocLogError::Stopped)?;
        committed.await.map_err(|_| DocLogError::Stopped)?.map(Some)
    }

    /// Group commits so far (each one transaction, one fsync).
    #[cfg(test)]
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// The whole stored document as one update, or `None` if nothing was ever stored.
    pub async fn load(&self, doc: &DocId) -> Result<Option<Vec<u8>>, DocLogError> {
        let mut parts = parts(self.store.read(doc).await?);
        match parts.len() {
            0 => Ok(None),
            1 => Ok(parts.pop()),
            _ => Ok(Some(merge_updates(&parts)?)),
        }
    }

    /// Number of updates in the log not yet folded into the snapshot.
    pub async fn log_len(&self, doc: &DocId) -> Result<usize, DocLogError> {
        Ok(self.store.log_len(doc).await?)
    }

    /// Documents with updates not yet folded into their snapshot.
    pub async fn documents_with_log(&self) -> Result<Vec<DocId>, DocLogError> {
        let ids = self.store.documents_with_log().await?;
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

    /// Folds the log into the snapshot (atomically, in the store). Updates appended meanwhile
    /// stay in the log for the next compaction; if another compaction of the document got
    /// there first, this one folds nothing.
    pub async fn compact(&self, doc: &DocId) -> Result<Compaction, DocLogError> {
        let stored = self.store.read(doc).await?;
        let Some(&(upto, _)) = stored.log.last() else {
            return Ok(Compaction { folded: 0 });
        };
        let folded = stored.log.len();
        let merged = merge_updates(&parts(stored))?;
        let replaced = self.store.replace_snapshot(doc, upto, &merged).await?;
        Ok(Compaction { folded: if replaced { folded } else { 0 } })
    }
}

/// A stored document's pieces, snapshot first, ready for `merge_updates`.
fn parts(StoredDoc { snapshot, log }: StoredDoc) -> Vec<Vec<u8>> {
    snapshot.into_iter().chain(log.into_iter().map(|(_, data)| data)).collect()
}

/// The writer: each round takes everything queued (up to [`MAX_BATCH`]), writes it in one
/// transaction and answers every caller after the commit.
async fn write_batches(store: Arc<dyn DocStore>, mut queue: mpsc::Receiver<Append>, commits: Arc<AtomicU64>) {
    let mut batch: Vec<Append> = Vec::with_capacity(MAX_BATCH);
    let mut updates: Vec<NewUpdate> = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (done, taken): (Vec<_>, Vec<_>) = batch.drain(..).map(|append| (append.done, append.update)).unzip();
        updates.extend(taken);
        match store.append_batch(&updates).await {
            Ok(ids) => {
                commits.fetch_add(1, Ordering::Relaxed);
                for (done, id) in done.into_iter().zip(ids) {
                    let _ = done.send(Ok(id));
                }
            }
            Err(e) => {
                let e = Arc::new(e);
                for done in done {
                    let _ = done.send(Err(DocLogError::Commit(e.clone())));
                }
            }
        }
        updates.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use desk_core::doc::testing::dependent_chain;
    use desk_core::doc::{TorDoc, TorSection};

    async fn open(dir: &std::path::Path) -> (SqliteStore, DocLog) {
        let storage = SqliteStore::open(dir).await.unwrap();
        let log = DocLog::new(Arc::new(storage.clone()));
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
    async fn concurrent_appends_share_commits_and_all_land_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let (storage, log) = open(dir.path()).await;
        let id = DocId::parse("tor/nps").unwrap();
        let (writers, each) = (50u64, 20);
        // Every writer appends its words one after the other; the writers run concurrently.
        let results = futures_util::future::join_all((1..=writers).map(|w| {
            let (log, id) = (log.clone(), id.clone());
            async move {
                let author = TorDoc::new(w);
                let mut positions = Vec::new();
                for i in 0..each {
                    let at = author.len(TorSection::Scope);
                    let update = author.splice(TorSection::Scope, at, 0, &format!("w{w}i{i};"));
                    positions.push(log.append(&id, &update).await.unwrap().expect("stored"));
                }
                positions
            }
        }))
        .await;
        for positions in &results {
            assert!(positions.windows(2).all(|p| p[0] < p[1]), "one writer's appends keep their order: {positions:?}");
        }
        let total = (writers * each) as usize;
        let mut all: Vec<i64> = results.concat();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), total, "every append has its own position");
        assert!(log.commits() < total as u64 / 4, "{} commits for {total} appends", log.commits());

        // All of it is durable: a reopened log has every word.
        storage.close().await;
        let (_storage, log) = open(dir.path()).await;
        assert_eq!(log.log_len(&id).await.unwrap(), total);
        let text = text_of(&log.load(&id).await.unwrap().unwrap(), TorSection::Scope);
        for w in 1..=writers {
            for i in 0..each {
                assert!(text.contains(&format!("w{w}i{i};")), "w{w}i{i} missing");
            }
        }
    }

    #[tokio::test]
    async fn empty_updates_are_accepted_and_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let (_storage, log) = open(dir.path()).await;
        let id = DocId::parse("tor/nps").unwrap();
        // What a replica with nothing new sends as its sync step 2.
        let (empty, _) = TorDoc::new(1).answer_step1(&Default::default());
        assert_eq!(empty, EMPTY_UPDATE);
        assert_eq!(log.append(&id, &empty).await.unwrap(), None);
        assert_eq!(log.log_len(&id).await.unwrap(), 0);
        assert_eq!(log.load(&id).await.unwrap(), None);
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
