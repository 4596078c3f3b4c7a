//! The protocol session of one connection, free of the socket (`socket.rs` pumps it): reads
//! messages in order, answers sync step 1 with step 2 and its own
//! step 1, stores and acknowledges updates, and relays updates and awareness to the other
//! connections on the same documents. A bad message closes this connection only, with a close
//! code and a reason: 4400 malformed, 4403 refused (`/yjs`), 4404 unknown document, 4408 fell
//! behind, 4500 storage; 1001 when the server stops (clients reconnect quietly), 1009 for a
//! message over [`HARD_MAX_MESSAGE`](super::socket::HARD_MAX_MESSAGE).
//!
//! On `/sync` an update the room will not take concerns its document only: one over
//! [`MAX_FRAME_BYTES`] or one that would make a ToR too long is refused as a write (with the
//! reason); one that depends on changes the server lacks, or repeats clocks another writer
//! (a connection outside this browser session, `owners`) wrote with the same client id, is answered `Resync` and the server's step 1, so the client
//! sends exactly what is missing (at most one step 1 per document every [`RESYNC_EVERY`]).
//! `/yjs` asks stock clients for what is missing with its step 1, and closes (4400, with the
//! reason) on a clashing client id or a ToR too long.
//!
//! Presence: only well-formed states are relayed (`null` or a JSON object of at most
//! [`MAX_PRESENCE_BYTES`]), only for client ids this connection owns in the room (the first
//! to announce one owns it until it leaves; see `owners`), and a signed-in person's
//! `user.name` is replaced by their account's name and delegation, so nobody can appear as
//! somebody else.

use super::hub::{Hub, HubError, Room, Subscriber};
use super::owners::Writer;
use crate::doc_log::EMPTY_UPDATE;
use crate::gate::{Credential, Gate};
use bytes::Bytes;
use desk_core::access::{write_action, Action};
use desk_core::doc::DocId;
use desk_core::sync::{close, departure_notice, envelope, is_departure, Encode, Frame, Message, Payload, SyncMessage, MAX_FRAME_BYTES};
use desk_core::sync::{AwarenessUpdate, AwarenessUpdateEntry};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Notify};

/// Clients one connection may be present as in one document (a tab is one; this bounds what
/// a misbehaving client can make the server remember).
const PRESENCE_PER_DOCUMENT: usize = 16;

/// Largest presence state relayed (its JSON text, in bytes): a name, a colour, a caret.
pub const MAX_PRESENCE_BYTES: usize = 4 * 1024;

/// A connection is sent the server's step 1 for one document at most this often after a
/// resync, so a client that keeps sending what cannot be merged does not loop.
pub const RESYNC_EVERY: Duration = Duration::from_secs(2);

/// How messages on a connection name their document.
#[derive(Clone)]
pub(super) enum Framing {
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

/// Why a message was refused, in the user's words.
fn refusal(doc: &DocId, action: Action) -> String {
    match action {
        Action::Read | Action::Manage => "You may not open this document.".to_owned(),
        Action::Edit => format!("You may not edit {doc}: your change was not saved on the server and stays on this device only."),
        Action::Comment => format!("You may not comment on {doc}: your comment was not saved on the server and stays on this device only."),
    }
}

pub(super) struct Closing {
    pub(super) code: u16,
    pub(super) reason: String,
}

impl Closing {
    pub(super) fn new(code: u16, reason: impl Into<String>) -> Self {
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
            HubError::UnknownDocument(_) => Closing::new(close::UNKNOWN_DOCUMENT, e.to_string()),
            HubError::Log(crate::doc_log::DocLogError::Refused(refused)) => Closing::new(close::MALFORMED, refused.to_string()),
            HubError::Log(other) => {
                tracing::error!("sync storage: {other}");
                Closing::new(close::STORAGE, "the server could not store the update; nothing was lost on your side")
            }
            HubError::Gap(_) | HubError::ClientIdTaken(_) | HubError::TooLong { .. } => Closing::new(close::MALFORMED, e.to_string()),
        }
    }
}

pub(super) struct Connection {
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
    /// The account's name and delegation, shown as this connection's presence name.
    name: Option<String>,
    /// When this connection was last sent the server's step 1 after a resync, per document.
    resynced: HashMap<DocId, Instant>,
}

impl Drop for Connection {
    /// Leaves every room; whoever was present through this connection and did not say
    /// goodbye is announced as gone, so the others see it at once rather than in 30 s.
    fn drop(&mut self) {
        for (doc, room) in &self.rooms {
            room.unsubscribe(self.id);
            room.owners.connection_left(self.id);
            if let Some(present) = self.presence.get(doc).filter(|p| !p.is_empty()) {
                let notice = departure_notice(present.iter().map(|(client, clock)| (*client, *clock)));
                room.relay(self.id, Message::Awareness(notice).encode_v1());
            }
        }
    }
}

