//! The sync hub behind `/sync`: one WebSocket per browser tab, many documents per socket
//! (frames tagged with the document id, see `app::sync`). Every update is checked and
//! appended to the durable log before it is acknowledged or relayed.
//!
//! Not done yet (see the sync-engine issue): awareness presence state on the server, the
//! `/yjs/{doc}` y-websocket endpoint, access checks, the client engine.

mod connection;
mod hub;

pub use connection::sync_socket;
pub use hub::Hub;
