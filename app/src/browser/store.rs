//! `LocalStore` on the browser's localStorage through gloo-storage: one key per document,
//! `pd:doc:<doc id>`, holding the state (base64) and the change counters as JSON.

use crate::doc::DocId;
use crate::sync::{LocalStore, StoreError, StoredDoc};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use gloo_storage::errors::StorageError;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

pub const KEY_PREFIX: &str = "pd:doc:";

#[derive(Serialize, Deserialize)]
struct Entry {
    state: String,
    made: u64,
    confirmed: u64,
}

#[derive(Clone, Copy, Default)]
pub struct BrowserStore;

fn key(doc: &DocId) -> String {
    format!("{KEY_PREFIX}{doc}")
}

impl LocalStore for BrowserStore {
    fn load(&self, doc: &DocId) -> Option<StoredDoc> {
        let entry: Entry = LocalStorage::get(key(doc)).ok()?;
        let state = BASE64.decode(entry.state).ok()?;
        Some(StoredDoc { state, made: entry.made, confirmed: entry.confirmed })
    }

    fn save(&mut self, doc: &DocId, stored: &StoredDoc) -> Result<(), StoreError> {
        let entry = Entry { state: BASE64.encode(&stored.state), made: stored.made, confirmed: stored.confirmed };
        LocalStorage::set(key(doc), entry).map_err(|e| match e {
            StorageError::JsError(js) if js.name == "QuotaExceededError" => StoreError::Full(js.message),
            other => StoreError::Other(other.to_string()),
        })
    }
}
