//! The IndexedDB database behind the local store: its layout, opening it, and reading and
//! writing one document's copy in one transaction (merging another tab's copy first).
//!
//! Layout (database `programme-desk`, version 1), two object stores keyed alike by
//! `pd:<account id>:doc:<doc id>` (signed out: `pd:doc:<doc id>`, the keys localStorage used):
//! - `meta`: JSON `{"made":u64,"confirmed":u64,"bytes":u64}`, small, read whole at start so
//!   the documents with unsent changes and the "this device" list need no document read;
//! - `state`: the document as one Yjs update (v1), a `Uint8Array`, read when it is opened.

use crate::sync::{merge_stored, StoreError, StoredDoc};
use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, TransactionMode, TransactionResult};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

pub const DATABASE: &str = "programme-desk";
const VERSION: u32 = 1;
pub const META: &str = "meta";
pub const STATE: &str = "state";

/// A copy's counts and size, as `meta` holds them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub made: u64,
    pub confirmed: u64,
    /// Bytes of the state.
    pub bytes: u64,
}

impl Meta {
    pub fn of(stored: &StoredDoc) -> Self {
        Self { made: stored.made, confirmed: stored.confirmed, bytes: stored.state.len() as u64 }
    }

    pub fn unsynced(&self) -> u64 {
        self.made.saturating_sub(self.confirmed)
    }
}

/// A failure of IndexedDB itself, in words. Not `idb::Error`'s own text: a developer's words,
/// and its formatting costs the main file about 1 KB (every page loads it before it is
/// interactive); a refusal's reason is read from the transaction instead ([`finish`]).
fn other<E>(_: E) -> StoreError {
    StoreError::Other("the browser's storage refused the operation".to_owned())
}

/// How long opening the database may take before the tab goes on without it (ms): WebKit has
/// had opens that never resolve, and the page waits for the store before it syncs.
const OPEN_TIMEOUT_MS: i32 = 8_000;

/// Opens (creating on first use) the database, or gives up after [`OPEN_TIMEOUT_MS`].
/// Errors: [`StoreError::Other`] saying, in words, that the browser keeps nothing for the
/// site or that it did not answer.
pub async fn open() -> Result<Database, StoreError> {
    use futures::future::{select, Either};
    match select(Box::pin(open_now()), Box::pin(sleep(OPEN_TIMEOUT_MS))).await {
        Either::Left((opened, _)) => {
            opened.map_err(|_| StoreError::Other("this browser lets the site keep nothing on this device (private browsing?)".to_owned()))
        }
        Either::Right(_) => Err(StoreError::Other(format!("the browser did not open its storage within {} s", OPEN_TIMEOUT_MS / 1000))),
    }
}

async fn open_now() -> Result<Database, StoreError> {
    let factory = Factory::new().map_err(other)?;
    let mut request = factory.open(DATABASE, Some(VERSION)).map_err(other)?;
    request.on_upgrade_needed(|event| {
        let Ok(database) = event.database() else { return };
        for name in [META, STATE] {
            if !database.store_names().iter().any(|n| n == name) {
                let _ = database.create_object_store(name, ObjectStoreParams::new());
            }
        }
    });
    request.await.map_err(other)
}

/// Waits `ms` milliseconds (the page's timer).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The range of keys starting with `prefix`.
fn range(prefix: &str) -> Result<KeyRange, StoreError> {
    KeyRange::bound(&JsValue::from_str(prefix), &JsValue::from_str(&format!("{prefix}\u{ffff}")), Some(false), Some(false)).map_err(other)
}

/// Every `meta` entry whose key starts with `prefix`, as (key, meta); entries that do not
/// parse are left out (and left alone).
pub async fn metas(db: &Database, prefix: &str) -> Result<Vec<(String, Meta)>, StoreError> {
    let tx = db.transaction(&[META], TransactionMode::ReadOnly).map_err(other)?;
    let store = tx.object_store(META).map_err(other)?;
    let keys = store.get_all_keys(Some(range(prefix)?.into()), None).map_err(other)?.await.map_err(other)?;
    let values = store.get_all(Some(range(prefix)?.into()), None).map_err(other)?.await.map_err(other)?;
    Ok(keys.into_iter().zip(values).filter_map(|(key, value)| Some((key.as_string()?, serde_json::from_str(&value.as_string()?).ok()?))).collect())
}

/// The stored counts under `key`, if any.
pub async fn meta(db: &Database, key: &str) -> Result<Option<Meta>, StoreError> {
    let tx = db.transaction(&[META], TransactionMode::ReadOnly).map_err(other)?;
    read_meta(&tx.object_store(META).map_err(other)?, &JsValue::from_str(key)).await
}

/// The counts under `key` in `metas` (the `meta` store in some transaction); one that does not
/// parse counts as none.
async fn read_meta(metas: &idb::ObjectStore, key: &JsValue) -> Result<Option<Meta>, StoreError> {
    let value = metas.get(key.clone()).map_err(other)?.await.map_err(other)?;
    Ok(value.and_then(|v| v.as_string()).and_then(|v| serde_json::from_str(&v).ok()))
}

