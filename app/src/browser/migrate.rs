//! Moving the copies an earlier version kept in localStorage into IndexedDB, once, at the
//! first start of this version: every account's (the key names the account), each in a
//! transaction of its own, merged with what IndexedDB may already hold, and removed from
//! localStorage only once written. A copy that cannot be written (no room) stays where it
//! was and is tried again at the next start: nothing unsent is lost on the way.

use super::indexed;
use super::store::local_storage;
use crate::pages::device::storage::is_copy_key;
use crate::sync::StoredDoc;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::Deserialize;

/// One copy as localStorage held it: the state (base64 of a v1 update) and its counts.
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
            .and_then(|entry| Some(StoredDoc { state: BASE64.decode(entry.state).ok()?, made: entry.made, confirmed: entry.confirmed }))
        else {
            // Not a copy this version can read: left as it is.
            continue;
        };
        // `seen: None`: whatever IndexedDB holds under the key is merged in.
        if indexed::write(db, &key, &stored, None).await.is_ok() {
            let _ = storage.remove_item(&key);
            moved += 1;
        }
    }
    moved
}
