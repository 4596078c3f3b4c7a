//! The WebSocket close codes the sync server uses, named once for the server, its clients and
//! the tests. 1001, 1009 and 1011 are RFC 6455's; the 44xx/45xx codes are ours (the 4000–4999
//! range is for applications) and mirror the HTTP status of the same meaning.

/// The server is stopping; clients reconnect quietly (RFC 6455 "going away").
pub const GOING_AWAY: u16 = 1001;
/// A WebSocket message larger than the server reads (RFC 6455 "message too big").
pub const TOO_BIG: u16 = 1009;
/// The connection cannot go on for a reason inside the server (RFC 6455 "internal error").
pub const INTERNAL: u16 = 1011;
/// The client sent something malformed or out of protocol; the reason says what.
pub const MALFORMED: u16 = 4400;
/// Refused for lack of rights (the single-document `/yjs` framing; `/sync` refuses per document).
pub const REFUSED: u16 = 4403;
/// The document named does not exist.
pub const UNKNOWN_DOCUMENT: u16 = 4404;
/// The client fell behind (its outbox filled up); reconnecting resyncs it.
pub const FELL_BEHIND: u16 = 4408;
/// The server could not store an update; the client keeps it and sends it again.
pub const STORAGE: u16 = 4500;
