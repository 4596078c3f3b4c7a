//! The sync protocol between browsers and the server: the Yjs sync and awareness messages
//! (yrs's types), multiplexed over one WebSocket by tagging each frame with its document
//! id, plus five messages of our own (acknowledgement, error, two refusals and resync:
//! `frame.rs`); the client engine that speaks it, presence, and the local store trait.
//! UI-free and I/O-free.

mod client;
pub mod close;
mod frame;
mod presence;
mod store;

pub use client::{Outcome, SyncEngine, SyncEvent, SyncStatus};
pub use frame::{envelope, Frame, FrameError, Payload, MAX_FRAME_BYTES, MSG_ACK, MSG_ERROR, MSG_RESYNC};
pub use presence::{departure_notice, is_departure, Cursor, PeerState, User};
pub use store::{merge_stored, LocalStore, MemoryStore, StoreError, StoredDoc};
pub use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
/// The y-protocols message types, so users of this module need not depend on yrs.
pub use yrs::sync::{Message, SyncMessage};
pub use yrs::updates::{decoder::Decode, encoder::Encode};
pub use yrs::{ClientID, StateVector};

#[cfg(test)]
mod client_tests;
