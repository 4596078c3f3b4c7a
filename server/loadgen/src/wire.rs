//! The `/sync` wire, as cheaply as a load generator needs it: frames built with `desk_core::sync`,
//! incoming frames classified by reading a few lib0 varuints with yrs's reader (no allocation), and the origin
//! of an update, (client id, clock), read from its header.

use anyhow::Context;
use desk_core::doc::{DocId, TorDoc};
use desk_core::sync::{Frame, StateVector, SyncMessage, MSG_ACK};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use yrs::encoding::read::{Cursor, Read};

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Connects with small buffers (thousands of sockets live in this one process) and
/// TCP_NODELAY, so the load generator's own socket adds no batching delay.
pub async fn connect(url: &str) -> anyhow::Result<Socket> {
    let config = WebSocketConfig::default().read_buffer_size(4 * 1024).write_buffer_size(0);
    let (socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true).await.with_context(|| format!("connecting to {url}"))?;
    Ok(socket)
}

/// A replica's state vector (taken from its answer to an empty state vector, which works
/// whichever form `TorDoc::state_vector` returns).
pub fn state_vector(replica: &TorDoc) -> StateVector {
    replica.answer_step1(&StateVector::default()).1
}

/// Sync step 1 for `doc` with state vector `sv`.
pub fn step1(doc: &DocId, sv: StateVector) -> Vec<u8> {
    Frame::sync(doc.clone(), SyncMessage::SyncStep1(sv)).encode()
}

pub fn update(doc: &DocId, update: Vec<u8>) -> Vec<u8> {
    Frame::sync(doc.clone(), SyncMessage::Update(update)).encode()
}

/// What a frame from the server is, borrowing its payload.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming<'a> {
    Step1(&'a [u8]),
    Step2(&'a [u8]),
    Update(&'a [u8]),
    Ack,
    Other,
}

/// lib0 reading through yrs's [`Cursor`], borrowing buffers for the frame's lifetime
/// (`Read::read_buf` borrows the cursor instead, which `Incoming` cannot hold).
struct Reader<'a>(Cursor<'a>);

impl<'a> Reader<'a> {
    fn varuint(&mut self) -> Option<u64> {
        self.0.read_var().ok()
    }

    fn buf(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.varuint()?).ok()?;
        let start = self.0.next;
        let buf = self.0.buf.get(start..start.checked_add(len)?)?;
        self.0.next += len;
        Some(buf)
    }
}

/// Classifies a `/sync` frame: envelope `varString(doc id)`, then one y-protocols message.
pub fn classify(frame: &[u8]) -> Incoming<'_> {
    let mut r = Reader(Cursor::new(frame));
    let parsed = (|| {
        r.buf()?; // the document id
        match r.varuint()? {
            0 => {
                let kind = r.varuint()?;
                let payload = r.buf()?;
                Some(match kind {
                    0 => Incoming::Step1(payload),
                    1 => Incoming::Step2(payload),
                    2 => Incoming::Update(payload),
                    _ => Incoming::Other,
                })
            }
            tag if tag == u64::from(MSG_ACK) => Some(Incoming::Ack),
            _ => Some(Incoming::Other),
        }
    })();
    parsed.unwrap_or(Incoming::Other)
}

/// The (client id, clock) of the first struct of a v1 update, which starts with varuints:
/// number of clients, number of structs of the first client, its id, its first clock.
pub fn origin(update: &[u8]) -> Option<(u64, u64)> {
    let mut r = Reader(Cursor::new(update));
    if r.varuint()? == 0 {
        return None;
    }
    r.varuint()?;
    Some((r.varuint()?, r.varuint()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_core::doc::TorSection;
    use desk_core::sync::{Encode, Message, Payload};

    #[test]
    fn frames_are_classified_and_updates_name_their_origin() {
        let doc = DocId::parse("tor/nps").unwrap();
        let author = TorDoc::new(10_042);
        author.splice(TorSection::Scope, 0, 0, "ab");
        let edit = author.splice(TorSection::Scope, 1, 0, "x");
        assert_eq!(origin(&edit), Some((10_042, 2)));
        let framed = update(&doc, edit.clone());
        assert_eq!(classify(&framed), Incoming::Update(&edit[..]));
        let ack = Frame::new(doc.clone(), Payload::Ack).encode();
        assert_eq!(classify(&ack), Incoming::Ack);
        assert!(matches!(classify(&step1(&doc, state_vector(&author))), Incoming::Step1(_)));
        let step2 = Frame::sync(doc.clone(), SyncMessage::SyncStep2(vec![0, 0])).encode();
        assert_eq!(classify(&step2), Incoming::Step2(&[0, 0]));
        let awareness = desk_core::sync::envelope(&doc, &Message::AwarenessQuery.encode_v1());
        assert_eq!(classify(&awareness), Incoming::Other);
        assert_eq!(classify(b"\xff"), Incoming::Other);
        assert_eq!(origin(&[0, 0]), None);
    }
}
