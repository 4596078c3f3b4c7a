//! This device's side of keeping things offline: how much of the site's storage is used
//! (`navigator.storage.estimate()`, which counts IndexedDB and the service worker's caches),
//! the warning before it is full, persistent storage (`navigator.storage.persist()`),
//! removing copies kept only for reading, and the person's choices of what to keep. The
//! arithmetic and the words are `crate::pages::device::storage`'s.

use super::documents::with_engine;
use super::store::{local_storage, setting_key, BrowserStore};
use crate::doc::DocId;
pub use crate::pages::device::storage::Keep;
use crate::pages::device::storage::StorageUse;
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// A save since the use was last measured (only then is it measured again).
    static SAVED: Cell<bool> = const { Cell::new(true) };
    /// The use at which this browser refused a save, if it did: a limit lower than planned.
    static FOUND_LIMIT: Cell<Option<u64>> = const { Cell::new(None) };
    /// Documents whose last save failed: what changed in them since lives only in this tab.
    static UNSTORED: RefCell<BTreeSet<DocId>> = const { RefCell::new(BTreeSet::new()) };
    /// Copies removed to make room for changes typed here, not yet said.
    static FREED: Cell<usize> = const { Cell::new(0) };
}

/// Called by the store when it removed `count` copies with nothing unsent to save a change.
pub(super) fn freed(count: usize) {
    FREED.with(|f| f.set(f.get() + count));
}

/// What to tell the person about copies removed to make room since last asked, if any.
pub(super) fn take_freed_note() -> Option<String> {
    let count = FREED.with(|f| f.replace(0));
    (count > 0).then(|| {
        format!(
            "This device's storage was full: to keep what you typed, {count} cop{} kept only for reading {} removed (the server has them; they come back when online).",
            if count == 1 { "y" } else { "ies" },
            if count == 1 { "was" } else { "were" }
        )
    })
}

/// Called by the store after every write of `doc` (`refused`: the error, if it failed): counts
/// it here (what stays in the tab, the limit found), then has the page say it
/// (`super::connection::store_written`).
pub(super) fn written(doc: &DocId, refused: Option<crate::sync::StoreError>) {
    SAVED.with(|s| s.set(true));
    UNSTORED.with(|u| {
        let mut unstored = u.borrow_mut();
        if refused.is_some() {
            unstored.insert(doc.clone());
        } else {
            unstored.remove(doc);
        }
    });
    // Measured once (a full store refuses every keystroke's write).
    if let (Some(crate::sync::StoreError::Full(_)), None) = (&refused, FOUND_LIMIT.with(Cell::get)) {
        leptos::task::spawn_local(async {
            if let Some((used, _)) = estimate().await {
                FOUND_LIMIT.with(|f| f.set(Some(used)));
            }
        });
    }
    super::connection::store_written(refused);
}

/// `navigator.storage.estimate()`: (bytes used, bytes the browser allows this site), when the
/// browser says.
async fn estimate() -> Option<(u64, u64)> {
    let promise = storage_manager()?.estimate().ok()?;
    let answer = JsFuture::from(promise).await.ok()?;
    let field = |name: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(name)).ok()?.as_f64();
    Some((field("usage")? as u64, field("quota")? as u64))
}

/// The site's use of storage now, against what the browser allows or, once a write was
/// refused, what it held then. `None` when the browser does not say.
pub async fn storage_use() -> Option<StorageUse> {
    SAVED.with(|s| s.set(false));
    let (used, quota) = estimate().await?;
    Some(StorageUse { used, limit: FOUND_LIMIT.with(Cell::get).map_or(quota, |found| found.min(quota)) })
}

/// The header's warning when something was saved since the last look: `Some(None)` when the
/// store is not nearly full, `None` when nothing changed (or the browser does not say).
pub(super) async fn warning_if_changed() -> Option<Option<String>> {
    if !SAVED.with(Cell::get) {
        return None;
    }
    Some(storage_use().await?.warning())
}

/// Asks before the tab is closed or left while changes that could not be stored on this
/// device are not on the server either: they exist only in this tab (registered once, at
/// start).
pub(super) fn guard_unsaved_changes() {
    let Some(window) = web_sys::window() else { return };
    let guard = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::BeforeUnloadEvent)>::new(|event: web_sys::BeforeUnloadEvent| {
        let unstored: Vec<DocId> = UNSTORED.with(|u| u.borrow().iter().cloned().collect());
        let at_risk = unstored.iter().any(|doc| with_engine(|engine| engine.unsynced(doc) > 0).unwrap_or(false));
        if at_risk {
            // Browsers show their own words; asking is all a page may do.
            event.prevent_default();
            event.set_return_value("Changes made here could not be stored on this device and are not on the server yet.");
        }
    });
    let _ = window.add_event_listener_with_callback("beforeunload", wasm_bindgen::JsCast::unchecked_ref(guard.as_ref()));
    // For the page's lifetime.
    guard.forget();
}

