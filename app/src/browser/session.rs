//! Signing out on this device: the question when changes are not on the server yet, and
//! wiping this account's local copies and the service worker's answers.

use super::documents::with_engine;
use super::store::BrowserStore;

/// Before signing out: when this account has changes the server has not confirmed, asks
/// whether to sign out anyway (they would be lost) or stay signed in while they sync; then
/// deletes this account's local copies and the service worker's answers that depended on the
/// session. Returns whether to go on signing out.
pub fn before_sign_out() -> bool {
    let unsynced = with_engine(|engine| engine.status().unsynced).unwrap_or(0);
    if unsynced > 0 {
        let question = format!(
            "{unsynced} change{} made here {} not on the server yet. Sign out anyway and delete {} from this device? Choose Cancel to stay signed in while they sync.",
            if unsynced == 1 { "" } else { "s" },
            if unsynced == 1 { "is" } else { "are" },
            if unsynced == 1 { "it" } else { "them" },
        );
        let sure = web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false);
        if !sure {
            return false;
        }
    }
    BrowserStore::for_this_page().wipe();
    // The service worker drops its cached answers that depended on this session.
    if let Some(worker) = web_sys::window().and_then(|w| w.navigator().service_worker().controller()) {
        let _ = worker.post_message(&wasm_bindgen::JsValue::from_str("signed-out"));
    }
    true
}
