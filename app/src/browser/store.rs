//! `LocalStore` on IndexedDB (`super::indexed`), for the engine's synchronous trait: at start
//! the store reads every copy's counts (small) and the documents with unsent changes;
//! [`BrowserStore::fetch`] reads a document before it is opened; every save goes to memory at
//! once and is written behind, one transaction per document at a time, newest copy first
//! served. A refused write (the browser's quota) makes room from copies kept only for reading
//! and is tried again, else the change stays in the tab (`super::device`).
//!
//! Each account has its own keys, `pd:<account id>:doc:<doc id>` (signed out:
//! `pd:doc:<doc id>`), so two people sharing a browser never see each other's local copies;
//! which account this page belongs to comes from the `pd_account` cookie the server sets at
//! sign-in (a hint for naming keys, not a secret). Preferences stay in localStorage
//! (`setting_key`).

use super::indexed::{self, fingerprint, Meta};
use crate::doc::DocId;
use crate::sync::{LocalStore, StoreError, StoredDoc};
use gloo_storage::{LocalStorage, Storage};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// The setting listing the documents not to keep (see `BrowserStore::set_not_kept`).
const NOT_KEPT: &str = "not-kept";
/// localStorage: the key prefixes of accounts signed out whose copies are still to delete.
const WIPE_PENDING: &str = "pd:wipe-pending";

#[derive(Clone)]
pub struct BrowserStore {
    inner: Rc<RefCell<Inner>>,
    /// Why not, when this browser gives the site no IndexedDB (very old ones, some private
    /// modes) or did not open it in time (`indexed::open`): then every write fails, says so,
    /// and the tab works from memory and the server.
    db: Result<Rc<idb::Database>, Rc<str>>,
}

struct Inner {
    prefix: String,
    /// Every copy of this account: counts and size.
    meta: BTreeMap<DocId, Meta>,
    /// States read before their document is opened, or merged from another tab's copy: what
    /// `load` hands the engine.
    states: HashMap<DocId, Vec<u8>>,
    /// A fingerprint of each state this tab last read or wrote (another tab's write differs).
    seen: HashMap<DocId, u64>,
    /// Copies saved but not written yet, and whether the writer runs.
    dirty: BTreeMap<DocId, StoredDoc>,
    /// Copies the browser refused to write (no room), tried again by [`BrowserStore::retry`].
    refused: BTreeMap<DocId, StoredDoc>,
    /// The newest copy of each document saved and not yet written (waiting, being written, or
    /// refused): what [`journal_unwritten`] keeps when the page goes before it is written.
    unwritten: BTreeMap<DocId, StoredDoc>,
    /// Documents journaled into localStorage by this page; their journal entry goes once a
    /// newer copy is written.
    journaled: std::collections::BTreeSet<DocId>,
    writing: bool,
}

impl Inner {
    /// Removes `doc`'s journal entry in localStorage, if this page wrote one.
    fn drop_journal(&mut self, doc: &DocId) {
        if self.journaled.remove(doc) {
            if let Some(storage) = local_storage() {
                let _ = storage.remove_item(&format!("{}{doc}", self.prefix));
            }
        }
    }

    /// Drops from memory what this tab holds of `doc` (`None`: of every document).
    fn forget(&mut self, doc: Option<&DocId>) {
        match doc {
            Some(doc) => {
                self.meta.remove(doc);
                self.states.remove(doc);
                self.dirty.remove(doc);
                self.refused.remove(doc);
                self.seen.remove(doc);
                self.unwritten.remove(doc);
            }
            None => {
                self.meta.clear();
                self.states.clear();
                self.dirty.clear();
                self.refused.clear();
                self.seen.clear();
                self.unwritten.clear();
            }
        }
    }
}

thread_local! {
    static SHARED: Rc<tokio::sync::OnceCell<BrowserStore>> = Rc::new(tokio::sync::OnceCell::new());
}

impl BrowserStore {
    /// The store of the account this page was loaded for, once open (the first call opens
    /// it, moves what localStorage held into it and reads what it needs; every later call
    /// gets the same).
    pub async fn shared() -> BrowserStore {
        let cell = SHARED.with(Rc::clone);
        cell.get_or_init(Self::open).await.clone()
    }

    /// The store when already open (sync callers: `None` before [`Self::shared`] finished).
    pub fn ready() -> Option<BrowserStore> {
        SHARED.with(|cell| cell.get().cloned())
    }

