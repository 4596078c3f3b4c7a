//! One WebSocket: reads messages in order, answers sync step 1 with step 2 and its own
//! step 1, stores and acknowledges updates, and relays updates and awareness to the other
//! connections on the same documents. A bad message closes this connection only, with a close
//! code and a reason: 4400 malformed, 4403 refused (`/yjs`), 4404 unknown document, 4408 fell
//! behind, 4500 storage.
//!
//! Access: the session cookie is read at the upgrade (with an Origin check: a cookie from
//! another site's page opens nothing), and every message is checked against the gate at that
//! moment: reading (step 1, awareness) needs read, a non-empty update needs edit (ToR text) or
//! comment (comments). On `/sync` a refusal concerns that document only (a refused read is not
//! joined, a refused update is neither stored nor relayed and stands in for its ack); on
//! `/yjs` it closes the socket. Every [`FRESH_FOR`] the rooms joined are checked again, so a
//! revoked right stops the relays without a reconnect.
//!
//! Two framings share this code: `/sync` (many documents, each message in a document-id
//! envelope, updates acknowledged) and `/yjs/{doc}` (one document, bare y-protocols messages
//! exactly as y-websocket speaks them: the server opens with its step 1, and sends no acks,
//! which stock clients would not understand).

use super::hub::{Hub, HubError, Room, Subscriber};
use crate::accounts::session;
use crate::doc_log::EMPTY_UPDATE;
use crate::gate::{Credential, Gate, FRESH_FOR};
use app::access::{write_action, Action};
use app::doc::DocId;
use app::sync::{departure_notice, is_departure, envelope, Encode, Frame, Message, Payload, SyncMessage, MAX_FRAME_BYTES};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, Notify};

/// Frames waiting to be written to one connection; a connection that lets this fill up is
/// dropped rather than allowed to hold anyone else up.
const OUTBOX: usize = 1024;

/// Clients one connection may be present as in one document (a tab is one; this bounds what
/// a misbehaving client can make the server remember).
const PRESENCE_PER_DOCUMENT: usize = 16;

/// How messages on a connection name their document.
#[derive(Clone)]
enum Framing {
    /// `/sync`: every message carries its document id.
    Multiplexed,
    /// `/yjs/{doc}`: one document, bare messages.
    Single(DocId),
}

impl Framing {
    fn wrap(&self, doc: &DocId, message: Vec<u8>) -> Bytes {
        match self {
            Framing::Multiplexed => envelope(doc, &message).into(),
            Framing::Single(_) => message.into(),
        }
    }
}

/// Bytes read from a socket at a time. tungstenite zero-fills its whole read buffer on every
/// read (128 KiB by default, so 128 KiB resident per connection); sync frames are small, and
/// a larger one is read in several goes.
const READ_BUFFER: usize = 4 * 1024;

/// Bytes gathered before a write when several frames are queued at once (a burst of relays).
const WRITE_BUFFER: usize = 8 * 1024;

/// Limits and buffer sizes of every sync socket.
fn configure(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .read_buffer_size(READ_BUFFER)
        // Frames queued together go out in one write (see the writer in `run`).
        .write_buffer_size(WRITE_BUFFER)
}

/// The session token of an upgrade request; `Err` when it carries a cookie but comes from a
/// page of another site (Origin differs from Host): cross-site WebSocket hijacking.
fn session_of(headers: &HeaderMap) -> Result<Option<String>, CrossSite> {
    let token = session::token_in(headers);
    if token.is_some() && !session::same_site(headers) {
        return Err(CrossSite);
    }
    Ok(token)
}

/// A session cookie sent from another site's page.
struct CrossSite;

impl IntoResponse for CrossSite {
    fn into_response(self) -> Response {
        (StatusCode::FORBIDDEN, "this page may not open a connection with your session").into_response()
    }
}

pub async fn sync_socket(State(hub): State<Arc<Hub>>, State(gate): State<Gate>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    let credential = match session_of(&headers) {
        Ok(token) => Credential::session(token),
        Err(refused) => return refused.into_response(),
    };
    configure(upgrade).on_upgrade(move |socket| run(socket, hub, gate, credential, Framing::Multiplexed))
}

