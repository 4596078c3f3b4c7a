//! The local copy of documents kept in the browser, behind a small trait so the engine is
//! tested with [`MemoryStore`] on the host and runs on localStorage in the browser (an
//! IndexedDB store can replace it if the data outgrows localStorage).

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
