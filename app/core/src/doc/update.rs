//! Checks and merges raw Yjs updates (v1 encoding) without a document: what a server does
//! before it stores an update, and when it compacts a log into one snapshot.

use super::DocError;
use yrs::updates::decoder::Decode;
use yrs::Update;

/// Largest single update accepted.
pub const MAX_UPDATE_BYTES: usize = 1 << 20;

/// Accepts a well-formed update of at most [`MAX_UPDATE_BYTES`].
pub fn check_update(update: &[u8]) -> Result<(), DocError> {
    if update.len() > MAX_UPDATE_BYTES {
        return Err(DocError::Malformed { what: "update", detail: format!("{} bytes is more than the {MAX_UPDATE_BYTES} allowed", update.len()) });
    }
    Update::decode_v1(update).map(drop).map_err(|e| DocError::Malformed { what: "update", detail: e.to_string() })
}

/// Merges updates into one, like `Y.mergeUpdates`. Unlike applying them to a document and
/// encoding its state, this keeps updates whose dependencies have not arrived yet, so a
/// compacted log loses nothing even when updates came out of order.
pub fn merge_updates<B: AsRef<[u8]>>(updates: &[B]) -> Result<Vec<u8>, DocError> {
    yrs::merge_updates_v1(updates.iter().map(AsRef::as_ref)).map_err(|e| DocError::Malformed { what: "update", detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::testing::dependent_chain;
    use crate::doc::{TorDoc, TorSection};

    #[test]
    fn garbage_and_oversized_updates_are_refused() {
        assert!(check_update(b"\xff\xff\xff").is_err());
        assert!(check_update(&vec![0u8; MAX_UPDATE_BYTES + 1]).is_err());
        let good = TorDoc::new(1).splice(TorSection::Scope, 0, 0, "x");
        assert!(check_update(&good).is_ok());
    }

    #[test]
    fn merging_keeps_out_of_order_updates() {
        let s = TorSection::Purpose;
        let [u1, u2, u3] = dependent_chain(s);
        // The order a server might have logged them in when clients came back from offline.
        let merged = merge_updates(&[&u2, &u3]).unwrap();
        let merged = merge_updates(&[merged, u1]).unwrap();
        let fresh = TorDoc::new(3);
        fresh.apply_update(&merged).unwrap();
        assert_eq!(fresh.text(s), "a");
        assert!(!fresh.has_pending());
    }
}
