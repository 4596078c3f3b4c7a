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

/// The setting listing the documents not to keep (see `BrowserStore::set_not_kept`).
const NOT_KEPT: &str = "not-kept";

/// The keys of the signed-out.
pub const KEY_PREFIX: &str = "pd:doc:";

/// One stored document: the state (base64 of a v1 update) and its change counters.
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

    /// This account's local copies: each document, the characters its key and value take, and
    /// its changes not confirmed by the server as stored. A key that does not parse is left out
    /// (and left alone).
    pub fn kept(&self) -> Vec<(DocId, u64, u64)> {
        let Some(storage) = local_storage() else { return Vec::new() };
        let len = storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..len).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(&self.prefix)).collect();
        let mut kept = Vec::new();
        for key in keys {
            let Ok(doc) = DocId::parse(&key[self.prefix.len()..]) else { continue };
            let Some(value) = storage.get_item(&key).ok().flatten() else { continue };
            let Ok(entry) = serde_json::from_str::<Entry>(&value) else { continue };
            let chars = (key.encode_utf16().count() + value.encode_utf16().count()) as u64;
            kept.push((doc, chars, entry.made.saturating_sub(entry.confirmed)));
        }
        kept.sort_by_key(|a| a.0.to_string());
        kept
    }

    /// The changes in the stored copy of `doc` the server has not confirmed (0 without one).
    pub fn stored_unsynced(&self, doc: &DocId) -> u64 {
        LocalStorage::get::<Entry>(self.key(doc)).map_or(0, |entry| entry.made.saturating_sub(entry.confirmed))
    }

    /// Deletes the local copy of `doc`; the caller has checked that nothing in it is unsent.
    pub fn remove(&self, doc: &DocId) {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(&self.key(doc));
        }
    }

    fn write(&self, doc: &DocId, entry: &Entry) -> Result<(), StoreError> {
        LocalStorage::set(self.key(doc), entry).map_err(|e| match e {
            StorageError::JsError(js) if js.name == "QuotaExceededError" => StoreError::Full(js.message),
            other => StoreError::Other(other.to_string()),
        })
    }

    /// Removes this account's copies with nothing unsent, other than `doc`'s; returns how many.
    fn free_room(&self, doc: &DocId) -> usize {
        let read_only: Vec<DocId> = self.kept().into_iter().filter(|(kept, _, unsynced)| kept != doc && *unsynced == 0).map(|(kept, ..)| kept).collect();
        for kept in &read_only {
            self.remove(kept);
        }
        read_only.len()
    }

    /// The documents (ids as text) this account chose not to keep on this device
    /// (`super::device::Keep`), as last set by [`Self::set_not_kept`].
    fn not_kept(&self) -> Vec<String> {
        local_storage()
            .and_then(|s| s.get_item(&self.setting_key(NOT_KEPT)).ok().flatten())
            .and_then(|list| serde_json::from_str(&list).ok())
            .unwrap_or_default()
    }

    /// Sets the documents not to keep on this device (saved only while they hold unsent
    /// changes).
    pub fn set_not_kept(&self, docs: &[DocId]) {
        let list: Vec<String> = docs.iter().map(DocId::to_string).collect();
        if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(&list)) {
            let _ = storage.set_item(&self.setting_key(NOT_KEPT), &json);
        }
    }

    /// A key of this account's that is not a document (a preference), `pd:<account>:<name>`.
    pub fn setting_key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix.trim_end_matches("doc:"))
    }

    /// Deletes every local copy of this store's account.
    pub fn wipe(&self) {
        let Some(storage) = local_storage() else { return };
        let len = storage.length().unwrap_or(0);
        let mine: Vec<String> = (0..len).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(&self.prefix)).collect();
        for key in mine {
            let _ = storage.remove_item(&key);
        }
    }
}

/// This site's `localStorage`, where the browser gives it one.
pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
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
        // A document the person chose not to keep here is stored only while something in it
        // is not on the server yet (nothing typed is ever lost).
        if stored.unsynced() == 0 && self.not_kept().contains(&doc.to_string()) {
            self.remove(doc);
            return Ok(());
        }
        let entry = Entry { state: BASE64.encode(&stored.state), made: stored.made, confirmed: stored.confirmed };
        let mut saved = self.write(doc, &entry);
        if matches!(saved, Err(StoreError::Full(_))) && stored.unsynced() > 0 {
            // Changes typed here come before copies kept only for reading, which the server
            // still has: those make room, and the save is tried again.
            let freed = self.free_room(doc);
            if freed > 0 {
                super::device::freed(freed);
                saved = self.write(doc, &entry);
            }
        }
        super::device::saved(doc, saved.as_ref().err());
        saved
    }
}
