//! Rooms: one in-memory replica per open document, loaded from the log when the first
//! connection asks for it and dropped when the last one leaves.

use crate::doc_log::{DocLog, DocLogError, EMPTY_UPDATE};
use app::doc::{DocId, SharedDoc};
use app::model::Programme;
use app::sync::{envelope, StateVector};
use bytes::Bytes;
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

pub struct Room {
    pub id: DocId,
    doc: Mutex<SharedDoc>,
    subscribers: Mutex<Vec<Subscriber>>,
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
    pub fn would_change(&self, update: &[u8]) -> Result<bool, app::doc::DocError> {
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
}

pub struct Hub {
    log: DocLog,
    programme: Arc<Programme>,
    rooms: tokio::sync::Mutex<HashMap<DocId, Weak<Room>>>,
    next_connection: AtomicU64,
}

impl Hub {
    pub fn new(log: DocLog, programme: Arc<Programme>) -> Self {
        Self { log, programme, rooms: Default::default(), next_connection: AtomicU64::new(1) }
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
        let room = Arc::new(Room { id: id.clone(), doc: Mutex::new(doc), subscribers: Mutex::default() });
        rooms.insert(id.clone(), Arc::downgrade(&room));
        Ok(room)
    }

    async fn load(&self, id: &DocId) -> Result<SharedDoc, HubError> {
        // Client id 0: the server's replica never edits.
        let doc = SharedDoc::new(0);
        if let Some(stored) = self.log.load(id).await? {
            doc.apply_update(&stored).map_err(DocLogError::from)?;
        }
        Ok(doc)
    }

    /// Checks an update, stores it durably, then merges it into the room's replica. When the
    /// replica is left waiting on updates it has not seen (yrs can stay stuck there, see
    /// `app::doc`), it is rebuilt from the log, which keeps everything. Returns whether the
    /// update carried anything (an empty one is accepted but neither stored nor worth relaying).
    pub async fn accept_update(&self, room: &Room, update: &[u8]) -> Result<bool, HubError> {
        if update == EMPTY_UPDATE {
            return Ok(false);
        }
        self.log.append(&room.id, update).await?;
        let stuck = {
            let doc = lock(&room.doc);
            doc.apply_update(update).map_err(DocLogError::from)?;
            doc.has_pending()
        };
        if stuck {
            let rebuilt = self.load(&room.id).await?;
            *lock(&room.doc) = rebuilt;
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
        let room = Room { id: doc.clone(), doc: Mutex::new(SharedDoc::new(0)), subscribers: Mutex::default() };
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
