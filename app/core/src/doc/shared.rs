//! What every replica of every kind of document does, whatever its shape: sync by state
//! vector, merging updates in any order, and encoding itself for storage. Offsets count
//! UTF-16 code units, as in browsers and stock Yjs clients.

use super::DocError;
use std::sync::atomic::{AtomicU64, Ordering};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, OffsetKind, Options, ReadTxn, StateVector, Transact, Update};

/// One replica of a document (a yrs `Doc`).
pub struct SharedDoc {
    doc: Doc,
    /// How many updates from others have been merged: whatever this replica concluded about
    /// its content, and its own edits since, hold while this stays the same.
    merged: AtomicU64,
}

impl SharedDoc {
    /// A replica whose edits carry `client_id`, which must be unique among the replicas that
    /// ever edit this document (random 53-bit ids in browsers; 0 for the server, which never
    /// edits).
    pub fn new(client_id: u64) -> Self {
        let mut options = Options::with_client_id(yrs::ClientID::new(client_id));
        options.offset_kind = OffsetKind::Utf16;
        Self { doc: Doc::with_options(options), merged: AtomicU64::new(0) }
    }

    /// The yrs document, for the typed views (`TorDoc`, `CommentsDoc`).
    pub(crate) fn yrs(&self) -> &Doc {
        &self.doc
    }

    /// How many updates from others have been merged so far. Read inside a transaction, it
    /// counts exactly the merges whose content that transaction sees (each is counted within
    /// its own transaction, and transactions exclude one another).
    pub(crate) fn merged(&self) -> u64 {
        self.merged.load(Ordering::Acquire)
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
        let sv = StateVector::decode_v1(state_vector).map_err(|e| DocError::Malformed { what: "state vector", detail: e.to_string() })?;
        Ok(self.doc.transact().encode_state_as_update_v1(&sv))
    }

    /// Answers a peer's sync step 1: what it lacks (step 2), and this replica's state vector
    /// (step 1 the other way).
    pub fn answer_step1(&self, theirs: &StateVector) -> (Vec<u8>, StateVector) {
        // Only what is integrated here: an update this replica holds pending (waiting for
        // changes it never got) is not passed on as if it could be applied.
        let txn = self.doc.transact();
        (txn.encode_diff_v1(theirs), txn.state_vector())
    }

    /// Merges an update from another replica. Updates may arrive in any order and more than
    /// once; ones whose dependencies are missing wait inside the document until they arrive.
    pub fn apply_update(&self, update: &[u8]) -> Result<(), DocError> {
        let update = Update::decode_v1(update).map_err(|e| DocError::Malformed { what: "update", detail: e.to_string() })?;
        let mut txn = self.doc.transact_mut();
        let applied = txn.apply_update(update).map_err(|e| DocError::Rejected(e.to_string()));
        // Counted within the transaction (even if it failed half-way), so that whoever reads
        // the count in a transaction of theirs reads it together with the content it counts.
        self.merged.fetch_add(1, Ordering::AcqRel);
        drop(txn);
        applied
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

    /// Looks at an update before it is applied (decoding it, merging nothing): whether it
    /// can be integrated now, which clients it carries changes of that this replica already
    /// has, and how much it adds. See [`UpdateCheck`].
    pub fn check(&self, update: &[u8]) -> Result<UpdateCheck, DocError> {
        let update = Update::decode_v1(update).map_err(|e| DocError::Malformed { what: "update", detail: e.to_string() })?;
        let ours = self.state_vector();
        let mut check = UpdateCheck::default();
        // Where each client's changes end once this update is in (for its deletions).
        let mut known_end: std::collections::HashMap<u64, u32> = ours.iter().map(|(client, clock)| (client.get(), *clock)).collect();
        for (client, ranges) in update.insertions(true).iter() {
            let have = ours.get(client);
            let first = ranges.iter().map(|r| r.start).min().unwrap_or(have);
            if first > have && check.gap.is_none() {
                check.gap = Some(Gap { client: client.get(), needs: first, has: have });
            }
            let mut overlaps = false;
            let mut extends = false;
            for range in ranges.iter() {
                overlaps |= range.start < have;
                extends |= range.end > have;
                let end = known_end.entry(client.get()).or_default();
                *end = (*end).max(range.end);
            }
            if overlaps {
                check.overlapping.push(client.get());
            }
            if extends {
                check.extending.push(client.get());
            }
        }
        // What it adds and keeps: text typed and deleted again (offline, say) does not count
        // toward a size limit, or a document could never catch up.
        for (client, ranges) in update.insertions(true).diff(update.delete_set()).iter() {
            let have = ours.get(client);
            check.new_units += ranges.iter().filter(|r| r.end > have).map(|r| u64::from(r.end - r.start.max(have))).sum::<u64>();
        }
        if check.gap.is_none() {
            // Deleting what neither this replica nor the update has: it would wait, pending.
            for (client, ranges) in update.delete_set().iter() {
                let end = known_end.get(&client.get()).copied().unwrap_or(0);
                if let Some(range) = ranges.iter().find(|r| r.end > end) {
                    check.gap = Some(Gap { client: client.get(), needs: range.end, has: end });
                    break;
                }
            }
        }
        check.overlapping.sort_unstable();
        check.extending.sort_unstable();
        Ok(check)
    }

    /// A copy of this replica without the updates waiting inside it for others they depend
    /// on (`None` when nothing waits): what a server keeps in memory, so one update that can
    /// never be applied does not weigh on every later one.
    pub fn without_pending(&self) -> Option<SharedDoc> {
        let txn = self.doc.transact();
        if !txn.has_missing_updates() {
            return None;
        }
        let integrated = txn.encode_diff_v1(&StateVector::default());
        drop(txn);
        let copy = SharedDoc::new(self.doc.client_id().get());
        copy.apply_update(&integrated).ok()?;
        Some(copy)
    }

    /// The summed lengths of the root `Y.Text`s called `names`, in UTF-16 code units (embeds
    /// count one); a name with no root yet counts 0. One read transaction; nothing is created.
    pub fn texts_len(&self, names: &[&str]) -> u64 {
        let txn = self.doc.transact();
        names.iter().filter_map(|name| txn.get_text(*name)).map(|text| u64::from(yrs::Text::len(&text, &txn))).sum()
    }
}

/// What [`SharedDoc::check`] finds in an update.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateCheck {
    /// The first client whose changes in the update start past what the replica has (or
    /// whose deletions name items nobody sent): applying it would leave it pending.
    pub gap: Option<Gap>,
    /// Clients (sorted) of which the update repeats changes the replica already has: a
    /// resend, or two replicas writing with one client id (whose clashing changes Yjs would
    /// silently skip).
    pub overlapping: Vec<u64>,
    /// Clients (sorted) whose changes the update extends.
    pub extending: Vec<u64>,
    /// Items the update adds and does not delete again (UTF-16 code units for text).
    pub new_units: u64,
}

