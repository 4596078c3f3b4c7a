//! One WebSocket binary message: `varString(doc id)` followed by one y-protocols message
//! (`0` sync: step 1 / step 2 / update; `1` awareness; …), encoded as lib0 v1 like Yjs does.
//! Ours: `Custom(100, [])` acknowledges that one update from this connection is durably
//! stored (acks come in the order the updates were sent); `Custom(101, utf-8 text)` is an
//! error, after which the server closes the connection; `Custom(102, text)` and
//! `Custom(103, text)` refuse one document's message for lack of rights (reading; writing:
//! the update is neither stored nor relayed, and stands in for its ack), and the connection
//! goes on. `Custom(104, text)` stands in for the ack of an update the server did not store
//! because it could not merge it as sent (it depends on changes the server lacks, or repeats
//! clocks another connection wrote): the client should sync that document again by state
//! vector, which sends exactly what is missing; the server follows it with its step 1.

use crate::doc::{BadDocId, DocId};
use yrs::encoding::read::{Cursor, Read};
use yrs::encoding::write::Write;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::{Encode, Encoder, EncoderV1};

/// Largest frame accepted (an update plus its envelope).
pub const MAX_FRAME_BYTES: usize = 1 << 20;
pub const MSG_ACK: u8 = 100;
pub const MSG_ERROR: u8 = 101;
pub const MSG_REFUSED_READ: u8 = 102;
pub const MSG_REFUSED_WRITE: u8 = 103;
pub const MSG_RESYNC: u8 = 104;

/// What a frame carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// A y-protocols message (sync or awareness).
    Yjs(Message),
    /// One update from the receiver of this frame is stored durably.
    Ack,
    /// Something was wrong; the connection closes after it.
    Error(String),
    /// This document may not be read by this connection (now): nothing of it is sent.
    RefusedRead(String),
    /// The update sent was not stored nor relayed: no right to write it, or it is too large
    /// (in place of its ack).
    RefusedWrite(String),
    /// The update sent was not stored as sent: sync this document again by state vector (in
    /// place of its ack).
    Resync(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub doc: DocId,
    pub payload: Payload,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("frame of {0} bytes is larger than the {MAX_FRAME_BYTES} allowed")]
    TooLarge(usize),
    #[error("malformed frame: {0}")]
    Malformed(String),
    #[error(transparent)]
    BadDocId(#[from] BadDocId),
}

impl Payload {
    /// As a y-protocols message (ours are custom message types).
    pub fn into_message(self) -> Message {
        match self {
            Payload::Yjs(message) => message,
            Payload::Ack => Message::Custom(MSG_ACK, Vec::new()),
            Payload::Error(text) => Message::Custom(MSG_ERROR, text.into_bytes()),
            Payload::RefusedRead(text) => Message::Custom(MSG_REFUSED_READ, text.into_bytes()),
            Payload::RefusedWrite(text) => Message::Custom(MSG_REFUSED_WRITE, text.into_bytes()),
            Payload::Resync(text) => Message::Custom(MSG_RESYNC, text.into_bytes()),
        }
    }

    pub fn from_message(message: Message) -> Self {
        match message {
            Message::Custom(MSG_ACK, _) => Payload::Ack,
            Message::Custom(MSG_ERROR, text) => Payload::Error(String::from_utf8_lossy(&text).into_owned()),
            Message::Custom(MSG_REFUSED_READ, text) => Payload::RefusedRead(String::from_utf8_lossy(&text).into_owned()),
            Message::Custom(MSG_REFUSED_WRITE, text) => Payload::RefusedWrite(String::from_utf8_lossy(&text).into_owned()),
            Message::Custom(MSG_RESYNC, text) => Payload::Resync(String::from_utf8_lossy(&text).into_owned()),
            other => Payload::Yjs(other),
        }
    }

    /// Decodes a bare y-protocols message (as stock y-websocket clients send them).
    pub fn decode_bare(bytes: &[u8]) -> Result<Self, FrameError> {
        if bytes.len() > MAX_FRAME_BYTES {
            return Err(FrameError::TooLarge(bytes.len()));
        }
        Message::decode_v1(bytes).map(Self::from_message).map_err(|e| FrameError::Malformed(e.to_string()))
    }
}

