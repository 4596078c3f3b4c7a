//! The browser's sync engine, without the browser: it holds the local replicas, keeps them in
//! a [`LocalStore`] after every change, turns local edits into frames, merges what the server
//! sends, and counts the local changes the server has not yet confirmed. The caller owns the
//! WebSocket and the clock and passes bytes and times in; everything here is tested on the
//! host against an in-test hub.
//!
//! Confirmation: each update (or step 2) sent on a connection remembers how many local changes
//! had been made when it was sent; the server acknowledges updates in order, so each ack
//! confirms that many. On reconnect the unconfirmed ones are not resent one by one: the
//! server's state vector (its step 1) tells what it lacks, and the step 2 answer carries all of
//! it in one message.
//!
//! Size: no frame larger than [`MAX_FRAME_BYTES`] is ever sent (the server would refuse it).
//! Limits on sections and documents keep a document's whole state, and so any answer to
//! sync step 1, below that; a change that would still not fit stays on this device,
//! unconfirmed, and is reported once per connection as [`SyncEvent::TooLarge`] (the other
//! documents go on syncing; nothing is resent in a loop).
//!
//! Resync: when the server did not store an update as sent (it depends on changes the server
//! lacks, or repeats another connection's clocks), it answers `Resync` and its own step 1, to
//! which this engine answers with exactly what the server lacks. A server step 1 showing
//! changes under this engine's own client id that it did not make means another replica
//! writes with the same id: reported as [`SyncEvent::RefusedWrite`] (the page says to
//! reload, which gives a new id).

use super::presence::{PeerState, Presence};
use super::store::{LocalStore, StoreError, StoredDoc};
use super::{Frame, FrameError, Message, Payload, SyncMessage, MAX_FRAME_BYTES};
use crate::doc::{CommentsDoc, DocId, DocKind, SharedDoc, TorDoc, TorSection};
use std::collections::{HashMap, VecDeque};

/// A replica of either kind of document.
enum AnyDoc {
    Tor(TorDoc),
    Comments(CommentsDoc),
}

impl AnyDoc {
    fn new(doc: &DocId, client_id: u64) -> Self {
        match doc.kind() {
            DocKind::TermsOfReference => Self::Tor(TorDoc::new(client_id)),
            DocKind::TorComments => Self::Comments(CommentsDoc::new(client_id)),
        }
    }
}

impl std::ops::Deref for AnyDoc {
    type Target = SharedDoc;
    fn deref(&self) -> &SharedDoc {
        match self {
            Self::Tor(doc) => doc,
            Self::Comments(doc) => doc,
        }
    }
}

/// One document as this tab holds it.
struct Replica {
    doc: AnyDoc,
    made: u64,
    confirmed: u64,
    /// For each unacknowledged message on this connection: `made` when it was sent.
    awaiting: VecDeque<u64>,
    /// The server's step 2 has arrived on this connection.
    synced: bool,
    /// Step 1 was sent on this connection.
    subscribed: bool,
    /// A fingerprint of the state this tab last read from or wrote to the store: when the
    /// store still holds it, no other tab wrote meanwhile and there is nothing to merge.
    last_stored: Option<u64>,
    /// This replica holds the document as some server had it: it was in the local store,
    /// or a step 2 arrived. Until then an empty replica may just mean "not fetched yet".
    known: bool,
    /// A change too large to send was reported on this connection (reported once).
    too_large: bool,
    /// `Resync` answers since the last ack on this connection (a bound on resync loops).
    resyncs: u32,
    presence: Presence,
}

/// Something the UI may want to redraw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncEvent {
    /// The text of a document changed (remote edits merged).
    Changed(DocId),
    /// Who is present in a document changed.
    Presence(DocId),
    /// The server refused something; it closes the connection after this.
    ServerError(String),
    /// The server refuses this tab reading a document (now): it is not synced; the local
    /// copy stays as it is.
    RefusedRead(DocId, String),
    /// The server refused what this tab wrote to a document: not stored, not relayed; the
    /// changes stay here, unconfirmed.
    RefusedWrite(DocId, String),
    /// A change to this document is larger than one frame may carry
    /// ([`MAX_FRAME_BYTES`], the size given here): not sent, kept here unconfirmed.
    TooLarge(DocId, usize),
}

