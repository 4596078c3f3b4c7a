//! The sync hub behind `/sync`: one WebSocket per browser tab, many documents per socket
//! (frames tagged with the document id, see `desk_core::sync`). Every update is checked and
//! appended to the durable log before it is acknowledged or relayed.
//!
//! `/yjs/{doc}` serves one document to stock Yjs clients (y-websocket protocol).

mod connection;
mod hub;
mod owners;
mod socket;
mod upgrade;

pub use hub::Hub;
pub use upgrade::{sync_socket, yjs_socket};
