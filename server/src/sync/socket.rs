//! One sync socket's pump: a writer task that batches queued frames into few writes and sends
//! the close frame last, and the reader loop feeding the protocol session (`connection.rs`)
//! with binary messages, the server's stop, a full outbox and the periodic access re-check.

use super::connection::{Closing, Connection, Framing};
use super::hub::Hub;
use crate::gate::{Credential, Gate, FRESH_FOR};
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use bytes::Bytes;
use desk_core::sync::{close, MAX_FRAME_BYTES};
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Frames waiting to be written to one connection; a connection that lets this fill up is
/// dropped rather than allowed to hold anyone else up.
const OUTBOX: usize = 1024;

/// Largest message read at all; one over [`MAX_FRAME_BYTES`] but under this is refused for
/// its document on `/sync`, and one over this closes the socket (1009).
pub const HARD_MAX_MESSAGE: usize = 4 * MAX_FRAME_BYTES;

pub(super) async fn run(socket: WebSocket, hub: Arc<Hub>, gate: Gate, credential: Credential, name: Option<String>, framing: Framing) {
    let _live = hub.connection_opened();
    let mut stopping = hub.stopping();
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut outgoing) = mpsc::channel::<Bytes>(OUTBOX);
    let (close_tx, mut close_rx) = mpsc::channel::<Closing>(1);
    let writer = tokio::spawn(async move {
        loop {
            tokio::select! {
                biased;
                Some(frame) = outgoing.recv() => {
                    // Everything queued meanwhile goes out with it, in as few writes as fit.
                    let mut written = sink.feed(WsMessage::Binary(frame)).await;
                    while let (Ok(()), Ok(frame)) = (&written, outgoing.try_recv()) {
                        written = sink.feed(WsMessage::Binary(frame)).await;
                    }
                    if written.is_err() || sink.flush().await.is_err() {
                        return;
                    }
                }
                closing = close_rx.recv() => {
                    // Flush what was queued before the close (the error comes last).
                    while let Ok(frame) = outgoing.try_recv() {
                        let _ = sink.send(WsMessage::Binary(frame)).await;
                    }
                    if let Some(Closing { code, reason }) = closing {
                        let _ = sink.send(WsMessage::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
                    }
                    return;
                }
            }
        }
    });

    let mut conn = Connection::new(hub, gate, credential, name, framing, outbox);
    let fell_behind = conn.fell_behind();
    let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + FRESH_FOR, FRESH_FOR);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let opening = conn.open().await;
    let closing = if let Err(closing) = opening {
        Some(closing)
    } else {
        loop {
            tokio::select! {
                message = stream.next() => match message {
                    Some(Ok(WsMessage::Binary(bytes))) => {
                        if let Err(closing) = conn.handle(&bytes).await {
                            break Some(closing);
                        }
                    }
                    Some(Ok(WsMessage::Text(_))) => break Some(Closing::new(close::MALFORMED, "frames are binary")),
                    Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => {}
                    Some(Ok(WsMessage::Close(_))) | None => break None,
                    Some(Err(e)) if e.to_string().contains("too long") => {
                        break Some(Closing::new(close::TOO_BIG, format!("a message may be at most {HARD_MAX_MESSAGE} bytes")))
                    }
                    Some(Err(e)) => break Some(Closing::new(close::MALFORMED, format!("bad WebSocket message: {e}"))),
                },
                _ = async { stopping.wait_for(|stopping| *stopping).await.map(drop) } => {
                    break Some(Closing::new(close::GOING_AWAY, "the server is restarting; reconnect in a moment"));
                }
                _ = fell_behind.notified() => {
                    break Some(Closing::new(close::FELL_BEHIND, "fell behind; reconnect to resync"));
                }
                _ = recheck.tick() => {
                    if let Err(closing) = conn.recheck().await {
                        break Some(closing);
                    }
                }
            }
        }
    };
    match closing {
        Some(closing) => {
            let _ = close_tx.send(closing).await;
        }
        None => drop(close_tx),
    }
    drop(conn);
    let _ = writer.await;
}