/// Resyncs answered in a row without an ack before the engine stops and reports it.
pub(super) const MAX_RESYNCS: u32 = 3;

/// What to do after feeding the engine: frames to send, things to redraw.
#[derive(Debug, Default)]
pub struct Outcome {
    pub send: Vec<Vec<u8>>,
    pub events: Vec<SyncEvent>,
    /// Set when the local copy could not be stored (the browser's quota).
    pub store_error: Option<StoreError>,
}

/// The state shown in the sync indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncStatus {
    pub online: bool,
    /// Online, but some document is still exchanging what the other side lacks.
    pub syncing: bool,
    /// Local changes the server has not yet confirmed.
    pub unsynced: u64,
}

pub struct SyncEngine<S: LocalStore> {
    store: S,
    client_id: u64,
    online: bool,
    replicas: HashMap<DocId, Replica>,
}

impl<S: LocalStore> SyncEngine<S> {
    /// `client_id` must be fresh and random for every engine (every tab, every load), 53 bits
    /// at most: two replicas editing with the same id corrupt a document.
    pub fn new(store: S, client_id: u64) -> Self {
        Self { store, client_id: client_id & ((1 << 53) - 1), online: false, replicas: HashMap::new() }
    }

    pub fn client_id(&self) -> u64 {
        self.client_id
    }

    /// Loads `doc` from the local store (once) and, when online, subscribes to it.
    pub fn open(&mut self, doc: &DocId) -> Outcome {
        let mut outcome = Outcome::default();
        if !self.replicas.contains_key(doc) {
            let stored = self.store.load(doc);
            let known = stored.is_some();
            let last_stored = stored.as_ref().map(|s| fingerprint(&s.state));
            let stored = stored.unwrap_or_default();
            let replica = AnyDoc::new(doc, self.client_id);
            // A stored copy that cannot be read is left as it is in the store until this
            // replica's first save; the server still has everything it confirmed.
            let _ = replica.apply_update(&stored.state);
            self.replicas.insert(
                doc.clone(),
                Replica {
                    doc: replica,
                    made: stored.made,
                    confirmed: stored.confirmed,
                    awaiting: VecDeque::new(),
                    synced: false,
                    subscribed: false,
                    known,
                    too_large: false,
                    resyncs: 0,
                    last_stored,
                    presence: Presence::new(self.client_id),
                },
            );
        }
        if self.online {
            self.subscribe(doc, &mut outcome);
        }
        outcome
    }

    /// Whether the replica of `doc` holds the document as stored somewhere (locally or on the
    /// server), rather than an empty copy waiting for its first sync.
    pub fn is_known(&self, doc: &DocId) -> bool {
        self.replicas.get(doc).is_some_and(|r| r.known)
    }

    pub fn doc(&self, doc: &DocId) -> Option<&TorDoc> {
        match self.replicas.get(doc).map(|replica| &replica.doc) {
            Some(AnyDoc::Tor(tor)) => Some(tor),
            _ => None,
        }
    }

    /// The replica of a comments document, once opened.
    pub fn comments(&self, doc: &DocId) -> Option<&CommentsDoc> {
        match self.replicas.get(doc).map(|replica| &replica.doc) {
            Some(AnyDoc::Comments(comments)) => Some(comments),
            _ => None,
        }
    }

    /// A local edit (see [`TorDoc::splice`]): stored locally at once, sent when online.
    pub fn edit(&mut self, doc: &DocId, section: TorSection, index: u32, delete: u32, insert: &str) -> Outcome {
        let mut outcome = self.open(doc);
        let online = self.online;
        let Some(Replica { doc: AnyDoc::Tor(tor), .. }) = self.replicas.get(doc) else { return outcome };
        let update = tor.splice(section, index, delete, insert);
        self.count_local_change(doc, update, online, &mut outcome);
        outcome
    }

