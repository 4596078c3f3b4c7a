//! Moving copies kept in localStorage into IndexedDB: those an earlier version kept (once, at
//! the first start of this version), and those a page journaled as it went before their
//! IndexedDB write finished ([`journal`], at the next start; the same format). Both: every account's (the key names the account), each in a
//! transaction of its own, merged with what IndexedDB may already hold, and removed from
//! localStorage only once written, and only if no tab of the earlier version saved it again
//! meanwhile. A copy that cannot be written (no room) stays where it
//! was and is tried again at the next start: nothing unsent is lost on the way.

use super::indexed;
use super::store::local_storage;
use crate::pages::device::storage::is_copy_key;
use crate::sync::StoredDoc;
use serde::Deserialize;

/// One copy as localStorage holds it: the state (base64 of a v1 update) and its counts.
#[derive(Deserialize)]
struct Entry {
    state: String,
    made: u64,
    confirmed: u64,
}

/// Moves every copy localStorage holds; returns how many moved.
pub async fn from_local_storage(db: &idb::Database) -> usize {
    let Some(storage) = local_storage() else { return 0 };
    let len = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..len).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| is_copy_key(k)).collect();
    let mut moved = 0;
    for key in keys {
        let Some(value) = storage.get_item(&key).ok().flatten() else { continue };
        let Some(stored) = serde_json::from_str::<Entry>(&value)
            .ok()
            .and_then(|entry| Some(StoredDoc { state: from_base64(&entry.state)?, made: entry.made, confirmed: entry.confirmed }))
        else {
            // Not a copy this version can read: left as it is.
            continue;
        };
        // `seen: None`: whatever IndexedDB holds under the key is merged in.
        if indexed::write(db, &key, &stored, None).await.is_ok() {
            // A tab of the earlier version still open may have saved the copy again while it
            // was written: then that newer copy stays, and is moved at the next start.
            if storage.get_item(&key).ok().flatten().as_deref() == Some(value.as_str()) {
                let _ = storage.remove_item(&key);
                moved += 1;
            }
        }
    }
    moved
}

/// Writes `stored` under `key` in localStorage, synchronously (a page going away cannot wait
/// for IndexedDB); whether it was stored. Merged into IndexedDB at the next start; counts
/// may then add up to more unsent changes than there are, until the next sync confirms them
/// (never fewer: `desk_core::sync::merge_stored`).
pub fn journal(key: &str, stored: &StoredDoc) -> bool {
    let Some(storage) = local_storage() else { return false };
    let Some(state) = to_base64(&stored.state) else { return false };
    // The JSON [`Entry`] reads, written out: base64 and numbers need no escaping.
    let value = format!(r#"{{"state":"{state}","made":{},"confirmed":{}}}"#, stored.made, stored.confirmed);
    storage.set_item(key, &value).is_ok()
}

/// Base64 by the browser (`btoa`, on bytes as Latin-1 characters): a Rust encoder would
/// weigh on the main file, which every page loads before it is interactive.
fn to_base64(bytes: &[u8]) -> Option<String> {
    let binary: String = bytes.iter().map(|&byte| char::from(byte)).collect();
    web_sys::window()?.btoa(&binary).ok()
}

/// The bytes of base64 `text` (`atob`); `None` when it is not base64.
fn from_base64(text: &str) -> Option<Vec<u8>> {
    let binary = web_sys::window()?.atob(text).ok()?;
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}