impl Connection {
    /// A new session over `outbox` (the frames its socket writes), for `credential`, shown in
    /// presence as `name`.
    pub(super) fn new(hub: Arc<Hub>, gate: Gate, credential: Credential, name: Option<String>, framing: Framing, outbox: mpsc::Sender<Bytes>) -> Self {
        Self {
            id: hub.connection_id(),
            framing,
            hub,
            gate,
            credential,
            outbox,
            fell_behind: Arc::new(Notify::new()),
            rooms: HashMap::new(),
            presence: HashMap::new(),
            name,
            resynced: HashMap::new(),
        }
    }

    /// Who writes through this connection (`owners`): tabs of one browser share its session
    /// cookie, so they count as one writer. The key is the token's hash under a key of this
    /// process, never stored or sent.
    fn writer(&self) -> Writer {
        static KEY: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
        let session = match &self.credential {
            Credential::Session(token) => Some(std::hash::BuildHasher::hash_one(KEY.get_or_init(std::hash::RandomState::new), token)),
            Credential::SignedOut | Credential::Token { .. } => None,
        };
        Writer { connection: self.id, session }
    }

    /// Told when this connection's outbox is full: the socket then closes it.
    pub(super) fn fell_behind(&self) -> Arc<Notify> {
        self.fell_behind.clone()
    }

    /// What a connection does first: `/yjs` joins its document and sends the server's step 1;
    /// `/sync` waits for the client.
    pub(super) async fn open(&mut self) -> Result<(), Closing> {
        match &self.framing {
            Framing::Single(doc) => self.open_single(doc.clone()).await,
            Framing::Multiplexed => Ok(()),
        }
    }

    /// y-websocket's opening: the server sends its state vector first.
    async fn open_single(&mut self, doc: DocId) -> Result<(), Closing> {
        let room = self.join(&doc).await?;
        let (_, ours) = room.answer_step1(&Default::default());
        self.send(&doc, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(ours)))).await
    }

    pub(super) async fn handle(&mut self, bytes: &[u8]) -> Result<(), Closing> {
        let malformed = |e: desk_core::sync::FrameError| Closing::new(close::MALFORMED, e.to_string());
        if bytes.len() > MAX_FRAME_BYTES {
            return match &self.framing {
                Framing::Multiplexed => {
                    let doc = Frame::doc_of(bytes).map_err(malformed)?;
                    self.hub.check_exists(&doc)?;
                    tracing::info!(connection = self.id, %doc, bytes = bytes.len(), "refused a message too large");
                    let said = format!(
                        "Your change to {doc} ({} KB) is larger than the {} KB one message may carry: it was not stored, and stays on your device.",
                        bytes.len().div_ceil(1024),
                        MAX_FRAME_BYTES / 1024
                    );
                    self.send(&doc, Payload::RefusedWrite(said)).await
                }
                Framing::Single(_) => Err(Closing::new(close::TOO_BIG, format!("a message may be at most {MAX_FRAME_BYTES} bytes"))),
            };
        }
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
                match self.hub.accept_update(&room, &update, self.writer()).await {
                    Ok(changed) => {
                        if changed {
                            room.relay(self.id, Message::Sync(SyncMessage::Update(update)).encode_v1());
                        }
                        if matches!(self.framing, Framing::Multiplexed) {
                            self.send(&doc, Payload::Ack).await?;
                        }
                        Ok(())
                    }
                    Err(e @ (HubError::Gap(_) | HubError::ClientIdTaken(_))) => self.ask_resync(&doc, &room, e).await,
                    Err(e @ HubError::TooLong { .. }) if matches!(self.framing, Framing::Multiplexed) => {
                        tracing::info!(connection = self.id, %doc, "{e}");
                        self.send(&doc, Payload::RefusedWrite(format!("Your change to {doc} was {e}"))).await
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Payload::Yjs(Message::Awareness(update)) => {
                let vetted = self.vet_presence(&doc, &room, update);
                if !vetted.clients.is_empty() {
                    room.relay(self.id, Message::Awareness(vetted).encode_v1());
                }
                Ok(())
            }
            Payload::Yjs(Message::AwarenessQuery) => Ok(()),
            _ => Err(Closing::new(close::MALFORMED, "unexpected message")),
        }
    }

    /// An update the room could not merge as sent (see the module docs): `/sync` is told to
    /// resync that document and sent the server's step 1; `/yjs` is sent the step 1 (a stock
    /// client answers with what is missing) or, for a clashing client id, closed.
    async fn ask_resync(&mut self, doc: &DocId, room: &Room, why: HubError) -> Result<(), Closing> {
        tracing::info!(connection = self.id, %doc, "{why}");
        match self.framing {
            Framing::Multiplexed => self.send(doc, Payload::Resync(why.to_string())).await?,
            Framing::Single(_) if matches!(why, HubError::ClientIdTaken(_)) => return Err(why.into()),
            Framing::Single(_) => {}
        }
        if self.resynced.get(doc).is_some_and(|at| at.elapsed() < RESYNC_EVERY) {
            return Ok(());
        }
        self.resynced.insert(doc.clone(), Instant::now());
        let (_, ours) = room.answer_step1(&Default::default());
        self.send(doc, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(ours)))).await
    }

    /// The part of a presence update this connection may send (see the module docs), with
    /// the account's name put in; what it announces is remembered for its goodbye.
    fn vet_presence(&mut self, doc: &DocId, room: &Room, update: AwarenessUpdate) -> AwarenessUpdate {
        let present = self.presence.entry(doc.clone()).or_default();
        let mut vetted = AwarenessUpdate { clients: HashMap::new() };
        for (client, entry) in update.clients {
            let id = client.get();
            let Some(json) = presence_state(&entry.json, self.name.as_deref()) else {
                tracing::debug!(connection = self.id, %doc, client = id, "dropped a malformed presence state");
                continue;
            };
            let known = present.contains_key(&id);
            if !known && present.len() >= PRESENCE_PER_DOCUMENT {
                continue;
            }
            if !room.owners.claim_presence(self.id, id) {
                tracing::debug!(connection = self.id, %doc, client = id, "dropped presence for a client id another connection owns");
                continue;
            }
            let entry = AwarenessUpdateEntry { clock: entry.clock, json: json.into() };
            if is_departure(&entry) {
                present.remove(&id);
                room.owners.release_presence(self.id, id);
            } else {
                present.insert(id, entry.clock);
            }
            vetted.clients.insert(client, entry);
        }
        vetted
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
            return Err(Closing::new(close::REFUSED, reason));
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
    pub(super) async fn recheck(&mut self) -> Result<(), Closing> {
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
        room.owners.connection_left(self.id);
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
        self.outbox.send(self.framing.wrap(doc, message)).await.map_err(|_| Closing::new(close::INTERNAL, "connection closed"))
    }
}

