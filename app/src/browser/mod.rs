//! Browser-only glue (feature `hydrate`): the local store on localStorage, the one `/sync`
//! WebSocket per tab that drives the core's `SyncEngine`, the service worker's
//! registration, and what is kept for offline use once the page is interactive. Everything that decides anything lives in `crate::sync`; this only moves
//! bytes between it and the browser.

pub mod comments;
mod connection;
mod documents;
mod fields;
mod offline;
mod presence;
mod session;
mod store;

pub use connection::start;
pub use documents::{edit_field, open_doc, section_text};
pub use fields::{select_in_field, selection_in_field};
pub use offline::after_interactive;
pub use presence::{caret_positions, leave, presence_of, rename, set_caret};
pub use session::before_sign_out;

/// Milliseconds since the epoch (the engine's clock).
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Registers `/sw.js`, which keeps the app shell for offline use (see `public/sw.js`).
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    let _ = container.register("/sw.js");
}
