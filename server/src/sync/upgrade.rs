//! Opening a sync socket: `/sync` with the session cookie, `/yjs/{doc}` for stock Yjs clients
//! with a document token (Bearer or `?token=`) or the cookie; the socket's limits and buffers.
//!
//! Access: the session cookie is read at the upgrade (with an Origin check: a cookie from
//! another site's page opens nothing), and every message is checked against the gate at that
//! moment: reading (step 1, awareness) needs read, a non-empty update needs edit (ToR text) or
//! comment (comments). On `/sync` a refusal concerns that document only (a refused read is not
//! joined, a refused update is neither stored nor relayed and stands in for its ack); on
//! `/yjs` it closes the socket. Every [`FRESH_FOR`](crate::gate::FRESH_FOR) the rooms joined are checked again, so a
//! revoked right stops the relays without a reconnect.
//!
//! Two framings share this code: `/sync` (many documents, each message in a document-id
//! envelope, updates acknowledged) and `/yjs/{doc}` (one document, bare y-protocols messages
//! exactly as y-websocket speaks them: the server opens with its step 1, and sends no acks,
//! which stock clients would not understand).

use super::connection::Framing;
use super::hub::Hub;
use super::socket::{run, HARD_MAX_MESSAGE};
use crate::gate::{Credential, Gate};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::headers::authorization::{Authorization, Bearer};
use axum_extra::headers::HeaderMapExt;
use desk_core::access::Action;
use desk_core::doc::DocId;
use std::sync::Arc;

/// Bytes read from a socket at a time. tungstenite zero-fills its whole read buffer on every
/// read (128 KiB by default, so 128 KiB resident per connection); sync frames are small, and
/// a larger one is read in several goes.
const READ_BUFFER: usize = 4 * 1024;

/// Bytes gathered before a write when several frames are queued at once (a burst of relays).
const WRITE_BUFFER: usize = 8 * 1024;

/// Limits and buffer sizes of every sync socket.
fn configure(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .max_message_size(HARD_MAX_MESSAGE)
        .max_frame_size(HARD_MAX_MESSAGE)
        .read_buffer_size(READ_BUFFER)
        // Frames queued together go out in one write (see the writer in `run`).
        .write_buffer_size(WRITE_BUFFER)
}

/// The session token of an upgrade request; `Err` when it carries a cookie but comes from a
/// page of another site (Origin differs from Host): cross-site WebSocket hijacking.
fn session_of(headers: &HeaderMap) -> Result<Option<String>, CrossSite> {
    let token = crate::cookies::token_in(headers);
    if token.is_some() && !crate::cookies::same_site(headers) {
        return Err(CrossSite);
    }
    Ok(token)
}

/// A session cookie sent from another site's page.
struct CrossSite;

impl IntoResponse for CrossSite {
    fn into_response(self) -> Response {
        (StatusCode::FORBIDDEN, "this page may not open a connection with your session").into_response()
    }
}

pub async fn sync_socket(State(hub): State<Arc<Hub>>, State(gate): State<Gate>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    let credential = match session_of(&headers) {
        Ok(token) => Credential::session(token),
        Err(refused) => return refused.into_response(),
    };
    let name = display_name(&gate, &credential).await;
    configure(upgrade).on_upgrade(move |socket| run(socket, hub, gate, credential, name, Framing::Multiplexed))
}

/// The name a signed-in credential is shown under in presence (`None` signed out).
async fn display_name(gate: &Gate, credential: &Credential) -> Option<String> {
    let account = match credential {
        Credential::SignedOut => return None,
        Credential::Session(token) => gate.accounts().signed(token).await.ok().flatten()?.account.id,
        Credential::Token { account, .. } => *account,
    };
    gate.accounts().display_name(account).await.ok().flatten()
}

/// A document token given to `/yjs` (`Authorization: Bearer …` or `?token=…`).
#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `/yjs/{doc}` for stock Yjs clients (y-websocket's WebsocketProvider, room = document id).
/// They present a document token (`server token issue`) or a session cookie. A document this
/// credential may not read is not found; a token that is not valid for it is 401.
pub async fn yjs_socket(
    State(hub): State<Arc<Hub>>,
    State(gate): State<Gate>,
    Path(doc): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let doc = match DocId::parse(&doc) {
        Ok(doc) => doc,
        Err(e) => return (StatusCode::NOT_FOUND, e.to_string()).into_response(),
    };
    let bearer = headers.typed_get::<Authorization<Bearer>>().map(|auth| auth.token().to_owned());
    let credential = match bearer.or(query.token) {
        Some(presented) => match gate.accounts().check_token(presented.trim(), &doc).await {
            Ok(Some((account, expires_ms))) => Credential::Token { account, expires_ms },
            Ok(None) => return (StatusCode::UNAUTHORIZED, "the token is not valid for this document (expired, altered or for another)").into_response(),
            Err(e) => {
                tracing::error!("checking a document token: {e}");
                return (StatusCode::SERVICE_UNAVAILABLE, "the token could not be checked").into_response();
            }
        },
        None => match session_of(&headers) {
            Ok(token) => Credential::session(token),
            Err(refused) => return refused.into_response(),
        },
    };
    if let Err(e) = hub.room(&doc).await {
        return (StatusCode::NOT_FOUND, e.to_string()).into_response();
    }
    if !gate.may(&credential, &doc, Action::Read).await {
        gate.refused(&credential, &doc, Action::Read, "/yjs").await;
        return (StatusCode::NOT_FOUND, format!("unknown document {doc}")).into_response();
    }
    let name = display_name(&gate, &credential).await;
    configure(upgrade).on_upgrade(move |socket| run(socket, hub, gate, credential, name, Framing::Single(doc)))
}
