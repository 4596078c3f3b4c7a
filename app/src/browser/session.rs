//! Signing out on this device: not while offline, the question when changes are not on the
//! server yet, and wiping this account's local copies and the service worker's answers.

use super::documents::with_engine;
use super::store::BrowserStore;

/// Before signing out: when this account has changes the server has not confirmed, asks
/// whether to sign out anyway (they would be lost) or stay signed in while they sync; then
/// deletes this account's local copies and the service worker's answers that depended on the
/// session. Returns whether to go on signing out.
pub fn before_sign_out() -> bool {
    let (Some(store), Some(in_tab)) = (BrowserStore::ready(), with_engine(|engine| engine.status().unsynced)) else {
        // Until the store is read, what is unsent is not known: nothing is deleted blind.
        if let Some(window) = web_sys::window() {
            let _ = window.alert_with_message("The page is still reading what this device keeps; try again in a moment.");
        }
        return false;
    };
    // This tab's count, or what the store holds unsent (other tabs', documents not open here).
    let stored: u64 = store.kept().iter().map(|(_, _, unsynced)| unsynced).sum();
    let unsynced = in_tab.max(stored);
    if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
        // The server must end the session: offline the form cannot reach it, and deleting the
        // local copies now would leave the account signed in with nothing kept.
        let waiting = match unsynced {
            0 => String::new(),
            1 => " 1 change made here is not on the server yet; it stays too.".to_owned(),
            n => format!(" {n} changes made here are not on the server yet; they stay too."),
        };
        let message = format!("You are offline, and signing out needs the server: you stay signed in, and everything stays on this device.{waiting}");
        if let Some(window) = web_sys::window() {
            let _ = window.alert_with_message(&message);
        }
        return false;
    }
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
    super::store::wipe_this_account();
    // The service worker drops its cached answers that depended on this session.
    if let Some(worker) = web_sys::window().and_then(|w| w.navigator().service_worker().controller()) {
        let _ = worker.post_message(&wasm_bindgen::JsValue::from_str("signed-out"));
    }
    true
}