    /// Pre-fills a section of a document that was never pre-filled (on any replica this one
    /// has heard of). Counted and sent like a local edit; identical everywhere, so it merges
    /// into one text however many replicas do it.
    pub fn prefill(&mut self, doc: &DocId, section: TorSection, text: &str) -> Outcome {
        let mut outcome = self.open(doc);
        let online = self.online;
        let Some(Replica { doc: AnyDoc::Tor(tor), .. }) = self.replicas.get(doc) else { return outcome };
        if tor.is_prefilled() || text.is_empty() {
            return outcome;
        }
        let update = TorDoc::prefill_update(section, text);
        if tor.apply_update(&update).is_ok() {
            self.count_local_change(doc, update, online, &mut outcome);
        }
        outcome
    }

    /// A change the caller already made on a replica (e.g. through [`Self::comments`]), given
    /// as the update it produced: counted, stored and sent like an edit.
    pub fn record_local_change(&mut self, doc: &DocId, update: Vec<u8>) -> Outcome {
        let mut outcome = Outcome::default();
        let online = self.online;
        self.count_local_change(doc, update, online, &mut outcome);
        outcome
    }

    /// A change already in the replica: count it, send it when subscribed, store it.
    fn count_local_change(&mut self, doc: &DocId, update: Vec<u8>, online: bool, outcome: &mut Outcome) {
        let Some(replica) = self.replicas.get_mut(doc) else { return };
        replica.made += 1;
        if online && replica.subscribed {
            let frame = Frame::sync(doc.clone(), SyncMessage::Update(update)).encode();
            let made = replica.made;
            replica.send_counted(doc, frame, made, outcome);
        }
        self.persist(doc, outcome);
    }

    /// The WebSocket is open: subscribe to every open document (step 1 each).
    pub fn connected(&mut self) -> Outcome {
        self.online = true;
        let mut outcome = Outcome::default();
        let docs: Vec<DocId> = self.replicas.keys().cloned().collect();
        for doc in docs {
            self.subscribe(&doc, &mut outcome);
        }
        outcome
    }

    /// The WebSocket closed: whatever was not acknowledged stays unconfirmed and goes again,
    /// by state vector, on the next connection.
    pub fn disconnected(&mut self) {
        self.online = false;
        for replica in self.replicas.values_mut() {
            replica.awaiting.clear();
            replica.too_large = false;
            replica.resyncs = 0;
            replica.synced = false;
            replica.subscribed = false;
            replica.presence.forget_peers();
        }
    }

    fn subscribe(&mut self, doc: &DocId, outcome: &mut Outcome) {
        let Some(replica) = self.replicas.get_mut(doc) else { return };
        if replica.subscribed {
            return;
        }
        replica.subscribed = true;
        let state_vector = replica.doc.state_vector();
        outcome.send.push(Frame::sync(doc.clone(), SyncMessage::SyncStep1(state_vector)).encode());
        if replica.presence.mine().is_some() {
            // Announce ourselves; `now` only matters for renewal timing.
            let sent_at = 0;
            let hello = replica.presence.announce(sent_at);
            outcome.send.push(Frame::new(doc.clone(), Payload::Yjs(Message::Awareness(hello))).encode());
        }
    }