    async fn open() -> BrowserStore {
        let db = indexed::open().await;
        let prefix = doc_prefix();
        let mut meta = BTreeMap::new();
        if let Ok(db) = &db {
            finish_wipes(db).await;
            super::migrate::from_local_storage(db).await;
            for (key, entry) in indexed::metas(db, &prefix).await.unwrap_or_default() {
                if let Ok(doc) = DocId::parse(&key[prefix.len()..]) {
                    meta.insert(doc, entry);
                }
            }
        }
        let inner = Inner {
            prefix,
            meta,
            states: HashMap::new(),
            seen: HashMap::new(),
            dirty: BTreeMap::new(),
            refused: BTreeMap::new(),
            unwritten: BTreeMap::new(),
            journaled: Default::default(),
            writing: false,
        };
        let store = BrowserStore {
            inner: Rc::new(RefCell::new(inner)),
            db: db.map(Rc::new).map_err(|e| match e {
                StoreError::Other(why) | StoreError::Full(why) => Rc::from(why),
            }),
        };
        // What has unsent changes is opened at start on every page: read it now.
        let unsent: Vec<DocId> = store.inner.borrow().meta.iter().filter(|(_, m)| m.unsynced() > 0).map(|(d, _)| d.clone()).collect();
        for doc in unsent {
            store.fetch(&doc).await;
        }
        store
    }

    fn key(&self, doc: &DocId) -> String {
        format!("{}{doc}", self.inner.borrow().prefix)
    }

    /// Reads the stored copy of `doc` (when there is one and it is not in memory already), so
    /// that opening it finds it.
    pub async fn fetch(&self, doc: &DocId) {
        {
            let inner = self.inner.borrow();
            // Not only what was listed at start: another tab may have stored it since.
            if inner.states.contains_key(doc) || inner.dirty.contains_key(doc) {
                return;
            }
        }
        let Ok(db) = &self.db else { return };
        let key = self.key(doc);
        let known = self.inner.borrow().meta.contains_key(doc);
        let meta = if known { None } else { indexed::meta(db, &key).await.ok().flatten() };
        if let Ok(Some(state)) = indexed::state(db, &key).await {
            let mut inner = self.inner.borrow_mut();
            if inner.dirty.contains_key(doc) {
                // Saved meanwhile: the write merges the stored copy in.
                return;
            }
            if let Some(meta) = meta {
                inner.meta.insert(doc.clone(), meta);
            }
            inner.seen.insert(doc.clone(), fingerprint(&state));
            inner.states.insert(doc.clone(), state);
        }
    }

    /// This account's local copies: each document, the bytes its state takes, and its changes
    /// not confirmed by the server as stored.
    pub fn kept(&self) -> Vec<(DocId, u64, u64)> {
        self.inner.borrow().meta.iter().map(|(doc, m)| (doc.clone(), m.bytes, m.unsynced())).collect()
    }

    /// The changes in the stored copy of `doc` the server has not confirmed (0 without one).
    pub fn stored_unsynced(&self, doc: &DocId) -> u64 {
        self.inner.borrow().meta.get(doc).map_or(0, Meta::unsynced)
    }

    /// Deletes the local copy of `doc` when nothing in it is unsent, here (in memory, waiting
    /// to be written, refused) or as stored now (another tab may have written it since this
    /// one started); returns whether it went.
    pub async fn remove(&self, doc: &DocId) -> bool {
        let unsent = |stored: Option<&StoredDoc>| stored.is_some_and(|s| s.unsynced() > 0);
        {
            let inner = self.inner.borrow();
            if unsent(inner.dirty.get(doc)) || unsent(inner.refused.get(doc)) || inner.meta.get(doc).is_some_and(|m| m.unsynced() > 0) {
                return false;
            }
        }
        // A copy saved but not written yet, with nothing unsent, goes with it: written after
        // the deletion it would bring the copy back (the suite showed a group-only ToR kept
        // after its member chose not to keep it).
        {
            let mut inner = self.inner.borrow_mut();
            inner.dirty.remove(doc);
            inner.unwritten.remove(doc);
            inner.drop_journal(doc);
        }
        let kept = match &self.db {
            Ok(db) => match indexed::delete_if_sent(db, &self.key(doc)).await {
                Ok(kept) => kept,
                Err(_) => return false,
            },
            Err(_) => None,
        };
        let mut inner = self.inner.borrow_mut();
        if let Some(meta) = kept {
            inner.meta.insert(doc.clone(), meta);
            return false;
        }
        // Saved again meanwhile: that copy is written (and kept) as usual.
        if !inner.dirty.contains_key(doc) {
            inner.forget(Some(doc));
        }
        true
    }