/// A document token given to `/yjs` (`Authorization: Bearer …` or `?token=…`).
#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `/yjs/{doc}` for stock Yjs clients (y-websocket's WebsocketProvider, room = document id).
/// They present a document token (`server token issue`) or a session cookie. A document this
/// credential may not read is not found; a token that is not valid for it is 401.
pub async fn yjs_socket(
    State(hub): State<Arc<Hub>>,
    State(gate): State<Gate>,
    Path(doc): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let doc = match DocId::parse(&doc) {
        Ok(doc) => doc,
        Err(e) => return (StatusCode::NOT_FOUND, e.to_string()).into_response(),
    };
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::to_owned);
    let credential = match bearer.or(query.token) {
        Some(presented) => match gate.accounts().check_token(presented.trim(), &doc).await {
            Ok(Some((account, expires_ms))) => Credential::Token { account, expires_ms },
            Ok(None) => return (StatusCode::UNAUTHORIZED, "the token is not valid for this document (expired, altered or for another)").into_response(),
            Err(e) => {
                tracing::error!("checking a document token: {e}");
                return (StatusCode::SERVICE_UNAVAILABLE, "the token could not be checked").into_response();
            }
        },
        None => match session_of(&headers) {
            Ok(token) => Credential::session(token),
            Err(refused) => return refused.into_response(),
        },
    };
    if let Err(e) = hub.room(&doc).await {
        return (StatusCode::NOT_FOUND, e.to_string()).into_response();
    }
    if !gate.may(&credential, &doc, Action::Read).await {
        gate.refused(&credential, &doc, Action::Read, "/yjs").await;
        return (StatusCode::NOT_FOUND, format!("unknown document {doc}")).into_response();
    }
    configure(upgrade).on_upgrade(move |socket| run(socket, hub, gate, credential, Framing::Single(doc)))
}

/// Why a message was refused, in the user's words.
fn refusal(doc: &DocId, action: Action) -> String {
    match action {
        Action::Read | Action::Manage => "You may not open this document.".to_owned(),
        Action::Edit => format!("You may not edit {doc}: your change was not saved on the server and stays on this device only."),
        Action::Comment => format!("You may not comment on {doc}: your comment was not saved on the server and stays on this device only."),
    }
}

struct Closing {
    code: u16,
    reason: String,
}

impl Closing {
    fn new(code: u16, reason: impl Into<String>) -> Self {
        // A close reason must fit in 123 bytes.
        let mut reason: String = reason.into();
        while reason.len() > 120 {
            reason.pop();
        }
        Self { code, reason }
    }
}

impl From<HubError> for Closing {
    fn from(e: HubError) -> Self {
        match e {
            HubError::UnknownDocument(_) => Closing::new(4404, e.to_string()),
            HubError::Log(crate::doc_log::DocLogError::Refused(refused)) => Closing::new(4400, refused.to_string()),
            HubError::Log(other) => {
                tracing::error!("sync storage: {other}");
                Closing::new(4500, "the server could not store the update; nothing was lost on your side")
            }
        }
    }
}

struct Connection {
    id: u64,
    framing: Framing,
    hub: Arc<Hub>,
    gate: Gate,
    /// What this connection was opened with.
    credential: Credential,
    outbox: mpsc::Sender<Bytes>,
    fell_behind: Arc<Notify>,
    rooms: HashMap<DocId, Arc<Room>>,
    /// Presence announced through this connection: per document, each client's last clock.
    presence: HashMap<DocId, HashMap<u64, u32>>,
}

impl Drop for Connection {
    /// Leaves every room; whoever was present through this connection and did not say
    /// goodbye is announced as gone, so the others see it at once rather than in 30 s.
    fn drop(&mut self) {
        for (doc, room) in &self.rooms {
            room.unsubscribe(self.id);
            if let Some(present) = self.presence.get(doc).filter(|p| !p.is_empty()) {
                let notice = departure_notice(present.iter().map(|(client, clock)| (*client, *clock)));
                room.relay(self.id, Message::Awareness(notice).encode_v1());
            }
        }
    }
}

