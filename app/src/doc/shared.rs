//! What every replica of every kind of document does, whatever its shape: sync by state
//! vector, merging updates in any order, and encoding itself for storage. Offsets count
//! UTF-16 code units, as in browsers and stock Yjs clients.

use super::DocError;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, OffsetKind, Options, ReadTxn, StateVector, Transact, Update};

/// One replica of a document (a yrs `Doc`).
pub struct SharedDoc {
    doc: Doc,
}

impl SharedDoc {
    /// A replica whose edits carry `client_id`, which must be unique among the replicas that
    /// ever edit this document (random 53-bit ids in browsers; 0 for the server, which never
    /// edits).
    pub fn new(client_id: u64) -> Self {
        let mut options = Options::with_client_id(yrs::ClientID::new(client_id));
        options.offset_kind = OffsetKind::Utf16;
        Self { doc: Doc::with_options(options) }
    }

    /// The yrs document, for the typed views (`TorDoc`, `CommentsDoc`).
    pub(crate) fn yrs(&self) -> &Doc {
        &self.doc
    }

    /// This replica's state vector (what Yjs sync step 1 carries).
    pub fn state_vector(&self) -> StateVector {
        self.doc.transact().state_vector()
    }

    /// The state vector, encoded (v1).
    pub fn encoded_state_vector(&self) -> Vec<u8> {
        self.state_vector().encode_v1()
    }

    /// Everything this replica has that a peer with `state_vector` lacks (sync step 2).
    pub fn diff_since(&self, state_vector: &[u8]) -> Result<Vec<u8>, DocError> {
        let sv = StateVector::decode_v1(state_vector).map_err(|e| DocError::Malformed {
            what: "state vector",
            detail: e.to_string(),
        })?;
        Ok(self.doc.transact().encode_state_as_update_v1(&sv))
    }

    /// Answers a peer's sync step 1: what it lacks (step 2), and this replica's state vector
    /// (step 1 the other way).
    pub fn answer_step1(&self, theirs: &StateVector) -> (Vec<u8>, StateVector) {
        let txn = self.doc.transact();
        (txn.encode_state_as_update_v1(theirs), txn.state_vector())
    }

    /// Merges an update from another replica. Updates may arrive in any order and more than
    /// once; ones whose dependencies are missing wait inside the document until they arrive.
    pub fn apply_update(&self, update: &[u8]) -> Result<(), DocError> {
        let update = Update::decode_v1(update).map_err(|e| DocError::Malformed {
            what: "update",
            detail: e.to_string(),
        })?;
        self.doc
            .transact_mut()
            .apply_update(update)
            .map_err(|e| DocError::Rejected(e.to_string()))
    }

    /// The whole document as one update (what a local store keeps).
    pub fn encode_state(&self) -> Vec<u8> {
        self.doc.transact().encode_state_as_update_v1(&StateVector::default())
    }

    /// Whether updates are waiting for others they depend on.
    pub fn has_pending(&self) -> bool {
        self.doc.transact().has_missing_updates()
    }
}
