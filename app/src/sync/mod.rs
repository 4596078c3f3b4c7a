//! The sync protocol between browsers and the server: the Yjs sync and awareness messages
//! (yrs's types), multiplexed over one WebSocket by tagging each frame with its document
//! id, plus two messages of our own (acknowledgement and error). UI-free and I/O-free.

mod frame;

pub use frame::{envelope, Frame, FrameError, Payload, MAX_FRAME_BYTES, MSG_ACK, MSG_ERROR};
/// The y-protocols message types, so users of this module need not depend on yrs.
pub use yrs::sync::{Message, SyncMessage};
pub use yrs::updates::{decoder::Decode, encoder::Encode};
pub use yrs::StateVector;
