//! Browser-only glue (feature `hydrate`): the local store on IndexedDB (moved there from
//! localStorage at first start), the one `/sync`
//! WebSocket per tab that drives the core's `SyncEngine`, the service worker's
//! registration, what is kept for offline use once the page is interactive, and the header
//! menu's keyboard. Everything that decides anything lives in `crate::sync`; this only moves
//! bytes between it and the browser.

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

pub mod comments;
mod connection;
pub mod device;
mod documents;
mod fields;
mod indexed;
mod loading;
mod migrate;
mod offline;
mod presence;
mod session;
mod store;

pub use connection::start;
pub use documents::{edit_field, join_doc, open_doc, section_text};
pub use fields::{select_in_field, selection_in_field, EarlyTyping, LIVE_EDITOR};
pub use loading::Loading;
pub use offline::{after_interactive, keep_as_chosen};
pub use presence::{caret_positions, leave, presence_of, rename, set_caret};
pub use session::before_sign_out;

/// Milliseconds since the epoch (the engine's clock).
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The header's menu (a `<details>`, which opens and closes without JavaScript): with it,
/// Escape closes the open menu and gives the focus back to its button, and the menu closes
/// when the focus moves out of it, so it never covers the field the focus went to.
pub fn close_menu_when_left() {
    fn open_menu() -> Option<web_sys::Element> {
        leptos::prelude::document().query_selector(".site-menu[open]").ok().flatten()
    }
    let on_key = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(|ev: web_sys::KeyboardEvent| {
        if ev.key() != "Escape" {
            return;
        }
        if let Some(menu) = open_menu() {
            let _ = menu.remove_attribute("open");
            if let Some(button) = menu.query_selector("summary").ok().flatten().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = button.focus();
            }
        }
    });
    let on_focus = Closure::<dyn FnMut(web_sys::FocusEvent)>::new(|ev: web_sys::FocusEvent| {
        let Some(menu) = open_menu() else { return };
        let inside = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()).is_some_and(|node| menu.contains(Some(&node)));
        if !inside {
            let _ = menu.remove_attribute("open");
        }
    });
    let document = leptos::prelude::document();
    let _ = document.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    let _ = document.add_event_listener_with_callback("focusin", on_focus.as_ref().unchecked_ref());
    // For the page's lifetime.
    on_key.forget();
    on_focus.forget();
}

/// Registers `/sw.js`, which keeps the app shell for offline use (see `public/sw.js`).
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let container = window.navigator().service_worker();
    let _ = container.register("/sw.js");
}