/// Puts the document-id envelope in front of an encoded y-protocols message.
pub fn envelope(doc: &DocId, message: &[u8]) -> Vec<u8> {
    let mut encoder = EncoderV1::new();
    encoder.write_string(&doc.to_string());
    let mut bytes = encoder.to_vec();
    bytes.extend_from_slice(message);
    bytes
}

impl Frame {
    pub fn new(doc: DocId, payload: Payload) -> Self {
        Self { doc, payload }
    }

    pub fn sync(doc: DocId, message: SyncMessage) -> Self {
        Self::new(doc, Payload::Yjs(Message::Sync(message)))
    }

    pub fn encode(&self) -> Vec<u8> {
        envelope(&self.doc, &self.payload.clone().into_message().encode_v1())
    }

    /// The document a frame of any size is about (its envelope alone), so a frame too large
    /// to take can be refused for that document only.
    pub fn doc_of(bytes: &[u8]) -> Result<DocId, FrameError> {
        let mut decoder = DecoderV1::new(Cursor::new(bytes));
        let doc = decoder.read_string().map_err(|e| FrameError::Malformed(e.to_string()))?;
        Ok(DocId::parse(doc)?)
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, FrameError> {
        if bytes.len() > MAX_FRAME_BYTES {
            return Err(FrameError::TooLarge(bytes.len()));
        }
        let mut decoder = DecoderV1::new(Cursor::new(bytes));
        let doc = decoder.read_string().map_err(|e| FrameError::Malformed(e.to_string()))?;
        let doc = DocId::parse(doc)?;
        let message = Message::decode(&mut decoder).map_err(|e| FrameError::Malformed(e.to_string()))?;
        Ok(Self { doc, payload: Payload::from_message(message) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{TorDoc, TorSection};
    use yrs::StateVector;

    #[test]
    fn frames_round_trip() {
        let doc = DocId::parse("tor/nps").unwrap();
        let update = TorDoc::new(1).splice(TorSection::Scope, 0, 0, "NPS");
        for payload in [
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(StateVector::default()))),
            Payload::Yjs(Message::Sync(SyncMessage::Update(update))),
            Payload::Ack,
            Payload::Error("no such document".into()),
            Payload::RefusedRead("You may not open this document.".into()),
            Payload::RefusedWrite("You may not edit this text.".into()),
            Payload::Resync("sync again".into()),
        ] {
            let frame = Frame::new(doc.clone(), payload);
            assert_eq!(Frame::decode(&frame.encode()).unwrap(), frame);
        }
    }

    #[test]
    fn bad_frames_are_errors_not_panics() {
        assert!(matches!(Frame::decode(&vec![0; MAX_FRAME_BYTES + 1]), Err(FrameError::TooLarge(_))));
        // A frame too large to decode still names its document.
        let mut oversize = envelope(&DocId::parse("tor/nps").unwrap(), &[0, 2]);
        oversize.resize(MAX_FRAME_BYTES + 10, 7);
        assert_eq!(Frame::doc_of(&oversize).unwrap(), DocId::parse("tor/nps").unwrap());
        assert!(Frame::doc_of(b"\xff").is_err());
        assert!(Frame::decode(b"").is_err());
        assert!(Frame::decode(b"\x07tor/nps").is_err(), "no message after the id");
        let mut unknown_doc = EncoderV1::new();
        unknown_doc.write_string("minutes/x");
        assert!(matches!(Frame::decode(&unknown_doc.to_vec()), Err(FrameError::BadDocId(_))));
        // Every truncation of a valid frame, and some mutations of it, decode or fail cleanly.
        let good = Frame::sync(DocId::parse("tor/nps").unwrap(), SyncMessage::Update(TorDoc::new(1).splice(TorSection::Scope, 0, 0, "x"))).encode();
        for end in 0..good.len() {
            let _ = Frame::decode(&good[..end]);
        }
        for i in 0..good.len() {
            let mut mutated = good.clone();
            mutated[i] ^= 0xff;
            let _ = Frame::decode(&mutated);
        }
    }
}