async fn run(socket: WebSocket, hub: Arc<Hub>, gate: Gate, credential: Credential, framing: Framing) {
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut outgoing) = mpsc::channel::<Bytes>(OUTBOX);
    let (close_tx, mut close_rx) = mpsc::channel::<Closing>(1);
    let writer = tokio::spawn(async move {
        loop {
            tokio::select! {
                biased;
                Some(frame) = outgoing.recv() => {
                    // Everything queued meanwhile goes out with it, in as few writes as fit.
                    let mut written = sink.feed(WsMessage::Binary(frame)).await;
                    while let (Ok(()), Ok(frame)) = (&written, outgoing.try_recv()) {
                        written = sink.feed(WsMessage::Binary(frame)).await;
                    }
                    if written.is_err() || sink.flush().await.is_err() {
                        return;
                    }
                }
                closing = close_rx.recv() => {
                    // Flush what was queued before the close (the error comes last).
                    while let Ok(frame) = outgoing.try_recv() {
                        let _ = sink.send(WsMessage::Binary(frame)).await;
                    }
                    if let Some(Closing { code, reason }) = closing {
                        let _ = sink.send(WsMessage::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
                    }
                    return;
                }
            }
        }
    });

    let mut conn = Connection {
        id: hub.connection_id(),
        framing,
        hub,
        gate,
        credential,
        outbox,
        fell_behind: Arc::new(Notify::new()),
        rooms: HashMap::new(),
        presence: HashMap::new(),
    };
    let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + FRESH_FOR, FRESH_FOR);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let opening = match &conn.framing {
        Framing::Single(doc) => conn.open_single(doc.clone()).await,
        Framing::Multiplexed => Ok(()),
    };
    let closing = if let Err(closing) = opening { Some(closing) } else { loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(Ok(WsMessage::Binary(bytes))) => {
                    if let Err(closing) = conn.handle(&bytes).await {
                        break Some(closing);
                    }
                }
                Some(Ok(WsMessage::Text(_))) => break Some(Closing::new(4400, "frames are binary")),
                Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => {}
                Some(Ok(WsMessage::Close(_))) | None => break None,
                Some(Err(e)) => break Some(Closing::new(4400, format!("bad WebSocket message: {e}"))),
            },
            _ = conn.fell_behind.notified() => {
                break Some(Closing::new(4408, "fell behind; reconnect to resync"));
            }
            _ = recheck.tick() => {
                if let Err(closing) = conn.recheck().await {
                    break Some(closing);
                }
            }
        }
    } };
    match closing {
        Some(closing) => {
            let _ = close_tx.send(closing).await;
        }
        None => drop(close_tx),
    }
    drop(conn);
    let _ = writer.await;
}

