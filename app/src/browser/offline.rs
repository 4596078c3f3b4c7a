//! What starts once the page is interactive, in the background, only to keep things for
//! offline use: a local replica of every ToR the session may read, and the service worker's
//! copies of every page it may open (`public/sw.js`, message "keep-pages"). Neither runs when
//! the browser says the person saves data (`navigator.connection.saveData`): then only the
//! pages and documents actually opened are kept.

use super::documents::open_doc;
use crate::doc::DocId;
use wasm_bindgen::JsValue;

/// Starts the background keeping (once per page load; the interactive mark calls it).
pub fn after_interactive() {
    if saves_data() {
        return;
    }
    // A part still loading (the ToR editor) comes first.
    super::loading::when_loaded(start_keeping);
}

fn start_keeping() {
    leptos::task::spawn_local(async {
        let Ok(mine) = crate::programme_api::get_my_tors().await else { return };
        for tor in mine {
            let Ok(doc) = DocId::terms_of_reference(&tor.id) else { continue };
            open_doc(&doc, if tor.may_edit { tor.outputs_prefill } else { None });
        }
    });
    leptos::task::spawn_local(keep_pages());
}

/// Asks the service worker to keep every page, once it is active (on a first visit it is
/// still installing when the page becomes interactive). The account the pages are fetched
/// for goes with it: kept pages show who was signed in, so another account's are fetched
/// again.
async fn keep_pages() {
    let Some(window) = web_sys::window() else { return };
    let Ok(ready) = window.navigator().service_worker().ready() else { return };
    let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else { return };
    let Some(worker) = web_sys::ServiceWorkerRegistration::from(registration).active() else { return };
    let message = js_sys::Object::new();
    let account = super::store::account_hint().map(|id| id.to_string()).unwrap_or_default();
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("keep-pages"));
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("account"), &JsValue::from_str(&account));
    let _ = worker.post_message(&message);
}

/// Whether the browser asks sites to save data (the Save-Data preference; `connection` is
/// not in every browser, and absent means no).
fn saves_data() -> bool {
    let Some(window) = web_sys::window() else { return false };
    js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("connection"))
        .ok()
        .filter(|connection| connection.is_object())
        .and_then(|connection| js_sys::Reflect::get(&connection, &JsValue::from_str("saveData")).ok())
        .and_then(|save| save.as_bool())
        .unwrap_or(false)
}