/// The stored state under `key`, if any.
pub async fn state(db: &Database, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let tx = db.transaction(&[STATE], TransactionMode::ReadOnly).map_err(other)?;
    let store = tx.object_store(STATE).map_err(other)?;
    let value = store.get(JsValue::from_str(key)).map_err(other)?.await.map_err(other)?;
    Ok(value.and_then(bytes))
}

fn bytes(value: JsValue) -> Option<Vec<u8>> {
    value.dyn_into::<js_sys::Uint8Array>().ok().map(|array| array.to_vec())
}

/// What [`write`] stored.
pub struct Written {
    pub stored: StoredDoc,
    /// The store held another tab's copy, now merged into `stored`.
    pub merged: bool,
}

/// Writes `ours` under `key` in one transaction. When the stored state is neither absent nor
/// `seen` (this tab's last read or write of it, a fingerprint), another tab wrote it: it is
/// merged in first ([`merge_stored`]), so two tabs never overwrite each other's work.
/// Errors: [`StoreError::Full`] when the browser refuses for want of room (the transaction is
/// aborted: nothing of it is written).
pub async fn write(db: &Database, key: &str, ours: &StoredDoc, seen: Option<u64>) -> Result<Written, StoreError> {
    let tx = db.transaction(&[META, STATE], TransactionMode::ReadWrite).map_err(other)?;
    let states = tx.object_store(STATE).map_err(other)?;
    let metas = tx.object_store(META).map_err(other)?;
    let js_key = JsValue::from_str(key);
    let theirs = states.get(js_key.clone()).map_err(other)?.await.map_err(other)?.and_then(bytes);
    let mut written = Written { stored: ours.clone(), merged: false };
    if let Some(theirs) = theirs.filter(|t| Some(fingerprint(t)) != seen) {
        let meta = read_meta(&metas, &js_key).await?.unwrap_or_default();
        let theirs = StoredDoc { state: theirs, made: meta.made, confirmed: meta.confirmed };
        if let Ok(merged) = merge_stored(&theirs, ours) {
            written = Written { merged: merged.state != ours.state, stored: merged };
        }
    }
    let state = js_sys::Uint8Array::from(written.stored.state.as_slice());
    states.put(&state, Some(&js_key)).map_err(other)?;
    let meta = serde_json::to_string(&Meta::of(&written.stored)).map_err(other)?;
    metas.put(&JsValue::from_str(&meta), Some(&js_key)).map_err(other)?;
    finish(tx, states).await?;
    Ok(written)
}

/// Deletes every key starting with `prefix` (`exact`: only the key `prefix`) from both stores.
pub async fn delete(db: &Database, prefix: &str, exact: bool) -> Result<(), StoreError> {
    let tx = db.transaction(&[META, STATE], TransactionMode::ReadWrite).map_err(other)?;
    let states = tx.object_store(STATE).map_err(other)?;
    for name in [META, STATE] {
        let store = tx.object_store(name).map_err(other)?;
        let query: idb::Query = if exact { JsValue::from_str(prefix).into() } else { range(prefix)?.into() };
        store.delete(query).map_err(other)?;
    }
    finish(tx, states).await
}

/// Deletes the copy under `key` unless, as stored now, something in it is unsent (another tab
/// may have written it since this tab last looked): `Ok(None)` when deleted (or absent),
/// `Ok(Some(meta))` with the stored counts when kept.
pub async fn delete_if_sent(db: &Database, key: &str) -> Result<Option<Meta>, StoreError> {
    let tx = db.transaction(&[META, STATE], TransactionMode::ReadWrite).map_err(other)?;
    let states = tx.object_store(STATE).map_err(other)?;
    let metas = tx.object_store(META).map_err(other)?;
    let js_key = JsValue::from_str(key);
    let kept = read_meta(&metas, &js_key).await?.filter(|m| m.unsynced() > 0);
    if kept.is_none() {
        metas.delete(js_key.clone()).map_err(other)?;
        states.delete(js_key).map_err(other)?;
    }
    finish(tx, states).await?;
    Ok(kept)
}

/// Commits `tx` and waits for the outcome; `store` is one of its stores, through which the
/// abort's reason is read.
async fn finish(tx: idb::Transaction, store: idb::ObjectStore) -> Result<(), StoreError> {
    let outcome = tx.commit().map_err(other)?.await;
    let reason = || store.transaction().error();
    match outcome {
        Ok(TransactionResult::Committed) => Ok(()),
        Ok(TransactionResult::Aborted) | Err(_) => Err(match reason() {
            Some(e) if e.name() == "QuotaExceededError" => StoreError::Full(e.message()),
            Some(e) => StoreError::Other(format!("{}: {}", e.name(), e.message())),
            None => match outcome {
                Err(idb::Error::DomException(e)) if e.name() == "QuotaExceededError" => StoreError::Full(e.message()),
                Err(e) => other(e),
                Ok(_) => StoreError::Other("the browser gave up storing it".to_owned()),
            },
        }),
    }
}

/// A cheap fingerprint of a stored state (not for security: only "is it what I saw?").
pub fn fingerprint(state: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    state.hash(&mut hasher);
    hasher.finish()
}