impl Connection {
    /// y-websocket's opening: the server sends its state vector first.
    async fn open_single(&mut self, doc: DocId) -> Result<(), Closing> {
        let room = self.join(&doc).await?;
        let (_, ours) = room.answer_step1(&Default::default());
        self.send(&doc, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(ours)))).await
    }

    async fn handle(&mut self, bytes: &[u8]) -> Result<(), Closing> {
        let malformed = |e: app::sync::FrameError| Closing::new(4400, e.to_string());
        let (doc, payload) = match &self.framing {
            Framing::Multiplexed => {
                let frame = Frame::decode(bytes).map_err(malformed)?;
                (frame.doc, frame.payload)
            }
            Framing::Single(doc) => (doc.clone(), Payload::decode_bare(bytes).map_err(malformed)?),
        };
        let needed = match &payload {
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update))) if update.as_slice() != EMPTY_UPDATE => {
                write_action(doc.kind())
            }
            _ => Action::Read,
        };
        // Unknown documents close the connection as before; the ids of the others are public
        // (one per action and permanent activity), so a refusal reveals nothing.
        self.hub.check_exists(&doc)?;
        if !self.gate.may(&self.credential, &doc, needed).await {
            if self.carries_nothing_new(&doc, &payload, needed).await? {
                // A reader's answer to step 1: it carries its whole delete set, which the
                // server has already. Nothing to store or relay; confirmed like any update.
                return match self.framing {
                    Framing::Multiplexed => self.send(&doc, Payload::Ack).await,
                    Framing::Single(_) => Ok(()),
                };
            }
            return self.refuse(&doc, needed).await;
        }
        let room = self.join(&doc).await?;
        match payload {
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(state_vector))) => {
                let (diff, ours) = room.answer_step1(&state_vector);
                self.send(&doc, Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(diff)))).await?;
                if matches!(self.framing, Framing::Multiplexed) {
                    self.send(&doc, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(ours)))).await?;
                }
                Ok(())
            }
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update))) => {
                if self.hub.accept_update(&room, &update).await? {
                    room.relay(self.id, Message::Sync(SyncMessage::Update(update)).encode_v1());
                }
                if matches!(self.framing, Framing::Multiplexed) {
                    self.send(&doc, Payload::Ack).await?;
                }
                Ok(())
            }
            Payload::Yjs(Message::Awareness(update)) => {
                let present = self.presence.entry(doc.clone()).or_default();
                for (client, entry) in &update.clients {
                    if is_departure(entry) {
                        present.remove(&client.get());
                    } else if present.len() < PRESENCE_PER_DOCUMENT || present.contains_key(&client.get()) {
                        present.insert(client.get(), entry.clock);
                    }
                }
                room.relay(self.id, Message::Awareness(update).encode_v1());
                Ok(())
            }
            Payload::Yjs(Message::AwarenessQuery) => Ok(()),
            _ => Err(Closing::new(4400, "unexpected message")),
        }
    }

    /// Whether a write one may not make is an update that would change nothing in the
    /// server's copy, from someone who may read the document.
    async fn carries_nothing_new(&mut self, doc: &DocId, payload: &Payload, needed: Action) -> Result<bool, Closing> {
        let Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update))) = payload else { return Ok(false) };
        if needed == Action::Read || !self.gate.may(&self.credential, doc, Action::Read).await {
            return Ok(false);
        }
        let room = self.join(doc).await?;
        // A malformed update counts as a change: it is refused like one.
        Ok(room.would_change(update).is_ok_and(|changes| !changes))
    }

    /// Tells the client what it may not do. On `/sync` only that document is concerned (a
    /// refused read also leaves its room); `/yjs` closes.
    async fn refuse(&mut self, doc: &DocId, action: Action) -> Result<(), Closing> {
        let reason = refusal(doc, action);
        let channel = if matches!(self.framing, Framing::Single(_)) { "/yjs" } else { "/sync" };
        self.gate.refused(&self.credential, doc, action, channel).await;
        if matches!(self.framing, Framing::Single(_)) {
            return Err(Closing::new(4403, reason));
        }
        let payload = if action == Action::Read {
            self.leave(doc);
            Payload::RefusedRead(reason)
        } else {
            Payload::RefusedWrite(reason)
        };
        self.send(doc, payload).await
    }

    /// Checks again that every room joined may still be read; leaves those that may not.
    async fn recheck(&mut self) -> Result<(), Closing> {
        let joined: Vec<DocId> = self.rooms.keys().cloned().collect();
        for doc in joined {
            if !self.gate.may(&self.credential, &doc, Action::Read).await {
                self.refuse(&doc, Action::Read).await?;
            }
        }
        Ok(())
    }

    /// Stops relaying `doc` to this connection; whoever was present through it is gone.
    fn leave(&mut self, doc: &DocId) {
        let Some(room) = self.rooms.remove(doc) else { return };
        room.unsubscribe(self.id);
        if let Some(present) = self.presence.remove(doc).filter(|p| !p.is_empty()) {
            let notice = departure_notice(present.iter().map(|(client, clock)| (*client, *clock)));
            room.relay(self.id, Message::Awareness(notice).encode_v1());
        }
    }

    /// The room of `doc`, subscribing this connection to its relays on first use.
    async fn join(&mut self, doc: &DocId) -> Result<Arc<Room>, Closing> {
        if let Some(room) = self.rooms.get(doc) {
            return Ok(room.clone());
        }
        let room = self.hub.room(doc).await?;
        room.subscribe(Subscriber {
            connection: self.id,
            outbox: self.outbox.clone(),
            bare: matches!(self.framing, Framing::Single(_)),
            fell_behind: self.fell_behind.clone(),
        });
        self.rooms.insert(doc.clone(), room.clone());
        Ok(room)
    }

    async fn send(&self, doc: &DocId, payload: Payload) -> Result<(), Closing> {
        let message = payload.into_message().encode_v1();
        self.outbox
            .send(self.framing.wrap(doc, message))
            .await
            .map_err(|_| Closing::new(1011, "connection closed"))
    }
}
