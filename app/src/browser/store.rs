//! `LocalStore` on the browser's localStorage through gloo-storage: one key per document,
//! holding the state (base64) and the change counters as JSON. Each account has its own keys,
//! `pd:<account id>:doc:<doc id>` (signed out: `pd:doc:<doc id>`), so two people sharing a
//! browser never see each other's local copies; which account this page belongs to comes from
//! the `pd_account` cookie the server sets at sign-in (a hint for naming keys, not a secret).

use crate::doc::DocId;
use crate::sync::{LocalStore, StoreError, StoredDoc};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use gloo_storage::errors::StorageError;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

/// The keys of the signed-out.
pub const KEY_PREFIX: &str = "pd:doc:";

#[derive(Serialize, Deserialize)]
struct Entry {
    state: String,
    made: u64,
    confirmed: u64,
}

#[derive(Clone, Default)]
pub struct BrowserStore {
    prefix: String,
}

impl BrowserStore {
    /// The store of the account this page was loaded for.
    pub fn for_this_page() -> Self {
        let prefix = match account_hint() {
            Some(account) => format!("pd:{account}:doc:"),
            None => KEY_PREFIX.to_owned(),
        };
        Self { prefix }
    }

    fn key(&self, doc: &DocId) -> String {
        format!("{}{doc}", self.prefix)
    }

    /// Deletes every local copy of this store's account.
    pub fn wipe(&self) {
        let Ok(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).ok_or(()) else { return };
        let len = storage.length().unwrap_or(0);
        let mine: Vec<String> = (0..len).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(&self.prefix)).collect();
        for key in mine {
            let _ = storage.remove_item(&key);
        }
    }
}

/// The account id in the `pd_account` cookie, if it is one.
pub(crate) fn account_hint() -> Option<u64> {
    let document: web_sys::HtmlDocument = leptos::prelude::document().dyn_into().ok()?;
    let cookies = document.cookie().ok()?;
    cookies.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(name, _)| *name == "pd_account").and_then(|(_, value)| value.parse().ok())
}

impl LocalStore for BrowserStore {
    fn load(&self, doc: &DocId) -> Option<StoredDoc> {
        let entry: Entry = LocalStorage::get(self.key(doc)).ok()?;
        let state = BASE64.decode(entry.state).ok()?;
        Some(StoredDoc { state, made: entry.made, confirmed: entry.confirmed })
    }

    fn save(&mut self, doc: &DocId, stored: &StoredDoc) -> Result<(), StoreError> {
        let entry = Entry { state: BASE64.encode(&stored.state), made: stored.made, confirmed: stored.confirmed };
        LocalStorage::set(self.key(doc), entry).map_err(|e| match e {
            StorageError::JsError(js) if js.name == "QuotaExceededError" => StoreError::Full(js.message),
            other => StoreError::Other(other.to_string()),
        })
    }
}
