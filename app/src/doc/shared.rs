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

    /// Whether applying `update` could change this replica: items it does not have, or
    /// deletions of items it has not deleted (or does not know). An answer to sync step 1
    /// always carries the sender's whole delete set, so a reader's answer is often an update
    /// with nothing new in it: that is not a write. When unsure (items past a gap in a
    /// client's clocks), it says yes.
    pub fn would_change(&self, update: &[u8]) -> Result<bool, DocError> {
        let update = Update::decode_v1(update).map_err(|e| DocError::Malformed { what: "update", detail: e.to_string() })?;
        let txn = self.doc.transact();
        let ours = txn.state_vector();
        let new_item = update.insertions(true).iter().any(|(client, ranges)| ranges.iter().any(|range| range.end > ours.get(client)));
        if new_item {
            return Ok(true);
        }
        let deleted_here = txn.snapshot().delete_set;
        Ok(!update.delete_set().diff(&deleted_here).is_empty())
    }

    /// Whether updates are waiting for others they depend on.
    pub fn has_pending(&self) -> bool {
        self.doc.transact().has_missing_updates()
    }
}

#[cfg(test)]
mod tests {
    use crate::doc::{TorDoc, TorSection};

    /// The server's copy and a reader's, in sync, with a deletion in them.
    fn synced_with_a_deletion() -> (TorDoc, TorDoc) {
        let (server, reader) = (TorDoc::new(1), TorDoc::new(2));
        let typed = server.splice(TorSection::Scope, 0, 0, "MedNET countries");
        let cut = server.splice(TorSection::Scope, 0, 7, "");
        for update in [typed, cut] {
            reader.apply_update(&update).unwrap();
        }
        (server, reader)
    }

    #[test]
    fn an_answer_with_nothing_new_changes_nothing_though_it_carries_deletions() {
        let (server, reader) = synced_with_a_deletion();
        let (answer, _) = reader.answer_step1(&server.state_vector());
        assert_ne!(answer, [0, 0], "the answer carries the delete set");
        assert!(!server.would_change(&answer).unwrap());
    }

    #[test]
    fn new_text_or_a_new_deletion_is_a_change() {
        let (server, reader) = synced_with_a_deletion();
        let typed = reader.splice(TorSection::Scope, 0, 0, "All ");
        assert!(server.would_change(&typed).unwrap(), "new text");
        let (server, reader) = synced_with_a_deletion();
        let cut = reader.splice(TorSection::Scope, 0, 3, "");
        assert!(server.would_change(&cut).unwrap(), "deleting text the server still has");
        let (answer, _) = reader.answer_step1(&server.state_vector());
        assert!(server.would_change(&answer).unwrap(), "the same deletion inside a step-2 answer");
        // Deleting what the server never saw: unsure, so a change.
        let (server, reader) = (TorDoc::new(1), TorDoc::new(2));
        reader.splice(TorSection::Scope, 0, 0, "draft");
        let cut = reader.splice(TorSection::Scope, 0, 5, "");
        assert!(server.would_change(&cut).unwrap());
        assert!(server.would_change(&[1, 2, 3]).is_err(), "malformed");
    }
}
