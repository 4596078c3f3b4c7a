//! The tab's one `/sync` WebSocket and the engine behind it: connect, feed frames both ways,
//! reconnect with exponential backoff and full jitter (capped at 30 s, at once when the
//! browser says it is back online), and publish the engine's state to the page's signals.

use super::fields::{self, Caret};
use super::now_ms;
use super::store::BrowserStore;
use crate::doc::DocId;
use crate::live::{Connection, Live, LiveStatus};
use crate::sync::{Outcome, StoreError, SyncEngine, SyncEvent, User};
use leptos::prelude::*;
use std::cell::RefCell;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

const BACKOFF_START_MS: f64 = 500.0;
const BACKOFF_CAP_MS: f64 = 30_000.0;
const TICK: Duration = Duration::from_secs(5);

/// The handlers of the current socket, kept alive as long as it is.
struct SocketHandlers {
    _open: Closure<dyn FnMut()>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut(CloseEvent)>,
}

pub(super) struct Client {
    pub(super) engine: SyncEngine<BrowserStore>,
    socket: Option<(WebSocket, SocketHandlers)>,
    /// Failed connection attempts in a row.
    attempts: u32,
    /// A reconnection is scheduled.
    retry_pending: bool,
    pub(super) live: Live,
    pub(super) me: User,
    /// The server's latest refusal of a change, per document: all of them are shown, so one
    /// document's refusal never hides another's.
    refused_writes: std::collections::BTreeMap<DocId, String>,
    /// The problem shown is a refusal to store a copy on this device (with what was removed
    /// to make room, if anything).
    store_refused: Option<Option<String>>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

pub(super) fn with_client<R>(f: impl FnOnce(&mut Client) -> R) -> Option<R> {
    CLIENT.with(|client| client.borrow_mut().as_mut().map(f))
}

/// Something to do with the client once it exists.
type Waiting = Box<dyn FnOnce(&mut Client)>;

thread_local! {
    /// Work waiting for the client (the store opens asynchronously), run once it exists.
    static WAITING: RefCell<Vec<Waiting>> = const { RefCell::new(Vec::new()) };
    static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` on the client now, or as soon as it exists.
pub(super) fn when_ready(f: impl FnOnce(&mut Client) + 'static) {
    let mut f = Some(f);
    if with_client(|client| (f.take().expect("runs once"))(client)).is_none() {
        if let Some(f) = f {
            WAITING.with(|w| w.borrow_mut().push(Box::new(f)));
        }
    }
}

/// Starts the engine and the connection (once per tab), once the local store is open.
pub fn start(live: Live) {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async move { begin(live, BrowserStore::shared().await) });
}

fn begin(live: Live, store: BrowserStore) {
    let client_id = random_client_id();
    let me = User { name: super::fields::my_name(client_id), color: colour_for(client_id).into() };
    let kept = store.kept();
    CLIENT.with(|c| {
        *c.borrow_mut() = Some(Client {
            engine: SyncEngine::new(store, client_id),
            socket: None,
            attempts: 0,
            retry_pending: false,
            live,
            me,
            refused_writes: Default::default(),
            store_refused: None,
        })
    });
    with_client(|client| {
        // Every document with changes not sent yet is opened, whatever the page: they go out
        // as soon as there is a connection, not only when their page is opened again (the
        // store read them at start).
        for (doc, _, unsynced) in kept {
            if unsynced > 0 {
                let outcome = client.engine.open(&doc);
                client.apply(outcome);
            }
        }
    });
    check_storage();
    // Connecting first, so what waited (opening this page's documents) sees a connection
    // under way rather than a tab offline.
    connect();
    for waiting in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
        with_client(waiting);
    }
    super::device::guard_unsaved_changes();
    listen_to_window();
    if super::store::account_hint().is_some() {
        // Signed in: others see the account's name (the server puts it into presence), so
        // this tab shows itself, and signs its comments, under the same name.
        leptos::task::spawn_local(async {
            if let Ok(Some(me)) = crate::programme_api::get_session().await {
                with_client(|client| client.me.name = me.shown_as);
            }
        });
    }
    let _ = set_interval_with_handle(
        || {
            with_client(|client| {
                let outcome = client.engine.tick(now_ms());
                client.apply(outcome);
            });
            if let Some(store) = BrowserStore::ready() {
                store.retry();
            }
            check_storage();
        },
        TICK,
    );
}

/// The store wrote a copy behind (`refused`: why it could not): say so, or what it removed
/// to make room.
pub(super) fn store_written(refused: Option<StoreError>) {
    with_client(|client| {
        client.say_stored(refused);
        client.publish();
    });
}

/// Measures the local store's use when something was saved since (at most once a tick,
/// never per keystroke) and shows or clears the warning.
fn check_storage() {
    leptos::task::spawn_local(async {
        if let Some(note) = super::device::warning_if_changed().await {
            with_client(|client| {
                if client.live.storage_note.get_untracked() != note {
                    client.live.storage_note.set(note);
                }
            });
        }
    });
}

impl Client {
    /// No socket now: the tab works from its local copies.
    pub(super) fn offline(&self) -> bool {
        self.socket.is_none()
    }

    /// Sends what the engine produced and shows what changed.
    pub(super) fn apply(&mut self, outcome: Outcome) {
        if let Some((socket, _)) = &self.socket {
            if socket.ready_state() == WebSocket::OPEN {
                for frame in &outcome.send {
                    let _ = socket.send_with_u8_array(frame);
                }
            }
        }
        for event in outcome.events {
            match event {
                SyncEvent::Changed(_) => self.live.texts.update(|n| *n += 1),
                SyncEvent::Presence(_) => self.live.presence.update(|n| *n += 1),
                SyncEvent::ServerError(text) => self.live.problem.set(Some(format!("The server refused a change: {text}"))),
                SyncEvent::RefusedWrite(doc, text) => {
                    self.refused_writes.insert(doc, text);
                    self.live.problem.set(Some(refusals_said(&self.refused_writes)));
                    if super::store::account_hint().is_some() {
                        check_session(self.live, false);
                    }
                }
                // Signed in, a refusal may mean the session has ended: ask, and say so. Signed
                // out, documents one may not open are simply not synced (no page offers them).
                SyncEvent::RefusedRead(..) if super::store::account_hint().is_some() => check_session(self.live, true),
                SyncEvent::RefusedRead(..) => {}
                SyncEvent::TooLarge(doc, bytes) => {
                    let said = format!(
                        "Your changes to {doc} come to {} KB, more than the {} KB the server takes at once: they are kept on this device but not sent. Shorten the text and they will be.",
                        bytes.div_ceil(1024),
                        crate::sync::MAX_FRAME_BYTES / 1024
                    );
                    self.refused_writes.insert(doc, said);
                    self.live.problem.set(Some(refusals_said(&self.refused_writes)));
                }
            }
        }
        if outcome.store_error.is_some() {
            self.say_stored(outcome.store_error);
        }
        self.publish();
    }

    /// Says why a copy could not be stored on this device, or which copies were removed to
    /// store one.
    fn say_stored(&mut self, refused: Option<StoreError>) {
        let freed = super::device::take_freed_note();
        if let Some(e) = refused {
            let said = match e {
                StoreError::Full(_) => "This device's storage is full, so your latest changes are kept in this tab only: keep it open and go online so they are sent, or free room on This device (in the menu).".to_owned(),
                other => format!("{other}. Your changes are kept in this tab and sent when online: keep it open until they are."),
            };
            // What was removed to make room stays said while the refusal lasts.
            let freed = match (freed, &self.store_refused) {
                (Some(freed), _) => Some(freed),
                (None, Some(earlier)) => earlier.clone(),
                (None, None) => None,
            };
            self.live.problem.set(Some(match &freed {
                Some(freed) => format!("{said} {freed}"),
                None => said,
            }));
            self.store_refused = Some(freed);
        } else if let Some(note) = freed {
            self.store_refused = None;
            self.live.problem.set(Some(note));
        } else if self.store_refused.take().is_some() {
            // Stored after all: the refusal no longer holds.
            self.live.problem.set(None);
        }
    }

    fn publish(&self) {
        let status = self.engine.status();
        let connection = match (&self.socket, status.online) {
            (_, true) => Connection::Online,
            (Some(_), false) if self.attempts == 0 => Connection::Connecting,
            _ => Connection::Offline,
        };
        let next = LiveStatus { connection, syncing: status.syncing, unsynced: status.unsynced };
        if self.live.status.get_untracked() != next {
            self.live.status.set(next);
        }
    }
}

/// The refusals to show: the first three in full, then how many more.
fn refusals_said(refused: &std::collections::BTreeMap<DocId, String>) -> String {
    const SHOWN: usize = 3;
    let mut said = refused.values().take(SHOWN).cloned().collect::<Vec<_>>().join(" ");
    if refused.len() > SHOWN {
        said.push_str(&format!(" And {} more documents.", refused.len() - SHOWN));
    }
    said
}

thread_local! {
    static CHECKING_SESSION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// After a refusal: whether the server still knows this tab's session. Ended: the indicator
/// offers to sign in again (the local copies and their unsent changes stay, under the same
/// account, and go out once signed in). Still signed in after a refused read: the account
/// lost that document, which is said too (a refused write has said so already).
fn check_session(live: Live, read_refused: bool) {
    if CHECKING_SESSION.with(|c| c.replace(true)) || live.session_ended.get_untracked().is_some() {
        return;
    }
    leptos::task::spawn_local(async move {
        match crate::programme_api::get_session().await {
            Ok(None) => {
                let here = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_else(|| "/".into());
                // Not the rights: the session. Said once, with the way out.
                live.problem.set(None);
                live.session_ended.set(Some(here));
            }
            Ok(Some(_)) if read_refused => {
                live.problem.set(Some("You may no longer open a document kept on this device; what you changed in it stays here and is not sent.".into()))
            }
            Ok(Some(_)) => {}
            Err(_) => {}
        }
        CHECKING_SESSION.with(|c| c.set(false));
    });
}

fn connect() {
    let Some(url) = sync_url() else { return };
    let Ok(socket) = WebSocket::new(&url) else {
        schedule_reconnect();
        return;
    };
    socket.set_binary_type(BinaryType::Arraybuffer);
    let open = Closure::<dyn FnMut()>::new(|| {
        with_client(|client| {
            client.attempts = 0;
            let outcome = client.engine.connected();
            client.apply(outcome);
        });
    });
    let message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else { return };
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        with_client(|client| {
            let caret = Caret::capture(&client.engine);
            match client.engine.receive(&bytes, now_ms()) {
                Ok(outcome) => {
                    for event in &outcome.events {
                        if let SyncEvent::Changed(doc) = event {
                            fields::refresh(&client.engine, doc, caret.as_ref(), false);
                        }
                    }
                    client.apply(outcome);
                }
                Err(e) => leptos::logging::warn!("ignored a frame from the server: {e}"),
            }
        });
    });
    let close = Closure::<dyn FnMut(CloseEvent)>::new(|event: CloseEvent| {
        if event.code() >= 4000 {
            leptos::logging::warn!("sync connection closed: {} {}", event.code(), event.reason());
        }
        with_client(|client| {
            client.socket = None;
            client.engine.disconnected();
            client.attempts += 1;
            client.publish();
            client.live.presence.update(|n| *n += 1);
            // No server to wait for: let people edit what this browser has.
            for doc in fields::open_docs() {
                fields::refresh(&client.engine, &doc, None, true);
            }
        });
        schedule_reconnect();
    });
    socket.set_onopen(Some(open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(close.as_ref().unchecked_ref()));
    with_client(|client| {
        client.socket = Some((socket, SocketHandlers { _open: open, _message: message, _close: close }));
        client.publish();
    });
}

/// Full jitter: a random wait up to min(cap, start × 2^attempts).
fn schedule_reconnect() {
    let Some(attempts) = with_client(|client| {
        if client.retry_pending {
            return None;
        }
        client.retry_pending = true;
        Some(client.attempts)
    })
    .flatten() else {
        return;
    };
    let ceiling = (BACKOFF_START_MS * 2f64.powi(attempts.min(16) as i32)).min(BACKOFF_CAP_MS);
    let wait = Duration::from_millis((ceiling * js_sys::Math::random()).max(100.0) as u64);
    set_timeout(
        || {
            with_client(|client| client.retry_pending = false);
            if with_client(|client| client.socket.is_none()).unwrap_or(false) {
                connect();
            }
        },
        wait,
    );
}

/// Offline: close at once (Chromium keeps a dead socket open); online: reconnect now;
/// leaving the page: tell the others we left.
fn listen_to_window() {
    let Some(window) = web_sys::window() else { return };
    let offline = Closure::<dyn FnMut()>::new(|| {
        let socket = with_client(|client| client.socket.as_ref().map(|(s, _)| s.clone())).flatten();
        if let Some(socket) = socket {
            let _ = socket.close();
        }
    });
    let online = Closure::<dyn FnMut()>::new(|| {
        with_client(|client| client.attempts = 0);
        if with_client(|client| client.socket.is_none()).unwrap_or(false) {
            connect();
        }
    });
    let leaving = Closure::<dyn FnMut()>::new(|| {
        super::store::journal_unwritten();
        with_client(|client| {
            for doc in fields::open_docs() {
                let outcome = client.engine.set_presence(&doc, None, now_ms());
                client.apply(outcome);
            }
        });
    });
    // Hidden: a phone may end the page from there without a pagehide.
    let hidden = Closure::<dyn FnMut()>::new(|| {
        if leptos::prelude::document().visibility_state() == web_sys::VisibilityState::Hidden {
            super::store::journal_unwritten();
        }
    });
    for (event, handler) in [("offline", &offline), ("online", &online), ("pagehide", &leaving)] {
        let _ = window.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    }
    let _ = leptos::prelude::document().add_event_listener_with_callback("visibilitychange", hidden.as_ref().unchecked_ref());
    hidden.forget();
    // These live as long as the page.
    offline.forget();
    online.forget();
    leaving.forget();
}

fn sync_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/sync", location.host().ok()?))
}

/// A fresh 53-bit client id for this tab's replicas.
fn random_client_id() -> u64 {
    let high = (js_sys::Math::random() * f64::from(1u32 << 21)) as u64;
    let low = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    ((high << 32) | low).max(2)
}

/// A colour for a person, from a palette that reads on white.
fn colour_for(client_id: u64) -> &'static str {
    const PALETTE: [&str; 8] = ["#b3261e", "#1f6feb", "#1a7f37", "#8250df", "#bc4c00", "#0a7e8c", "#bf3989", "#57606a"];
    PALETTE[(client_id % PALETTE.len() as u64) as usize]
}
