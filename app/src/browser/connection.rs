//! The tab's one `/sync` WebSocket and the engine behind it: connect, feed frames both ways,
//! reconnect with exponential backoff and full jitter (capped at 30 s, at once when the
//! browser says it is back online), and publish the engine's state to the page's signals.

use super::fields::{self, Caret};
use super::now_ms;
use super::store::BrowserStore;
use crate::doc::{DocId, Stick, TorSection};
use crate::live::{Connection, Live, LiveStatus};
use crate::sync::{Cursor, Outcome, PeerState, SyncEngine, SyncEvent, User};
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

struct Client {
    engine: SyncEngine<BrowserStore>,
    socket: Option<(WebSocket, SocketHandlers)>,
    /// Failed connection attempts in a row.
    attempts: u32,
    /// A reconnection is scheduled.
    retry_pending: bool,
    live: Live,
    me: User,
    /// The server's latest refusal of a change, per document: all of them are shown, so one
    /// document's refusal never hides another's.
    refused_writes: std::collections::BTreeMap<DocId, String>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

fn with_client<R>(f: impl FnOnce(&mut Client) -> R) -> Option<R> {
    CLIENT.with(|client| client.borrow_mut().as_mut().map(f))
}

/// Starts the engine and the connection (once per tab).
pub fn start(live: Live) {
    if CLIENT.with(|c| c.borrow().is_some()) {
        return;
    }
    let client_id = random_client_id();
    let me = User { name: super::fields::my_name(client_id), color: colour_for(client_id).into() };
    CLIENT.with(|c| {
        *c.borrow_mut() = Some(Client {
            engine: SyncEngine::new(BrowserStore::for_this_page(), client_id),
            socket: None,
            attempts: 0,
            retry_pending: false,
            live,
            me,
            refused_writes: Default::default(),
        })
    });
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
        },
        TICK,
    );
    connect();
}

/// Reads the engine (None before `start`).
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

pub fn with_engine<R>(f: impl FnOnce(&SyncEngine<BrowserStore>) -> R) -> Option<R> {
    with_client(|client| f(&client.engine))
}

/// Makes a local change through `f`, which changes a replica and returns the update it
/// made; the change is then stored, counted and sent like an edit.
pub fn change(doc: &DocId, f: impl FnOnce(&SyncEngine<BrowserStore>) -> Result<Vec<u8>, String>) -> Result<(), String> {
    with_client(|client| {
        let update = f(&client.engine)?;
        let outcome = client.engine.record_local_change(doc, update);
        client.apply(outcome);
        client.live.texts.update(|n| *n += 1);
        Ok(())
    })
    .unwrap_or_else(|| Err("The page is still starting; try again in a moment.".to_owned()))
}

/// Writes a document's current text into its fields.
pub fn refresh_fields(doc: &DocId) {
    with_client(|client| fields::refresh(&client.engine, doc, None, true));
}

/// Opens a document in this tab (from the local copy first), pre-filling its outputs, and
/// the comments on it.
pub fn open_doc(doc: &DocId, outputs_prefill: Option<String>) {
    with_client(|client| {
        let mut outcome = client.engine.open(doc);
        let comments = client.engine.open(&doc.comments());
        outcome.send.extend(comments.send);
        if let Some(text) = outputs_prefill {
            let prefill = client.engine.prefill(doc, TorSection::Outputs, &text);
            outcome.send.extend(prefill.send);
            outcome.store_error = outcome.store_error.or(prefill.store_error);
        }
        client.apply(outcome);
        let offline = client.socket.is_none();
        fields::refresh(&client.engine, doc, None, offline);
    });
}

/// The user changed a field: turn the difference into an edit.
pub fn edit_field(doc: &DocId, section: TorSection, value: &str) {
    with_client(|client| {
        let Some(current) = client.engine.doc(doc).map(|d| d.text(section)) else { return };
        let Some(splice) = crate::doc::splice_between(&current, value) else { return };
        let outcome = client.engine.edit(doc, section, splice.index, splice.delete, &splice.insert);
        client.apply(outcome);
        // Carets drawn over the text move with it.
        client.live.texts.update(|n| *n += 1);
    });
}

/// The current text of a section in this tab's replica.
pub fn section_text(doc: &DocId, section: TorSection) -> String {
    with_client(|client| client.engine.doc(doc).map(|d| d.text(section))).flatten().unwrap_or_default()
}

/// I left a document's page: the others stop seeing me there.
pub fn leave(doc: &DocId) {
    with_client(|client| {
        let outcome = client.engine.set_presence(doc, None, now_ms());
        client.apply(outcome);
    });
}

/// Where my caret is (None: not in this document any more), for the others to see.
pub fn set_caret(doc: &DocId, caret: Option<(TorSection, u32, u32)>) {
    with_client(|client| {
        let Some(replica) = client.engine.doc(doc) else { return };
        let cursor = caret.map(|(section, anchor, head)| Cursor {
            section: section.root_name().into(),
            anchor: replica.sticky(section, anchor, Stick::ToPrevious),
            head: replica.sticky(section, head, Stick::ToPrevious),
        });
        let state = PeerState { user: client.me.clone(), cursor };
        let outcome = client.engine.set_presence(doc, Some(state), now_ms());
        client.apply(outcome);
    });
}

/// Peers' carets in a document: (section, position, name, colour), and everyone present.
pub fn presence_of(doc: &DocId) -> (Vec<fields::PeerCaret>, Vec<User>, Option<User>) {
    with_client(|client| {
        let peers = client.engine.peers(doc);
        let carets = client.engine.doc(doc).map(|replica| fields::carets(replica, &peers)).unwrap_or_default();
        let people = peers.into_iter().map(|(_, state)| state.user).collect();
        (carets, people, Some(client.me.clone()))
    })
    .unwrap_or_default()
}

/// The name this tab shows as (the account's when signed in).
pub fn my_name() -> Option<String> {
    with_client(|client| client.me.name.clone())
}

/// Renames me (stored for next time) and tells the others.
pub fn rename(name: &str) {
    let name = name.trim().chars().take(60).collect::<String>();
    if name.is_empty() {
        return;
    }
    fields::remember_name(&name);
    with_client(|client| client.me.name = name);
}

impl Client {
    /// Sends what the engine produced and shows what changed.
    fn apply(&mut self, outcome: Outcome) {
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
        if let Some(e) = outcome.store_error {
            self.live.problem.set(Some(format!("{e}. Your changes are kept in this tab and sent when online.")));
        }
        self.publish();
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
        with_client(|client| {
            for doc in fields::open_docs() {
                let outcome = client.engine.set_presence(&doc, None, now_ms());
                client.apply(outcome);
            }
        });
    });
    for (event, handler) in [("offline", &offline), ("online", &online), ("pagehide", &leaving)] {
        let _ = window.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    }
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
