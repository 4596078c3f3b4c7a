//! Storage behind traits: what the server asks of its database, so that another database
//! (PostgreSQL for installations on several machines) can sit beside SQLite without the sync
//! hub, the gate or the pages changing. [`sqlite`] is the implementation used today.
//!
//! - [`ProgrammeStore`]: the adopted programme (seeded once, read back whole).
//! - [`DocStore`]: each document's append-only update log and its compacted snapshot; the
//!   group commit and the compaction policy around it are `crate::doc_log`'s, not a store's.
//! - [`evaluations::EvaluationStore`]: evaluations, their submissions and kept drafts.
//! - [`accounts::AccountStore`]: accounts, groups, memberships, sessions, document
//!   policies, invitations, server secrets and the audit log.

pub mod accounts;
pub mod delegations;
pub mod evaluations;
pub mod outcomes;
pub mod sqlite;
pub mod templates;

use async_trait::async_trait;
use desk_core::doc::DocId;
use desk_core::model::Programme;

/// Anything a store could not do. The text is for the log, never for a client.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed (unreachable, full, locked, a constraint, its schema).
    #[error("database: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// What is stored cannot be read back as the type it should be.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(e.to_string())
    }
}

/// The adopted programme. Written once from the seed, then read back and served.
#[async_trait]
pub trait ProgrammeStore: Send + Sync + 'static {
    /// Stores the seed programme unless a programme is already stored; whether it seeded.
    /// Idempotent: a restart does not duplicate anything.
    async fn seed_if_empty(&self) -> Result<bool, StoreError>;
    /// The stored programme, validated (`StoreError::Corrupt` names what does not fit).
    async fn load_programme(&self) -> Result<Programme, StoreError>;
    /// Rows per programme table (table name, count), for tests and diagnostics.
    async fn row_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError>;
    /// Whether the database answers (for `/healthz`).
    async fn ping(&self) -> Result<(), StoreError>;
}

/// One update to append to a document's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpdate {
    pub doc: DocId,
    /// A yrs v1 update, already checked by the caller.
    pub update: Vec<u8>,
}

/// A document as stored: the snapshot (if it was ever compacted) and the log entries after
/// it, oldest first, each with its position in the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDoc {
    pub snapshot: Option<Vec<u8>>,
    pub log: Vec<(i64, Vec<u8>)>,
}

/// Documents' durable update logs and snapshots. Positions in the log grow with every append
/// (across documents); a snapshot covers every entry of its document up to a position.
#[async_trait]
pub trait DocStore: Send + Sync + 'static {
    /// Appends `batch` in order, durably and all or nothing, in one transaction (one fsync):
    /// the log positions given, in the same order. Called by one writer at a time.
    async fn append_batch(&self, batch: &[NewUpdate]) -> Result<Vec<i64>, StoreError>;
    /// The snapshot of `doc` and the log entries after it.
    async fn read(&self, doc: &DocId) -> Result<StoredDoc, StoreError>;
    /// Log entries of `doc` not folded into its snapshot.
    async fn log_len(&self, doc: &DocId) -> Result<usize, StoreError>;
    /// Documents with log entries not folded into their snapshot (ids as stored; the caller
    /// parses them).
    async fn documents_with_log(&self) -> Result<Vec<String>, StoreError>;
    /// Makes `snapshot` the document's snapshot, covering its log up to `upto` (inclusive),
    /// and removes those entries, atomically; entries after `upto` stay. Does nothing, and
    /// says so (`false`), if the stored snapshot already covers `upto` or more (another
    /// compaction of the same document got there first).
    async fn replace_snapshot(&self, doc: &DocId, upto: i64, snapshot: &[u8]) -> Result<bool, StoreError>;
}

/// What every [`DocStore`] must do, run against each implementation (`sqlite::docs` today).
#[cfg(test)]
pub(crate) mod contract {
    use super::{DocStore, NewUpdate, StoredDoc};
    use desk_core::doc::{DocId, TorDoc, TorSection};

    pub async fn doc_store(store: &dyn DocStore) {
        let doc = DocId::parse("tor/nps").unwrap();
        let other = DocId::parse("tor/mednet").unwrap();
        let author = TorDoc::new(5);
        let updates: Vec<Vec<u8>> = (0..4).map(|i| author.splice(TorSection::Scope, i, 0, "x")).collect();
        let batch =
            |doc: &DocId, from: usize, to: usize| updates[from..to].iter().map(|u| NewUpdate { doc: doc.clone(), update: u.clone() }).collect::<Vec<_>>();

        let ids = store.append_batch(&batch(&doc, 0, 3)).await.unwrap();
        assert_eq!(ids.len(), 3);
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "positions grow: {ids:?}");
        let other_ids = store.append_batch(&batch(&other, 3, 4)).await.unwrap();
        assert!(other_ids[0] > ids[2]);
        assert_eq!(store.read(&doc).await.unwrap(), StoredDoc { snapshot: None, log: ids.iter().copied().zip(updates[..3].iter().cloned()).collect() });
        assert_eq!(store.log_len(&doc).await.unwrap(), 3);
        let mut with_log = store.documents_with_log().await.unwrap();
        with_log.sort();
        assert_eq!(with_log, vec!["tor/mednet".to_owned(), "tor/nps".to_owned()]);

        // A snapshot up to the second entry: the third stays in the log.
        assert!(store.replace_snapshot(&doc, ids[1], b"snapshot-2").await.unwrap());
        assert_eq!(store.read(&doc).await.unwrap(), StoredDoc { snapshot: Some(b"snapshot-2".to_vec()), log: vec![(ids[2], updates[2].clone())] });
        // An older compaction arriving late changes nothing; a newer one replaces.
        assert!(!store.replace_snapshot(&doc, ids[0], b"snapshot-1").await.unwrap());
        assert_eq!(store.read(&doc).await.unwrap().snapshot.as_deref(), Some(&b"snapshot-2"[..]));
        assert!(store.replace_snapshot(&doc, ids[2], b"snapshot-3").await.unwrap());
        assert_eq!(store.read(&doc).await.unwrap(), StoredDoc { snapshot: Some(b"snapshot-3".to_vec()), log: vec![] });
        assert_eq!(store.log_len(&doc).await.unwrap(), 0);
        assert_eq!(store.documents_with_log().await.unwrap(), vec!["tor/mednet".to_owned()]);
        // The other document was never touched.
        assert_eq!(store.read(&other).await.unwrap().log.len(), 1);
    }
}
