//! Rooms: one in-memory replica per open document, loaded from the log when the first
//! connection asks for it and dropped when the last one leaves.
//!
//! What a room refuses before storing anything (each refusal concerns one update; see
//! [`HubError`]): an update that could not be integrated yet (changes of some client start
//! past what the room has, or deletions of items nobody sent: it would sit pending inside
//! the replica forever, and Yjs's pending updates slow down every later one), an update that
//! repeats changes of a client id another connection wrote (two replicas with one client id:
//! Yjs would skip the second one's clashing changes silently, after acknowledging them), and
//! a terms of reference that would grow past [`MAX_TOR_UNITS`]. The room's replica never
//! holds pending updates: one that still waits after being applied (its items refer to
//! items nobody sent) is dropped from memory with a log line; the log keeps it.

use super::owners::{Owners, Writer};
use crate::doc_log::{DocLog, DocLogError, EMPTY_UPDATE};
use bytes::Bytes;
use desk_core::doc::{DocId, DocKind, Gap, SharedDoc, TorSection, PREFILL_CLIENT_ID};
use desk_core::model::Programme;
use desk_core::sync::{envelope, StateVector};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::{mpsc, Notify};

/// One connection listening to a room: relays go straight into its outbox, framed its way.
pub struct Subscriber {
    pub connection: u64,
    pub outbox: mpsc::Sender<Bytes>,
    /// `/yjs` connections get bare messages, `/sync` ones the document's envelope.
    pub bare: bool,
    /// Told when the outbox is full: the connection then closes (4408) and its client
    /// reconnects and resyncs by state vector.
    pub fell_behind: Arc<Notify>,
}

/// Most text a terms of reference may hold, in UTF-16 code units over all its sections: as
/// much as the browser lets each section hold ([`desk_core::doc::MAX_SECTION_UNITS`], which the
/// browser enforces per field), so a browser never meets it, and a ToR's whole state, and so
/// any answer to sync step 1, stays inside one frame. The server checks the whole document
/// (it cannot tell which section an update's new text lands in before applying it).
pub const MAX_TOR_UNITS: u64 = desk_core::doc::MAX_SECTION_UNITS as u64 * TorSection::ALL.len() as u64;

pub struct Room {
    pub id: DocId,
    doc: Mutex<SharedDoc>,
    subscribers: Mutex<Vec<Subscriber>>,
    /// Which connection wrote with which client id, and which announced which presence.
    pub owners: Owners,
}

impl Room {
    pub fn subscribe(&self, subscriber: Subscriber) {
        lock(&self.subscribers).push(subscriber);
    }

    pub fn unsubscribe(&self, connection: u64) {
        lock(&self.subscribers).retain(|s| s.connection != connection);
    }