/// One document kept on this device, as the "this device" page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptCopy {
    pub doc: DocId,
    /// Bytes its state takes.
    pub bytes: u64,
    /// Changes made here the server has not confirmed (in this tab's memory, or as stored).
    pub unsynced: u64,
}

/// Every document this account keeps on this device (waits for the store to open).
pub async fn kept_copies() -> Vec<KeptCopy> {
    BrowserStore::shared()
        .await
        .kept()
        .into_iter()
        .map(|(doc, bytes, stored)| {
            let in_tab = with_engine(|engine| engine.unsynced(&doc)).unwrap_or(0);
            KeptCopy { doc, bytes, unsynced: stored.max(in_tab) }
        })
        .collect()
}

/// Removes the local copy of `doc` unless something in it is not on the server yet (then
/// refuses, saying so): the app never drops an unsent change to make room.
pub async fn remove_copy(doc: &DocId) -> Result<(), String> {
    let store = BrowserStore::shared().await;
    let stored = store.stored_unsynced(doc);
    let in_tab = with_engine(|engine| engine.unsynced(doc)).unwrap_or(0);
    if stored.max(in_tab) > 0 {
        return Err(format!("{doc} has changes that are not on the server yet; it stays until they are sent."));
    }
    if !store.remove(doc).await {
        return Err(format!("{doc} has changes that are not on the server yet (made in another tab?); it stays until they are sent."));
    }
    SAVED.with(|s| s.set(true));
    Ok(())
}

const KEEP_KEY: &str = "keep";

/// What this account chose to keep in this browser ([`Keep::EveryTor`] until it chooses).
pub fn chosen() -> Keep {
    local_storage().and_then(|s| s.get_item(&setting_key(KEEP_KEY)).ok().flatten()).and_then(|v| Keep::parse(&v)).unwrap_or(Keep::EveryTor)
}

/// Remembers `keep` for this account in this browser.
pub fn choose(keep: Keep) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&setting_key(KEEP_KEY), keep.as_str());
    }
}

/// Whether the browser keeps this site's data under storage pressure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// `persist()` was granted: the browser will not delete the data to make room.
    Granted,
    /// Not (yet) granted: best effort, the browser may delete it.
    NotGranted,
    /// This browser has no `navigator.storage` (an old one, or not a secure context).
    Unknown,
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // `navigator.storage` is absent outside secure contexts; web-sys would still hand out a
    // value, so ask first.
    let present = js_sys::Reflect::get(&navigator, &JsValue::from_str("storage")).ok()?;
    present.is_object().then(|| navigator.storage())
}

async fn ask(promise: Result<js_sys::Promise, JsValue>) -> Persistence {
    let Ok(promise) = promise else { return Persistence::Unknown };
    match JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()) {
        Some(true) => Persistence::Granted,
        Some(false) => Persistence::NotGranted,
        None => Persistence::Unknown,
    }
}

/// Whether persistence is granted now (asks nothing of the person).
pub async fn persistence() -> Persistence {
    match storage_manager() {
        Some(manager) => ask(manager.persisted()).await,
        None => Persistence::Unknown,
    }
}

/// Asks the browser to keep this site's data (Chromium decides by itself; Firefox asks the
/// person). Once a page is interactive and there is something worth keeping: signed in, or
/// changes not sent yet; not again in this browser once asked and refused, so Firefox's
/// question does not come back on every page.
pub async fn ask_persistence_when_worth_it() -> Persistence {
    const ASKED: &str = "pd:persist-asked";
    let Some(manager) = storage_manager() else { return Persistence::Unknown };
    let now = ask(manager.persisted()).await;
    let worth_it = super::store::account_hint().is_some() || with_engine(|engine| engine.status().unsynced > 0).unwrap_or(false);
    let asked = local_storage().and_then(|s| s.get_item(ASKED).ok().flatten()).is_some();
    if now == Persistence::Granted || !worth_it || asked {
        return now;
    }
    let answer = ask(manager.persist()).await;
    if answer == Persistence::NotGranted {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(ASKED, "1");
        }
    }
    answer
}

/// Asks again (the "this device" page's button, after the person installed or bookmarked the
/// app, which is what Chromium grants on).
pub async fn ask_persistence_again() -> Persistence {
    match storage_manager() {
        Some(manager) => ask(manager.persist()).await,
        None => Persistence::Unknown,
    }
}
