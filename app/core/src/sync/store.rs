//! The local copy of documents kept in the browser, behind a small trait so the engine is
//! tested with [`MemoryStore`] on the host and runs on IndexedDB in the browser (the app's
//! `browser::store`), and the rule for merging two copies of one document written by two tabs
//! ([`merge_stored`]).

use crate::doc::DocId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the browser keeps of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDoc {
    /// The whole document as one Yjs update (v1).
    pub state: Vec<u8>,
    /// Local changes made to this document, ever, counted on this device.
    pub made: u64,
    /// How many of those the server has confirmed storing (`made - confirmed` are unsynced).
    pub confirmed: u64,
}

impl StoredDoc {
    pub fn unsynced(&self) -> u64 {
        self.made.saturating_sub(self.confirmed)
    }
}

/// One stored copy merged into another: what `ours` becomes when the store already holds
/// `theirs` (another tab wrote it since this tab last read or wrote it).
///
/// The state is the union of both (Yjs updates merge; nothing either tab typed is lost). The
/// counts stay `ours`, plus `theirs`' unsent changes: the copy keeps saying something in it is
/// not on the server until a sync confirms this tab's count (the sync sends the whole
/// difference by state vector, whichever tab's changes it holds), so the copy is never taken
/// for one that may be removed.
///
/// Errors: `theirs` or `ours` is not a Yjs update (a damaged copy); the caller keeps `ours`.
pub fn merge_stored(theirs: &StoredDoc, ours: &StoredDoc) -> Result<StoredDoc, crate::doc::DocError> {
    if theirs.state.is_empty() || theirs.state == ours.state {
        return Ok(ours.clone());
    }
    let state = crate::doc::merge_updates(&[theirs.state.as_slice(), ours.state.as_slice()])?;
    Ok(StoredDoc { state, made: ours.made + theirs.unsynced(), confirmed: ours.confirmed })
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The browser refused to store more (quota); the change is still in memory and is sent
    /// to the server as usual.
    #[error("the browser's storage is full: {0}")]
    Full(String),
    #[error("the local copy could not be stored: {0}")]
    Other(String),
}

pub trait LocalStore {
    /// The stored copy of `doc`, if there is a readable one.
    fn load(&self, doc: &DocId) -> Option<StoredDoc>;
    fn save(&mut self, doc: &DocId, stored: &StoredDoc) -> Result<(), StoreError>;
}

/// A store in memory, for tests; clones share their contents, like two tabs share a browser.
#[derive(Clone, Default)]
pub struct MemoryStore {
    docs: std::rc::Rc<std::cell::RefCell<HashMap<DocId, StoredDoc>>>,
}

impl LocalStore for MemoryStore {
    fn load(&self, doc: &DocId) -> Option<StoredDoc> {
        self.docs.borrow().get(doc).cloned()
    }

    fn save(&mut self, doc: &DocId, stored: &StoredDoc) -> Result<(), StoreError> {
        self.docs.borrow_mut().insert(doc.clone(), stored.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{TorDoc, TorSection};

    fn typed(client: u64, text: &str) -> Vec<u8> {
        let doc = TorDoc::new(client);
        doc.splice(TorSection::Scope, 0, 0, text);
        doc.encode_state()
    }

    #[test]
    fn two_tabs_copies_merge_with_both_texts_and_theirs_unsent_counted() {
        let theirs = StoredDoc { state: typed(1, "Tab one. "), made: 3, confirmed: 1 };
        let ours = StoredDoc { state: typed(2, "Tab two."), made: 5, confirmed: 5 };
        let merged = merge_stored(&theirs, &ours).unwrap();
        let doc = TorDoc::new(9);
        doc.apply_update(&merged.state).unwrap();
        let text = doc.text(TorSection::Scope);
        assert!(text.contains("Tab one. ") && text.contains("Tab two."), "{text}");
        assert_eq!((merged.made, merged.confirmed), (7, 5));
        assert_eq!(merged.unsynced(), 2);
    }

    #[test]
    fn the_same_copy_or_none_leaves_ours_alone() {
        let ours = StoredDoc { state: typed(2, "Only."), made: 1, confirmed: 0 };
        assert_eq!(merge_stored(&ours.clone(), &ours).unwrap(), ours);
        assert_eq!(merge_stored(&StoredDoc::default(), &ours).unwrap(), ours);
    }

    #[test]
    fn a_damaged_copy_is_an_error_not_a_loss() {
        let theirs = StoredDoc { state: vec![0xff, 0x00, 0x13], made: 1, confirmed: 0 };
        let ours = StoredDoc { state: typed(2, "Kept."), made: 1, confirmed: 0 };
        assert!(merge_stored(&theirs, &ours).is_err());
    }
}
