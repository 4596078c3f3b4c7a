//! What starts once the page is interactive, in the background, only to keep things for
//! offline use: a local replica of every ToR the session may read, and the service worker's
//! copies of every page it may open (`public/sw.js`, message "keep-pages"). Neither runs when
//! the browser says the person saves data (`navigator.connection.saveData`): then only the
//! pages and documents actually opened are kept. What the person chose on the "this device"
//! page (`super::device::Keep`) narrows it: group-only ToRs (and their pages) are then not
//! kept, and copies of them with nothing unsent are removed. Persistent storage is asked for
//! here too (`super::device::ask_persistence_when_worth_it`).

use super::documents::open_doc;
use crate::doc::DocId;
use wasm_bindgen::JsValue;

thread_local! {
    /// How many times [`keep_as_chosen`] started on this page.
    static RUNS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Starts the background keeping (once per page load; the interactive mark calls it).
pub fn after_interactive() {
    leptos::task::spawn_local(async {
        super::device::ask_persistence_when_worth_it().await;
    });
    if saves_data() {
        return;
    }
    // A part still loading (the ToR editor) comes first.
    super::loading::when_loaded(start_keeping);
}

fn start_keeping() {
    leptos::task::spawn_local(keep_as_chosen());
}

/// Keeps what the person chose to keep (`Keep`), and removes what they chose not to: the
/// local copies of group-only ToRs and their comments (those with nothing unsent) and, in the
/// service worker, their pages. Also when they change their choice (the "this device" page),
/// where, when the browser says the person saves data, only the removing is done.
pub async fn keep_as_chosen() {
    let run = RUNS.with(|runs| {
        runs.set(runs.get() + 1);
        runs.get()
    });
    let keep = super::device::chosen();
    let fetch_more = !saves_data();
    // Without the list (offline, or the server unwell) the worker keeps skipping what it was
    // last told to skip.
    let mine = crate::programme_api::get_my_tors().await.ok();
    if superseded(run) {
        // The person chose again meanwhile (the page's own keeping was still waiting for the
        // list): the newer choice decides, this one would undo it.
        return;
    }
    let mut skip = Vec::new();
    let mut not_kept = Vec::new();
    for tor in mine.iter().flatten().filter(|tor| tor.group_only && !keep.keeps(true)) {
        let Ok(doc) = DocId::terms_of_reference(&tor.id) else { continue };
        skip.push(format!("/tor/{}", tor.id));
        not_kept.extend([doc.clone(), doc.comments()]);
    }
    if mine.is_some() {
        // From now on the store keeps them only while something in them is unsent: set before
        // removing, or a save of one open in this tab (its server state arriving) between the
        // removal and the setting would store it again.
        super::store::set_not_kept(&not_kept);
    }
    for doc in &not_kept {
        // Refused (and left) when something in it is not sent yet.
        let _ = super::device::remove_copy(doc).await;
    }
    for tor in mine.iter().flatten().filter(|tor| keep.keeps(tor.group_only) && fetch_more) {
        let Ok(doc) = DocId::terms_of_reference(&tor.id) else { continue };
        open_doc(&doc, if tor.may_edit { tor.outputs_prefill.clone() } else { None });
    }
    tell_worker(if fetch_more { "keep-pages" } else { "forget-pages" }, mine.map(|_| skip), run).await;
}

/// Whether [`keep_as_chosen`] started again since its run `run`.
fn superseded(run: u64) -> bool {
    RUNS.with(std::cell::Cell::get) != run
}

/// Asks the service worker to keep every page (`kind` "keep-pages"), or only to drop the
/// pages in `skip` ("forget-pages"), once it is active (on a first visit it is
/// still installing when the page becomes interactive). The account the pages are fetched
/// for goes with it: kept pages show who was signed in, so another account's are fetched
/// again.
/// `skip`: paths not to keep (and to drop if kept), the group-only ToRs the person chose not
/// to keep; `None`: those the worker was last told. Not sent when a newer run than `run`
/// started while waiting for the worker.
async fn tell_worker(kind: &str, skip: Option<Vec<String>>, run: u64) {
    let Some(window) = web_sys::window() else { return };
    let Ok(ready) = window.navigator().service_worker().ready() else { return };
    let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else { return };
    if superseded(run) {
        return;
    }
    let Some(worker) = web_sys::ServiceWorkerRegistration::from(registration).active() else { return };
    let message = js_sys::Object::new();
    let account = super::store::account_hint().map(|id| id.to_string()).unwrap_or_default();
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str(kind));
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("account"), &JsValue::from_str(&account));
    if let Some(skip) = skip {
        let skip: js_sys::Array = skip.iter().map(|path| JsValue::from_str(path)).collect();
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str("skip"), &skip);
    }
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