    /// Removes this account's copies with nothing unsent, other than `doc`'s; returns how many.
    async fn free_room(&self, doc: &DocId) -> usize {
        let read_only: Vec<DocId> = self.kept().into_iter().filter(|(kept, _, unsynced)| kept != doc && *unsynced == 0).map(|(kept, ..)| kept).collect();
        let mut removed = 0;
        for kept in &read_only {
            if self.remove(kept).await {
                removed += 1;
            }
        }
        removed
    }

    /// Writes the copies saved since, one at a time, until none is left.
    async fn write_behind(self) {
        loop {
            let next = {
                let mut inner = self.inner.borrow_mut();
                let next = inner.dirty.pop_first();
                if next.is_none() {
                    inner.writing = false;
                }
                next
            };
            let Some((doc, ours)) = next else { return };
            if ours.unsynced() == 0 && not_kept().contains(&doc.to_string()) {
                // Saved before the person chose not to keep it: removed, not written.
                self.remove(&doc).await;
                continue;
            }
            let mut result = self.write(&doc, &ours).await;
            if matches!(result, Err(StoreError::Full(_))) && ours.unsynced() > 0 {
                // Changes typed here come before copies kept only for reading, which the
                // server still has: those make room, and the write is tried again. (Chromium
                // gives the room back only once it compacts its files, so the write may still
                // be refused now: it is then tried again every few seconds, `retry`.)
                let freed = self.free_room(&doc).await;
                if freed > 0 {
                    super::device::freed(freed);
                    result = self.write(&doc, &ours).await;
                }
            }
            if result.is_err() {
                let mut inner = self.inner.borrow_mut();
                if !inner.dirty.contains_key(&doc) {
                    inner.refused.insert(doc.clone(), ours);
                }
            }
            super::device::written(&doc, result.err());
        }
    }

    /// Tries again the copies the browser refused (the connection's tick calls it): room may
    /// have come back since (compaction, copies removed, space freed on the device).
    pub fn retry(&self) {
        let start = {
            let mut inner = self.inner.borrow_mut();
            let refused = std::mem::take(&mut inner.refused);
            for (doc, stored) in refused {
                inner.dirty.entry(doc).or_insert(stored);
            }
            !inner.dirty.is_empty() && !std::mem::replace(&mut inner.writing, true)
        };
        if start {
            wasm_bindgen_futures::spawn_local(self.clone().write_behind());
        }
    }

    async fn write(&self, doc: &DocId, ours: &StoredDoc) -> Result<(), StoreError> {
        let db = self.db.as_ref().map_err(|why| StoreError::Other(why.to_string()))?;
        let seen = self.inner.borrow().seen.get(doc).copied();
        let written = indexed::write(db, &self.key(doc), ours, seen).await?;
        let mut inner = self.inner.borrow_mut();
        if inner.unwritten.get(doc).is_some_and(|newest| newest.state == ours.state) {
            inner.unwritten.remove(doc);
            // Written now, with all the journal held: the next start need not merge it.
            inner.drop_journal(doc);
        }
        if !written.merged {
            // What the store holds is this tab's own: the next write need not merge it.
            inner.seen.insert(doc.clone(), fingerprint(&written.stored.state));
        }
        if inner.dirty.contains_key(doc) || !inner.meta.contains_key(doc) {
            // Saved again meanwhile (the next write follows, and merges again what another
            // tab wrote, since this tab's newer copy lacks it), or removed: memory is newer.
            return Ok(());
        }
        inner.seen.insert(doc.clone(), fingerprint(&written.stored.state));
        inner.meta.insert(doc.clone(), Meta::of(&written.stored));
        if written.merged {
            // The engine takes it in now (`SyncEngine::take_stored`), and the page shows it.
            inner.states.insert(doc.clone(), written.stored.state);
            drop(inner);
            super::documents::take_stored(doc);
        }
        Ok(())
    }
}