/// Changes of `client` start at clock `needs` in an update, and the replica has them up to
/// `has` only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    pub client: u64,
    pub needs: u32,
    pub has: u32,
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

    #[test]
    fn an_update_past_a_gap_in_its_clients_clocks_is_found_before_it_is_applied() {
        let (server, author) = (TorDoc::new(0), TorDoc::new(7004));
        let first = author.splice(TorSection::Scope, 0, 0, "0123456789");
        let second = author.splice(TorSection::Scope, 10, 0, "!");
        let check = server.check(&second).unwrap();
        assert_eq!(check.gap, Some(super::Gap { client: 7004, needs: 10, has: 0 }));
        assert_eq!(server.check(&first).unwrap().gap, None);
        server.apply_update(&first).unwrap();
        let check = server.check(&second).unwrap();
        assert_eq!((check.gap, check.extending, check.new_units), (None, vec![7004], 1));
        // Deleting items nobody sent is a gap too.
        let (other, deleter) = (TorDoc::new(5), TorDoc::new(6));
        let unseen = other.splice(TorSection::Purpose, 0, 0, "abc");
        deleter.apply_update(&unseen).unwrap();
        let cut = deleter.splice(TorSection::Purpose, 0, 2, "");
        assert_eq!(server.check(&cut).unwrap().gap.map(|g| g.client), Some(5));
        assert!(server.check(b"\x01\x02").is_err());
    }

    #[test]
    fn clocks_a_replica_already_has_are_overlapping_whoever_sends_them() {
        let (server, a, b) = (TorDoc::new(0), TorDoc::new(4242), TorDoc::new(4242));
        server.apply_update(&a.splice(TorSection::Purpose, 0, 0, "alpha ")).unwrap();
        let clash = b.splice(TorSection::Purpose, 0, 0, "BETA!");
        let check = server.check(&clash).unwrap();
        assert_eq!((check.overlapping, check.extending, check.new_units), (vec![4242], vec![], 0));
        let longer = TorDoc::new(4242).splice(TorSection::Purpose, 0, 0, "BETA BETA!");
        let check = server.check(&longer).unwrap();
        assert_eq!((check.overlapping, check.extending, check.new_units), (vec![4242], vec![4242], 4));
    }

    #[test]
    fn text_typed_and_deleted_again_does_not_count_as_added() {
        let (server, offline) = (TorDoc::new(0), TorDoc::new(77));
        offline.splice(TorSection::Scope, 0, 0, &"draft ".repeat(1000));
        offline.splice(TorSection::Scope, 0, 6000, "kept");
        let (answer, _) = offline.answer_step1(&server.state_vector());
        let check = server.check(&answer).unwrap();
        assert_eq!((check.gap, check.new_units), (None, 4));
    }

    #[test]
    fn a_replica_can_be_copied_without_what_waits_inside_it() {
        let (replica, author) = (TorDoc::new(0), TorDoc::new(9));
        assert!(replica.without_pending().is_none());
        let kept = author.splice(TorSection::Scope, 0, 0, "kept");
        let _lost = author.splice(TorSection::Scope, 4, 0, " then");
        let waiting = author.splice(TorSection::Scope, 9, 0, " waits");
        replica.apply_update(&kept).unwrap();
        replica.apply_update(&waiting).unwrap();
        assert!(replica.has_pending());
        let copy = replica.without_pending().unwrap();
        assert!(!copy.has_pending());
        assert_eq!(copy.encode_state(), {
            let plain = TorDoc::new(0);
            plain.apply_update(&kept).unwrap();
            plain.encode_state()
        });
    }
}
