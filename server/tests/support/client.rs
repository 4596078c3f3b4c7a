//! A `/sync` client for tests: raw frames in and out, with waits that fail after 5 s.

use super::TestServer;
use desk_core::doc::{DocId, TorDoc};
use desk_core::sync::{Decode, Frame, Message, Payload, StateVector, SyncMessage};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message as Ws;

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct Client {
    pub socket: Socket,
}

pub enum Received {
    Frame(Frame),
    Closed(Option<(u16, String)>),
}

impl Client {
    pub async fn connect(server: &TestServer) -> Self {
        let (socket, _) = tokio_tungstenite::connect_async(server.ws_url("/sync")).await.expect("connect /sync");
        Self { socket }
    }

    /// Connects with a browser's session cookie (`pd_session=…`, from `sign_in`).
    pub async fn connect_with_cookie(server: &TestServer, cookie: &str) -> Self {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = server.ws_url("/sync").into_client_request().unwrap();
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
        let (socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect /sync with a cookie");
        Self { socket }
    }

    pub async fn send_bytes(&mut self, bytes: Vec<u8>) {
        self.socket.send(Ws::Binary(bytes.into())).await.unwrap();
    }

    pub async fn send(&mut self, frame: Frame) {
        self.send_bytes(frame.encode()).await;
    }

    pub async fn step1(&mut self, doc: &DocId, sv: StateVector) {
        self.send(Frame::sync(doc.clone(), SyncMessage::SyncStep1(sv))).await;
    }

    pub async fn update(&mut self, doc: &DocId, update: Vec<u8>) {
        self.send(Frame::sync(doc.clone(), SyncMessage::Update(update))).await;
    }

    pub async fn recv(&mut self) -> Received {
        loop {
            let next = tokio::time::timeout(Duration::from_secs(5), self.socket.next()).await.expect("nothing received within 5 s");
            match next {
                Some(Ok(Ws::Binary(bytes))) => return Received::Frame(Frame::decode(&bytes).expect("server frames decode")),
                Some(Ok(Ws::Close(frame))) => return Received::Closed(frame.map(|f| (u16::from(f.code), f.reason.to_string()))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Received::Closed(None),
            }
        }
    }

    pub async fn frame(&mut self) -> Frame {
        match self.recv().await {
            Received::Frame(frame) => frame,
            Received::Closed(reason) => panic!("closed: {reason:?}"),
        }
    }

    pub async fn closed(&mut self) -> (u16, String) {
        loop {
            match self.recv().await {
                Received::Closed(Some(reason)) => return reason,
                Received::Closed(None) => panic!("closed without a reason"),
                Received::Frame(_) => continue,
            }
        }
    }

    /// Waits for the next acknowledgement, letting relayed updates go by.
    pub async fn until_ack(&mut self) {
        loop {
            match self.frame().await.payload {
                Payload::Ack => return,
                Payload::Yjs(Message::Sync(SyncMessage::Update(_))) => continue,
                unexpected => panic!("expected an ack, got {unexpected:?}"),
            }
        }
    }

    /// Waits for an update relayed from another client and applies it to `replica`.
    pub async fn apply_relayed(&mut self, replica: &TorDoc) {
        match self.frame().await.payload {
            Payload::Yjs(Message::Sync(SyncMessage::Update(update))) => replica.apply_update(&update).unwrap(),
            other => panic!("expected a relayed update, got {other:?}"),
        }
    }

    /// Sync step 1 for `doc` into `replica`, applying the server's step 2.
    pub async fn sync_into(&mut self, doc: &DocId, replica: &TorDoc) {
        let sv = yrs_sv(replica);
        self.step1(doc, sv).await;
        match self.frame().await.payload {
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(update))) => replica.apply_update(&update).unwrap(),
            other => panic!("expected step 2, got {other:?}"),
        }
        assert!(matches!(self.frame().await.payload, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(_)))));
    }
}

pub fn yrs_sv(doc: &TorDoc) -> StateVector {
    StateVector::decode_v1(&doc.encoded_state_vector()).unwrap()
}

/// Waits (5 s at most) for a bare socket's close frame, passing other messages by: its code
/// and reason.
pub async fn close_of(socket: &mut Socket) -> (u16, String) {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await.expect("close within 5 s") {
            Some(Ok(Ws::Close(frame))) => {
                let frame = frame.expect("a close reason");
                return (u16::from(frame.code), frame.reason.to_string());
            }
            Some(Ok(_)) => continue,
            other => panic!("no close frame: {other:?}"),
        }
    }
}