    /// Sends a y-protocols message to every other connection in the room, without waiting:
    /// a connection whose outbox is full is told it fell behind and gets no more. Each
    /// framing is encoded once, and every recipient shares the bytes.
    pub fn relay(&self, from: u64, message: Vec<u8>) {
        let mut subscribers = lock(&self.subscribers);
        let bare = Bytes::from(message);
        let mut framed = None;
        subscribers.retain(|s| {
            if s.connection == from {
                return true;
            }
            let frame = if s.bare { bare.clone() } else { framed.get_or_insert_with(|| Bytes::from(envelope(&self.id, &bare))).clone() };
            match s.outbox.try_send(frame) {
                Ok(()) => true,
                // It gets nothing more: it is closing, or gone.
                Err(mpsc::error::TrySendError::Full(_)) => {
                    s.fell_behind.notify_one();
                    false
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            }
        });
    }

    /// Whether `update` would add anything to the room's replica (see
    /// [`SharedDoc::would_change`]).
    pub fn would_change(&self, update: &[u8]) -> Result<bool, desk_core::doc::DocError> {
        lock(&self.doc).would_change(update)
    }

    /// What a peer with `state_vector` lacks, and this replica's own state vector.
    pub fn answer_step1(&self, state_vector: &StateVector) -> (Vec<u8>, StateVector) {
        lock(&self.doc).answer_step1(state_vector)
    }
}

/// Locks a mutex, carrying on past a panic in another holder (the data stays usable).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("there is no document {0}")]
    UnknownDocument(DocId),
    #[error(transparent)]
    Log(#[from] DocLogError),
    /// Not stored: it depends on changes the server never got; the sender should resync.
    #[error("not stored: this change of client {} starts at clock {} but the server has its changes only up to {}; sync again", .0.client, .0.needs, .0.has)]
    Gap(Gap),
    /// Not stored: another writer (`owners::Writer`: another browser session or connection) wrote with this client id.
    #[error("not stored: client id {0} already wrote here from another browser (or signed out, another connection), and two copies of a document with one client id cannot be merged; reload the page")]
    ClientIdTaken(u64),
    /// Not stored: the document would be too long.
    #[error("not stored: this terms of reference would hold {would} characters, more than the {max} allowed")]
    TooLong { would: u64, max: u64 },
}

pub struct Hub {
    log: DocLog,
    programme: Arc<Programme>,
    rooms: tokio::sync::Mutex<HashMap<DocId, Weak<Room>>>,
    next_connection: AtomicU64,
    /// Set when the server stops: every connection closes with 1001 (going away).
    stopping: tokio::sync::watch::Sender<bool>,
    /// Connections open now.
    open: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts a connection as open until dropped.
pub struct OpenConnection(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Hub {
    pub fn new(log: DocLog, programme: Arc<Programme>) -> Self {
        Self {
            log,
            programme,
            rooms: Default::default(),
            next_connection: AtomicU64::new(1),
            stopping: tokio::sync::watch::Sender::new(false),
            open: Default::default(),
        }
    }

    /// Counts a connection as open while the returned guard lives.
    pub fn connection_opened(&self) -> OpenConnection {
        self.open.fetch_add(1, Ordering::Relaxed);
        OpenConnection(self.open.clone())
    }

    /// Becomes true when the server stops.
    pub fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    /// The server stops: every connection finishes the message in hand (so an update being
    /// stored is stored and acknowledged) and closes with 1001; waits up to `grace` for them.
    pub async fn stop(&self, grace: std::time::Duration) {
        self.stopping.send_replace(true);
        let deadline = tokio::time::Instant::now() + grace;
        while self.open.load(Ordering::Relaxed) > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The log the hub stores updates in (pages read documents from it).
    pub fn log(&self) -> &DocLog {
        &self.log
    }

    pub fn connection_id(&self) -> u64 {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// A document of the programme, or [`HubError::UnknownDocument`].
    pub fn check_exists(&self, id: &DocId) -> Result<(), HubError> {
        if id.exists_in(&self.programme) {
            Ok(())
        } else {
            Err(HubError::UnknownDocument(id.clone()))
        }
    }

    /// The room of a document, loading it from the log if nobody has it open.
    pub async fn room(&self, id: &DocId) -> Result<Arc<Room>, HubError> {
        self.check_exists(id)?;
        let mut rooms = self.rooms.lock().await;
        if let Some(room) = rooms.get(id).and_then(Weak::upgrade) {
            return Ok(room);
        }
        rooms.retain(|_, room| room.strong_count() > 0);
        let doc = self.load(id).await?;
        let room = Arc::new(Room { id: id.clone(), doc: Mutex::new(doc), subscribers: Mutex::default(), owners: Owners::default() });
        rooms.insert(id.clone(), Arc::downgrade(&room));
        Ok(room)
    }

    async fn load(&self, id: &DocId) -> Result<SharedDoc, HubError> {
        // Client id 0: the server's replica never edits.
        let doc = SharedDoc::new(0);
        if let Some(stored) = self.log.load(id).await? {
            doc.apply_update(&stored).map_err(DocLogError::from)?;
        }
        Ok(Self::drop_pending(id, doc))
    }

    /// The replica without what waits inside it for changes nobody sent (logged).
    fn drop_pending(id: &DocId, doc: SharedDoc) -> SharedDoc {
        match doc.without_pending() {
            Some(integrated) => {
                tracing::warn!("{id}: changes that depend on changes the server never got are kept in the log but not in memory");
                integrated
            }
            None => doc,
        }
    }

    /// Checks an update from writer `from` (see the module's refusals), stores it
    /// durably, then merges it into the room's replica. Returns whether the update carried
    /// anything (an empty one is accepted but neither stored nor worth relaying).
    pub async fn accept_update(&self, room: &Room, update: &[u8], from: Writer) -> Result<bool, HubError> {
        if update == EMPTY_UPDATE {
            return Ok(false);
        }
        desk_core::doc::check_update(update).map_err(DocLogError::from)?;
        let check = lock(&room.doc).check(update).map_err(DocLogError::from)?;
        if let Some(gap) = check.gap {
            return Err(HubError::Gap(gap));
        }
        if room.id.kind() == DocKind::TermsOfReference && check.new_units > 0 {
            let now = lock(&room.doc).texts_len(&TorSection::ALL.map(TorSection::root_name));
            let would = now + check.new_units;
            if would > MAX_TOR_UNITS {
                return Err(HubError::TooLong { would, max: MAX_TOR_UNITS });
            }
        }
        // The server's id never writes, and pre-filled text is the same update everywhere.
        let overlapping = check.overlapping.iter().copied().filter(|&client| client != 0 && client != PREFILL_CLIENT_ID);
        room.owners.claim_writes(from, overlapping, check.extending.iter().copied()).map_err(HubError::ClientIdTaken)?;
        self.log.append(&room.id, update).await?;
        let mut doc = lock(&room.doc);
        doc.apply_update(update).map_err(DocLogError::from)?;
        if doc.has_pending() {
            let integrated = Self::drop_pending(&room.id, std::mem::replace(&mut *doc, SharedDoc::new(0)));
            *doc = integrated;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscriber(connection: u64, bare: bool, capacity: usize) -> (Subscriber, mpsc::Receiver<Bytes>) {
        let (outbox, inbox) = mpsc::channel(capacity);
        (Subscriber { connection, outbox, bare, fell_behind: Arc::new(Notify::new()) }, inbox)
    }

    #[tokio::test]
    async fn relays_reach_the_others_in_their_framing_and_a_full_outbox_is_dropped() {
        let doc = DocId::parse("tor/nps").unwrap();
        let room = Room { id: doc.clone(), doc: Mutex::new(SharedDoc::new(0)), subscribers: Mutex::default(), owners: Owners::default() };
        let (sender, mut sender_inbox) = subscriber(1, false, 8);
        let (framed, mut framed_inbox) = subscriber(2, false, 8);
        let (bare, mut bare_inbox) = subscriber(3, true, 8);
        let (slow, _slow_inbox) = subscriber(4, false, 1);
        let slow_told = slow.fell_behind.clone();
        let (gone, gone_inbox) = subscriber(5, false, 8);
        for s in [sender, framed, bare, slow, gone] {
            room.subscribe(s);
        }
        drop(gone_inbox);

        room.relay(1, b"first".to_vec());
        assert!(sender_inbox.try_recv().is_err(), "nobody gets their own messages back");
        assert_eq!(framed_inbox.try_recv().unwrap(), envelope(&doc, b"first"));
        assert_eq!(bare_inbox.try_recv().unwrap(), &b"first"[..]);
        assert_eq!(lock(&room.subscribers).len(), 4, "a closed outbox is forgotten");

        // The slow one's outbox (room for one) is full now: it is told, and gets no more.
        room.relay(1, b"second".to_vec());
        tokio::time::timeout(std::time::Duration::from_secs(1), slow_told.notified()).await.unwrap();
        let left: Vec<u64> = lock(&room.subscribers).iter().map(|s| s.connection).collect();
        assert_eq!(left, [1, 2, 3]);
        room.unsubscribe(2);
        room.relay(1, b"third".to_vec());
        assert_eq!(framed_inbox.try_recv().unwrap(), envelope(&doc, b"second"));
        assert!(framed_inbox.try_recv().is_err(), "unsubscribed");
    }
}