/// The page is going (or hidden, after which a phone may end it unannounced): the copies
/// saved and not yet written to IndexedDB, whose transactions may never finish, are written
/// synchronously into localStorage as the earlier version kept them; the next start merges
/// them in (`super::migrate`), so the last keystrokes before leaving are not lost. A copy
/// written meanwhile removes its entry again.
pub fn journal_unwritten() {
    let Some(store) = BrowserStore::ready() else { return };
    let mut inner = store.inner.borrow_mut();
    let unwritten: Vec<(DocId, StoredDoc)> = inner.unwritten.iter().map(|(doc, stored)| (doc.clone(), stored.clone())).collect();
    for (doc, stored) in unwritten {
        if super::migrate::journal(&format!("{}{doc}", inner.prefix), &stored) {
            inner.journaled.insert(doc);
        }
    }
}

/// The keys of this page's account's copies start with this.
fn doc_prefix() -> String {
    setting_key("doc:")
}

/// Deletes every local copy of this page's account. Signing out navigates away at once, so
/// the deletion is first written down in localStorage (synchronously) and finished by the
/// next page that opens the store if this one is gone before it is done.
pub fn wipe_this_account() {
    let prefix = doc_prefix();
    if let Some(store) = BrowserStore::ready() {
        store.inner.borrow_mut().forget(None);
    }
    let mut pending: Vec<String> = LocalStorage::get(WIPE_PENDING).unwrap_or_default();
    pending.push(prefix);
    let _ = LocalStorage::set(WIPE_PENDING, pending);
    wasm_bindgen_futures::spawn_local(async {
        if let Ok(db) = indexed::open().await {
            finish_wipes(&db).await;
        }
    });
}

/// Deletes the copies of accounts signed out (see [`wipe_this_account`]).
async fn finish_wipes(db: &idb::Database) {
    let pending: Vec<String> = LocalStorage::get(WIPE_PENDING).unwrap_or_default();
    if pending.is_empty() {
        return;
    }
    let mut left = Vec::new();
    for prefix in pending {
        if indexed::delete(db, &prefix, false).await.is_err() {
            left.push(prefix);
        }
    }
    if left.is_empty() {
        LocalStorage::delete(WIPE_PENDING);
    } else {
        let _ = LocalStorage::set(WIPE_PENDING, left);
    }
}

/// The documents (ids as text) this account chose not to keep on this device
/// (`super::device::Keep`), as last set by [`set_not_kept`].
fn not_kept() -> Vec<String> {
    LocalStorage::get(setting_key(NOT_KEPT)).unwrap_or_default()
}

/// Sets the documents not to keep on this device (stored only while they hold unsent changes).
pub fn set_not_kept(docs: &[DocId]) {
    let list: Vec<String> = docs.iter().map(DocId::to_string).collect();
    let _ = LocalStorage::set(setting_key(NOT_KEPT), list);
}

/// A localStorage key of this page's account that is not a document (a preference),
/// `pd:<account>:<name>` (signed out: `pd:<name>`).
pub fn setting_key(name: &str) -> String {
    match account_hint() {
        Some(account) => format!("pd:{account}:{name}"),
        None => format!("pd:{name}"),
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
        let inner = self.inner.borrow();
        if let Some(dirty) = inner.dirty.get(doc) {
            return Some(dirty.clone());
        }
        let state = inner.states.get(doc)?.clone();
        let meta = inner.meta.get(doc).copied().unwrap_or_default();
        Some(StoredDoc { state, made: meta.made, confirmed: meta.confirmed })
    }

    /// Keeps `stored` in memory and has it written behind (errors come later, through
    /// `super::device::saved`).
    fn save(&mut self, doc: &DocId, stored: &StoredDoc) -> Result<(), StoreError> {
        // A document the person chose not to keep here is stored only while something in it
        // is not on the server yet (nothing typed is ever lost).
        if stored.unsynced() == 0 && not_kept().contains(&doc.to_string()) {
            let store = self.clone();
            let doc = doc.clone();
            wasm_bindgen_futures::spawn_local(async move {
                store.remove(&doc).await;
            });
            return Ok(());
        }
        let start = {
            let mut inner = self.inner.borrow_mut();
            inner.meta.insert(doc.clone(), Meta::of(stored));
            // The engine holds the document now: memory keeps only what is still to write.
            inner.states.remove(doc);
            inner.refused.remove(doc);
            inner.dirty.insert(doc.clone(), stored.clone());
            inner.unwritten.insert(doc.clone(), stored.clone());
            !std::mem::replace(&mut inner.writing, true)
        };
        if start {
            wasm_bindgen_futures::spawn_local(self.clone().write_behind());
        }
        Ok(())
    }
}