/// A presence state as it may be relayed: `null`, or a JSON object of at most
/// [`MAX_PRESENCE_BYTES`] whose `user.name`, when `name` is given (a signed-in connection), is
/// that name. `None`: not relayed (not JSON, another kind of value, or too large).
fn presence_state(json: &str, name: Option<&str>) -> Option<String> {
    if json.len() > MAX_PRESENCE_BYTES {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(json).ok()? {
        serde_json::Value::Null => Some("null".to_owned()),
        serde_json::Value::Object(mut state) => {
            if let Some(name) = name {
                let user = state.entry("user").or_insert_with(|| serde_json::json!({}));
                if let Some(user) = user.as_object_mut() {
                    user.insert("name".into(), name.into());
                } else {
                    *user = serde_json::json!({ "name": name });
                }
                return serde_json::to_string(&state).ok();
            }
            Some(json.to_owned())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_presence_is_relayed_and_the_account_names_it() {
        assert_eq!(presence_state("{not json", None), None);
        assert_eq!(presence_state("42", None), None, "not an object");
        assert_eq!(presence_state("\"text\"", None), None);
        assert_eq!(presence_state(&format!("{{\"pad\":\"{}\"}}", "x".repeat(MAX_PRESENCE_BYTES)), None), None, "too large");
        assert_eq!(presence_state("null", Some("Bea")).as_deref(), Some("null"));
        let kept = r##"{"user":{"name":"Guest 225","color":"#1f6feb"}}"##;
        assert_eq!(presence_state(kept, None).as_deref(), Some(kept), "signed out: as sent");
        let named: serde_json::Value = serde_json::from_str(&presence_state(kept, Some("Pierre Editor (France)")).unwrap()).unwrap();
        assert_eq!(named["user"]["name"], "Pierre Editor (France)");
        assert_eq!(named["user"]["color"], "#1f6feb");
        let named: serde_json::Value = serde_json::from_str(&presence_state(r#"{"user":"Mallory"}"#, Some("Bea")).unwrap()).unwrap();
        assert_eq!(named["user"]["name"], "Bea", "a user that is not an object is replaced");
    }
}
