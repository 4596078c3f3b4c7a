//! Rooms: one in-memory replica per open document, loaded from the log when the first
//! connection asks for it and dropped when the last one leaves.

use crate::doc_log::{DocLog, DocLogError, EMPTY_UPDATE};
use app::doc::{DocId, TorDoc};
use app::model::Programme;
use app::sync::{envelope, StateVector};
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::broadcast;

/// How many relayed frames a room buffers for its slowest connection before that
/// connection is dropped (it then reconnects and resyncs by state vector).
pub const RELAY_BUFFER: usize = 1024;

/// A y-protocols message one connection sent that the others in the room should receive,
/// encoded once in each framing: bare (`/yjs`) and in the document's envelope (`/sync`).
/// Cloning shares the bytes.
#[derive(Clone)]
pub struct Relay {
    pub from: u64,
    pub bare: Bytes,
    pub framed: Bytes,
}

pub struct Room {
    pub id: DocId,
    doc: Mutex<TorDoc>,
    relay: broadcast::Sender<Relay>,
}

impl Room {
    pub fn subscribe(&self) -> broadcast::Receiver<Relay> {
        self.relay.subscribe()
    }

    /// Sends to every other connection in the room; nobody listening is fine.
    pub fn relay(&self, from: u64, message: Vec<u8>) {
        if self.relay.receiver_count() == 0 {
            return;
        }
        let framed = envelope(&self.id, &message).into();
        let _ = self.relay.send(Relay { from, bare: message.into(), framed });
    }

    /// What a peer with `state_vector` lacks, and this replica's own state vector.
    pub fn answer_step1(&self, state_vector: &StateVector) -> (Vec<u8>, StateVector) {
        self.doc.lock().unwrap_or_else(|e| e.into_inner()).answer_step1(state_vector)
    }
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

    pub fn connection_id(&self) -> u64 {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// The room of a document, loading it from the log if nobody has it open.
    pub async fn room(&self, id: &DocId) -> Result<Arc<Room>, HubError> {
        if !id.exists_in(&self.programme) {
            return Err(HubError::UnknownDocument(id.clone()));
        }
        let mut rooms = self.rooms.lock().await;
        if let Some(room) = rooms.get(id).and_then(Weak::upgrade) {
            return Ok(room);
        }
        rooms.retain(|_, room| room.strong_count() > 0);
        let doc = self.load(id).await?;
        let room = Arc::new(Room {
            id: id.clone(),
            doc: Mutex::new(doc),
            relay: broadcast::channel(RELAY_BUFFER).0,
        });
        rooms.insert(id.clone(), Arc::downgrade(&room));
        Ok(room)
    }

    async fn load(&self, id: &DocId) -> Result<TorDoc, HubError> {
        // Client id 0: the server's replica never edits.
        let doc = TorDoc::new(0);
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
            let doc = room.doc.lock().unwrap_or_else(|e| e.into_inner());
            doc.apply_update(update).map_err(DocLogError::from)?;
            doc.has_pending()
        };
        if stuck {
            let rebuilt = self.load(&room.id).await?;
            *room.doc.lock().unwrap_or_else(|e| e.into_inner()) = rebuilt;
        }
        Ok(true)
    }
}