    /// A frame from the server.
    pub fn receive(&mut self, bytes: &[u8], now_ms: u64) -> Result<Outcome, FrameError> {
        let frame = Frame::decode(bytes)?;
        let mut outcome = Outcome::default();
        let doc = frame.doc;
        let Some(replica) = self.replicas.get_mut(&doc) else {
            // Not a document this tab opened: nothing to do.
            return Ok(outcome);
        };
        match frame.payload {
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(update))) => {
                self.merge_remote(&doc, &update, &mut outcome)?;
                if let Some(replica) = self.replicas.get_mut(&doc) {
                    replica.synced = true;
                    replica.known = true;
                }
            }
            Payload::Yjs(Message::Sync(SyncMessage::Update(update))) => self.merge_remote(&doc, &update, &mut outcome)?,
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(theirs))) => {
                let me = super::ClientID::new(self.client_id);
                if theirs.get(&me) > replica.doc.state_vector().get(&me) {
                    // Nothing is answered: an answer would be confirmed without carrying this
                    // tab's clashing changes. They stay here, unconfirmed.
                    outcome.events.push(SyncEvent::RefusedWrite(
                        doc.clone(),
                        "Another copy of this document writes with this page's identity, so changes made here cannot be sent: reload the page (your text stays on this device).".into(),
                    ));
                    return Ok(outcome);
                }
                if replica.resyncs >= MAX_RESYNCS {
                    // Reported; what the server keeps refusing is not sent again on this connection.
                    return Ok(outcome);
                }
                let (diff, _) = replica.doc.answer_step1(&theirs);
                let frame = Frame::sync(doc.clone(), SyncMessage::SyncStep2(diff)).encode();
                let made = replica.made;
                replica.send_counted(&doc, frame, made, &mut outcome);
            }
            Payload::Resync(text) => {
                // In place of the ack: not stored as sent. The server's step 1 follows, and the
                // answer to it carries what the server lacks.
                replica.awaiting.pop_front();
                replica.resyncs += 1;
                if replica.resyncs == MAX_RESYNCS {
                    outcome.events.push(SyncEvent::RefusedWrite(doc, text));
                }
            }
            Payload::Ack => {
                replica.resyncs = 0;
                if let Some(made) = replica.awaiting.pop_front() {
                    replica.confirmed = replica.confirmed.max(made);
                    self.persist(&doc, &mut outcome);
                }
            }
            Payload::Yjs(Message::Awareness(update)) => {
                let change = replica.presence.receive(&update, now_ms);
                if change.newcomer && replica.presence.mine().is_some() {
                    let hello = replica.presence.announce(now_ms);
                    outcome.send.push(Frame::new(doc.clone(), Payload::Yjs(Message::Awareness(hello))).encode());
                }
                if change.visible {
                    outcome.events.push(SyncEvent::Presence(doc));
                }
            }
            Payload::Error(text) => outcome.events.push(SyncEvent::ServerError(text)),
            Payload::RefusedRead(text) => {
                replica.subscribed = false;
                outcome.events.push(SyncEvent::RefusedRead(doc, text));
            }
            Payload::RefusedWrite(text) => {
                // In place of the ack: those changes are not confirmed, and stay here.
                replica.awaiting.pop_front();
                outcome.events.push(SyncEvent::RefusedWrite(doc, text));
            }
            Payload::Yjs(_) => {}
        }
        Ok(outcome)
    }

    /// Merges an update from the server into a replica and stores the result.
    fn merge_remote(&mut self, doc: &DocId, update: &[u8], outcome: &mut Outcome) -> Result<(), FrameError> {
        let Some(replica) = self.replicas.get_mut(doc) else { return Ok(()) };
        replica.doc.apply_update(update).map_err(|e| FrameError::Malformed(e.to_string()))?;
        if replica.doc.has_pending() {
            // Something it depends on never reached us: ask again for everything we lack.
            outcome.send.push(Frame::sync(doc.clone(), SyncMessage::SyncStep1(replica.doc.state_vector())).encode());
        }
        outcome.events.push(SyncEvent::Changed(doc.clone()));
        self.persist(doc, outcome);
        Ok(())
    }

    /// Sets who we are and where our caret is in `doc` (None when leaving it).
    pub fn set_presence(&mut self, doc: &DocId, state: Option<PeerState>, now_ms: u64) -> Outcome {
        let mut outcome = Outcome::default();
        let online = self.online;
        if let Some(replica) = self.replicas.get_mut(doc) {
            let update = replica.presence.set_mine(state, now_ms);
            if online && replica.subscribed {
                outcome.send.push(Frame::new(doc.clone(), Payload::Yjs(Message::Awareness(update))).encode());
            }
        }
        outcome
    }

    /// Call every few seconds: drops peers gone silent, renews our presence.
    pub fn tick(&mut self, now_ms: u64) -> Outcome {
        let mut outcome = Outcome::default();
        let online = self.online;
        for (doc, replica) in &mut self.replicas {
            let (dropped, renew) = replica.presence.tick(now_ms);
            if dropped {
                outcome.events.push(SyncEvent::Presence(doc.clone()));
            }
            if let (Some(update), true) = (renew, online && replica.subscribed) {
                outcome.send.push(Frame::new(doc.clone(), Payload::Yjs(Message::Awareness(update))).encode());
            }
        }
        outcome
    }

    pub fn peers(&self, doc: &DocId) -> Vec<(u64, PeerState)> {
        let mut peers: Vec<(u64, PeerState)> =
            self.replicas.get(doc).map(|replica| replica.presence.present().map(|(id, state)| (id, state.clone())).collect()).unwrap_or_default();
        peers.sort_by(|a, b| a.1.user.name.cmp(&b.1.user.name).then(a.0.cmp(&b.0)));
        peers
    }

    pub fn status(&self) -> SyncStatus {
        SyncStatus {
            online: self.online,
            syncing: self.online && self.replicas.values().any(|r| r.subscribed && (!r.synced || !r.awaiting.is_empty())),
            unsynced: self.replicas.values().map(|r| r.made.saturating_sub(r.confirmed)).sum(),
        }
    }

    /// Local changes of one document not yet confirmed.
    pub fn unsynced(&self, doc: &DocId) -> u64 {
        self.replicas.get(doc).map_or(0, |r| r.made.saturating_sub(r.confirmed))
    }

    /// Takes in what another tab stored of `doc` since this tab last wrote it (the browser's
    /// store merged it into the stored copy), as the next save would; the outcome carries
    /// [`SyncEvent::Changed`] when the text changed, and what to send. Nothing for a document
    /// not open here.
    pub fn take_stored(&mut self, doc: &DocId) -> Outcome {
        let mut outcome = Outcome::default();
        self.persist(doc, &mut outcome);
        outcome
    }

    /// Writes a replica to the store. What another tab stored meanwhile is merged in first, so
    /// two tabs of one browser never overwrite each other's offline work.
    fn persist(&mut self, doc: &DocId, outcome: &mut Outcome) {
        let online = self.online;
        let Some(replica) = self.replicas.get_mut(doc) else { return };
        if let Some(theirs) = self.store.load(doc) {
            if replica.last_stored != Some(fingerprint(&theirs.state)) {
                let before = replica.doc.state_vector();
                let _ = replica.doc.apply_update(&theirs.state);
                if replica.doc.state_vector() != before {
                    // The other tab's changes are now this replica's to send: counted as made
                    // here until the server confirms them, so the stored copy never looks as
                    // if nothing in it were unsent (and may not be removed) before they are
                    // on the server; sent now when subscribed, else by the next sync.
                    replica.made += theirs.unsynced().max(1);
                    // Its text changed under the page: whatever shows it must show it now (a
                    // field still showing the text without the other tab's words would, at the
                    // next keystroke, turn into an edit deleting them).
                    outcome.events.push(SyncEvent::Changed(doc.clone()));
                    if online && replica.subscribed {
                        let (update, _) = replica.doc.answer_step1(&before);
                        let frame = Frame::sync(doc.clone(), SyncMessage::Update(update)).encode();
                        let made = replica.made;
                        replica.send_counted(doc, frame, made, outcome);
                    }
                }
            }
        }
        let stored = StoredDoc { state: replica.doc.encode_state(), made: replica.made, confirmed: replica.confirmed };
        match self.store.save(doc, &stored) {
            Ok(()) => replica.last_stored = Some(fingerprint(&stored.state)),
            Err(e) => outcome.store_error = Some(e),
        }
    }
}

impl Replica {
    /// Sends a frame that confirms `made` local changes once acknowledged, if it fits in one
    /// frame; otherwise reports it (once per connection) and keeps the changes unconfirmed.
    fn send_counted(&mut self, doc: &DocId, frame: Vec<u8>, made: u64, outcome: &mut Outcome) {
        if frame.len() > MAX_FRAME_BYTES {
            if !self.too_large {
                self.too_large = true;
                outcome.events.push(SyncEvent::TooLarge(doc.clone(), frame.len()));
            }
            return;
        }
        self.awaiting.push_back(made);
        outcome.send.push(frame);
    }
}

/// A cheap fingerprint of a stored state (not for security: only "is it what I wrote?").
fn fingerprint(state: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    state.hash(&mut hasher);
    hasher.finish()
}
