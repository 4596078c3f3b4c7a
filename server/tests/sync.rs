//! The `/sync` WebSocket against the real server binary: live relay between clients,
//! acknowledgements, bad frames closing only their own connection, and acknowledged updates
//! surviving a SIGKILL.

mod support;

use desk_core::doc::{DocId, TorDoc, TorSection};
use desk_core::sync::{close, Decode, Encode, Frame, Message, Payload, StateVector, SyncMessage};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use support::client::{close_of, yrs_sv, Client, Socket};
use support::TestServer;
use tokio_tungstenite::tungstenite::Message as Ws;

/// Two clients (replica ids 1 and 2) synced on `doc`.
async fn synced_pair(server: &TestServer, doc: &DocId) -> [(Client, TorDoc); 2] {
    let mut pair = Vec::new();
    for id in [1, 2] {
        let (mut client, replica) = (Client::connect(server).await, TorDoc::new(id));
        client.sync_into(doc, &replica).await;
        pair.push((client, replica));
    }
    pair.try_into().ok().unwrap()
}

#[tokio::test]
async fn edits_reach_the_others_live_and_are_acknowledged() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/nps").unwrap();
    let [(mut alice, alice_doc), (mut bob, bob_doc)] = synced_pair(&server, &doc).await;

    alice.update(&doc, alice_doc.splice(TorSection::Purpose, 0, 0, "Early warning")).await;
    assert_eq!(alice.frame().await.payload, Payload::Ack);
    bob.apply_relayed(&bob_doc).await;
    assert_eq!(bob_doc.text(TorSection::Purpose), "Early warning");

    // A newcomer gets everything by state vector.
    let carol_doc = TorDoc::new(3);
    let mut carol = Client::connect(&server).await;
    carol.sync_into(&doc, &carol_doc).await;
    assert_eq!(carol_doc.text(TorSection::Purpose), "Early warning");
}

#[tokio::test]
async fn bad_frames_close_only_their_own_connection() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/stimulants").unwrap();
    let (good_doc, peer_doc) = (TorDoc::new(1), TorDoc::new(2));
    let mut good = Client::connect(&server).await;
    good.sync_into(&doc, &good_doc).await;

    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"\xff\xff\xff\xff".to_vec(), close::MALFORMED),
        (Frame::sync(DocId::parse("tor/no-such-action").unwrap(), SyncMessage::SyncStep1(StateVector::default())).encode(), close::UNKNOWN_DOCUMENT),
        (Frame::sync(doc.clone(), SyncMessage::Update(b"\x01\x02\x03".to_vec())).encode(), close::MALFORMED),
        (Frame::new(doc.clone(), Payload::Ack).encode(), close::MALFORMED),
    ];
    for (bytes, code) in cases {
        let mut bad = Client::connect(&server).await;
        bad.send_bytes(bytes).await;
        let (got, reason) = bad.closed().await;
        assert_eq!(got, code, "{reason}");
        assert!(!reason.is_empty());
    }
    let mut text_sender = Client::connect(&server).await;
    text_sender.socket.send(Ws::Text("hello".into())).await.unwrap();
    assert_eq!(text_sender.closed().await.0, close::MALFORMED);

    // The well-behaved client is still served.
    let mut peer = Client::connect(&server).await;
    peer.sync_into(&doc, &peer_doc).await;
    good.update(&doc, good_doc.splice(TorSection::Scope, 0, 0, "still here")).await;
    assert_eq!(good.frame().await.payload, Payload::Ack);
    peer.apply_relayed(&peer_doc).await;
    assert_eq!(peer_doc.text(TorSection::Scope), "still here");
}

#[tokio::test]
async fn a_dropped_connection_is_announced_as_gone_to_the_others() {
    use desk_core::sync::{is_departure, AwarenessUpdate, AwarenessUpdateEntry, ClientID};
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/mednet").unwrap();
    let [(mut anna, _), (mut bruno, _)] = synced_pair(&server, &doc).await;
    let hello = AwarenessUpdate {
        clients: [(ClientID::new(77), AwarenessUpdateEntry { clock: 3, json: r##"{"user":{"name":"Anna","color":"#000"}}"##.into() })].into_iter().collect(),
    };
    anna.send(Frame::new(doc.clone(), Payload::Yjs(Message::Awareness(hello.clone())))).await;
    assert_eq!(bruno.frame().await.payload, Payload::Yjs(Message::Awareness(hello)));
    // Anna's connection dies without a goodbye.
    drop(anna);
    match bruno.frame().await.payload {
        Payload::Yjs(Message::Awareness(notice)) => {
            let entry = &notice.clients[&ClientID::new(77)];
            assert!(is_departure(entry), "{entry:?}");
            assert_eq!(entry.clock, 4, "newer than her last state, so peers apply it");
        }
        other => panic!("expected a departure notice, got {other:?}"),
    }
}

#[tokio::test]
async fn the_tor_page_shows_the_stored_text_as_text() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/nps").unwrap();
    let [(mut client, replica), _] = synced_pair(&server, &doc).await;
    client.update(&doc, replica.splice(TorSection::Scope, 0, 0, "</textarea><img src=x onerror=alert(1)> & early warning")).await;
    assert_eq!(client.frame().await.payload, Payload::Ack);
    let page = reqwest::get(server.url("/tor/nps")).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let scope = html.split("data-section=\"scope\"").nth(1).expect("the scope field");
    let scope = &scope[..scope.find("</textarea>").unwrap()];
    assert!(scope.contains("readonly"), "editable only once the browser's copy is ready: {scope}");
    assert!(scope.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt; &amp; early warning"), "{scope}");
    assert!(!html.contains("<img src=x"));
}

#[tokio::test]
async fn comments_show_in_counts_and_in_the_markdown_export() {
    use desk_core::doc::{Anchor, Author, CommentsDoc, NewComment};
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/stimulants").unwrap();
    let [(mut client, replica), _] = synced_pair(&server, &doc).await;
    client.update(&doc, replica.splice(TorSection::Purpose, 0, 0, "Map stimulant use in Europe.")).await;
    assert_eq!(client.frame().await.payload, Payload::Ack);
    let comments = CommentsDoc::new(5);
    let anchor = Anchor::new(&replica, TorSection::Purpose, 4, 17).unwrap();
    let author = Author { id: "a5".into(), name: "Anna <b>".into() };
    let (_, update) = comments.add(NewComment { author, body: "Which *stimulants*?".into(), anchor, suggestion: None, now_ms: 1 }).unwrap();
    client.update(&doc.comments(), update).await;
    client.until_ack().await;

    let matrix = reqwest::get(server.url("/matrix")).await.unwrap().text().await.unwrap();
    let row = matrix.split("/tor/stimulants").nth(1).expect("the stimulants row");
    assert!(row[..row.find("</th>").unwrap()].contains("1 open comment"), "{row}");

    let export = reqwest::get(server.url("/api/v1/tor/stimulants.md")).await.unwrap();
    assert_eq!(export.status(), 200);
    assert!(export.headers()["content-type"].to_str().unwrap().starts_with("text/markdown"));
    let md = export.text().await.unwrap();
    assert!(md.starts_with("# Terms of reference: Challenges and responses related to stimulants"), "{md}");
    assert!(md.contains("Map stimulant use[^1] in Europe."), "{md}");
    assert!(md.contains("**Anna &lt;b&gt;** (open): Which \\*stimulants\\*?"), "{md}");
    assert_eq!(reqwest::get(server.url("/api/v1/tor/no-such.md")).await.unwrap().status(), 404);
    assert_eq!(reqwest::get(server.url("/api/v1/tor/stimulants")).await.unwrap().status(), 404);
}

#[tokio::test]
async fn an_empty_step2_is_acknowledged_and_not_relayed() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/nps").unwrap();
    let [(mut idle, idle_doc), (mut peer, peer_doc)] = synced_pair(&server, &doc).await;

    // A client with nothing new answers the server's step 1 with an empty step 2.
    let (nothing, _) = idle_doc.answer_step1(&StateVector::default());
    idle.send(Frame::sync(doc.clone(), SyncMessage::SyncStep2(nothing))).await;
    assert_eq!(idle.frame().await.payload, Payload::Ack);
    // The peer's next frame is the next real edit, not the empty one.
    idle.update(&doc, idle_doc.splice(TorSection::Scope, 0, 0, "real")).await;
    assert_eq!(idle.frame().await.payload, Payload::Ack);
    match peer.frame().await.payload {
        Payload::Yjs(Message::Sync(SyncMessage::Update(update))) => {
            assert_ne!(update, [0, 0], "the empty update was relayed");
            peer_doc.apply_update(&update).unwrap();
        }
        other => panic!("expected the real edit, got {other:?}"),
    }
    assert_eq!(peer_doc.text(TorSection::Scope), "real");
}

#[tokio::test]
async fn acknowledged_updates_survive_sigkill() {
    let data = tempfile::tempdir().unwrap();
    let doc = DocId::parse("tor/mednet").unwrap();
    let server = TestServer::start_with(data.path(), &["--access", "open-except-group"]);
    let writers: Vec<TorDoc> = (1..=3).map(TorDoc::new).collect();
    let mut clients = Vec::new();
    for replica in &writers {
        let mut client = Client::connect(&server).await;
        client.sync_into(&doc, replica).await;
        clients.push(client);
    }
    // Each writer appends numbered words to its own section and counts the acks it gets.
    let sections = [TorSection::Purpose, TorSection::Scope, TorSection::Timespan];
    let mut acked = [0usize; 3];
    for round in 0..40 {
        for (w, client) in clients.iter_mut().enumerate() {
            let at = writers[w].len(sections[w]);
            let update = writers[w].splice(sections[w], at, 0, &format!("w{w}r{round};"));
            client.update(&doc, update).await;
        }
        if round == 25 {
            break;
        }
        // Collect what has arrived so far, without waiting for everything.
        for (w, client) in clients.iter_mut().enumerate() {
            while let Ok(Some(Ok(Ws::Binary(bytes)))) = tokio::time::timeout(Duration::from_millis(5), client.socket.next()).await {
                if Frame::decode(&bytes).unwrap().payload == Payload::Ack {
                    acked[w] += 1;
                }
            }
        }
    }
    server.kill();
    assert!(acked.iter().sum::<usize>() > 0, "no acknowledgements before the kill");

    let server = TestServer::start_with(data.path(), &["--access", "open-except-group"]);
    let reader = TorDoc::new(9);
    let mut client = Client::connect(&server).await;
    client.sync_into(&doc, &reader).await;
    for (w, section) in sections.iter().enumerate() {
        let text = reader.text(*section);
        for round in 0..acked[w] {
            assert!(text.contains(&format!("w{w}r{round};")), "acknowledged update w{w}r{round} lost: {text:?}");
        }
    }
}

#[tokio::test]
async fn a_client_that_stops_reading_is_dropped_and_holds_nobody_up() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/drug-policy-academy").unwrap();
    let (writer_doc, reader_doc, idle_doc) = (TorDoc::new(1), TorDoc::new(2), TorDoc::new(3));
    let mut writer = Client::connect(&server).await;
    let mut reader = Client::connect(&server).await;
    let mut idle = Client::connect(&server).await;
    writer.sync_into(&doc, &writer_doc).await;
    reader.sync_into(&doc, &reader_doc).await;
    idle.sync_into(&doc, &idle_doc).await;

    // `idle` never reads again. Large updates fill its socket, then its queue on the server.
    let chunk = "x".repeat(16 * 1024);
    let updates = 1500;
    let reading = tokio::spawn(async move {
        let mut received = 0;
        while received < updates {
            if let Payload::Yjs(Message::Sync(SyncMessage::Update(update))) = reader.frame().await.payload {
                reader_doc.apply_update(&update).unwrap();
                received += 1;
            }
        }
        reader_doc.len(TorSection::Scope)
    });
    for _ in 0..updates {
        // Each replaces the last, so the ToR stays within its size limit.
        let had = writer_doc.len(TorSection::Scope);
        writer.update(&doc, writer_doc.splice(TorSection::Scope, 0, had, &chunk)).await;
        assert_eq!(writer.frame().await.payload, Payload::Ack);
    }
    assert_eq!(reading.await.unwrap(), writer_doc.len(TorSection::Scope), "the reader got every update");
    let (code, reason) = idle.closed().await;
    assert_eq!(code, close::FELL_BEHIND, "{reason}");
}

/// Reads one bare y-protocols message from a `/yjs/...` socket.
async fn bare(socket: &mut Socket) -> Message {
    loop {
        let next = tokio::time::timeout(Duration::from_secs(5), socket.next()).await.expect("nothing within 5 s");
        match next {
            Some(Ok(Ws::Binary(bytes))) => return Message::decode_v1(&bytes).expect("bare message"),
            Some(Ok(Ws::Close(frame))) => panic!("closed: {frame:?}"),
            Some(Ok(_)) => continue,
            other => panic!("socket ended: {other:?}"),
        }
    }
}

#[tokio::test]
async fn stock_yjs_clients_speak_to_yjs_endpoint_and_meet_sync_clients() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/south-east-europe").unwrap();

    // A y-websocket-style client: the server speaks first with its step 1.
    let (mut yjs, _) = tokio_tungstenite::connect_async(server.ws_url("/yjs/tor/south-east-europe")).await.unwrap();
    assert!(matches!(bare(&mut yjs).await, Message::Sync(SyncMessage::SyncStep1(_))));
    let yjs_doc = TorDoc::new(1);
    yjs.send(Ws::Binary(Message::Sync(SyncMessage::SyncStep1(yrs_sv(&yjs_doc))).encode_v1().into())).await.unwrap();
    assert!(matches!(bare(&mut yjs).await, Message::Sync(SyncMessage::SyncStep2(_))));

    let sync_doc = TorDoc::new(2);
    let mut sync = Client::connect(&server).await;
    sync.sync_into(&doc, &sync_doc).await;

    // Stock client → /sync client.
    let update = yjs_doc.splice(TorSection::Purpose, 0, 0, "Buddy approach");
    yjs.send(Ws::Binary(Message::Sync(SyncMessage::Update(update)).encode_v1().into())).await.unwrap();
    sync.apply_relayed(&sync_doc).await;
    assert_eq!(sync_doc.text(TorSection::Purpose), "Buddy approach");

    // /sync client → stock client (bare, no acks on the stock side).
    sync.update(&doc, sync_doc.splice(TorSection::Purpose, 14, 0, " training")).await;
    assert_eq!(sync.frame().await.payload, Payload::Ack);
    match bare(&mut yjs).await {
        Message::Sync(SyncMessage::Update(update)) => yjs_doc.apply_update(&update).unwrap(),
        other => panic!("expected a relayed update, got {other:?}"),
    }
    assert_eq!(yjs_doc.text(TorSection::Purpose), "Buddy approach training");

    // Unknown documents are refused before the upgrade; garbage closes with 4400.
    assert!(tokio_tungstenite::connect_async(server.ws_url("/yjs/tor/no-such-action")).await.is_err());
    assert!(tokio_tungstenite::connect_async(server.ws_url("/yjs/nonsense")).await.is_err());
    let (mut bad, _) = tokio_tungstenite::connect_async(server.ws_url("/yjs/tor/nps")).await.unwrap();
    assert!(matches!(bare(&mut bad).await, Message::Sync(SyncMessage::SyncStep1(_))));
    bad.send(Ws::Binary(b"\xff\xff\xff".to_vec().into())).await.unwrap();
    assert_eq!(close_of(&mut bad).await.0, close::MALFORMED);
}

#[tokio::test]
async fn random_and_mutated_bytes_never_take_the_server_down() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/prevention-prize").unwrap();
    let author = TorDoc::new(1);
    let valid = [
        Frame::sync(doc.clone(), SyncMessage::SyncStep1(StateVector::default())).encode(),
        Frame::sync(doc.clone(), SyncMessage::Update(author.splice(TorSection::Scope, 0, 0, "precursors"))).encode(),
        Message::Sync(SyncMessage::Update(author.splice(TorSection::Scope, 0, 0, "pre-"))).encode_v1(),
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..150 {
        let endpoint = if round % 3 == 0 { "/yjs/tor/prevention-prize" } else { "/sync" };
        let mut bytes = valid[(next() % 3) as usize].clone();
        match next() % 4 {
            // Pure noise.
            0 => bytes = (0..next() % 64).map(|_| next() as u8).collect(),
            // Truncated.
            1 => bytes.truncate((next() as usize) % bytes.len().max(1)),
            // A few bytes flipped.
            2 => {
                for _ in 0..1 + next() % 4 {
                    let i = (next() as usize) % bytes.len();
                    bytes[i] ^= (next() as u8) | 1;
                }
            }
            // Extra bytes appended.
            _ => bytes.extend((0..1 + next() % 16).map(|_| next() as u8)),
        }
        let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url(endpoint)).await.unwrap();
        socket.send(Ws::Binary(bytes.into())).await.unwrap();
        // Whatever the server answers (frames, or a close with a reason), it answers in time.
        let _ = tokio::time::timeout(Duration::from_millis(200), socket.next()).await;
    }

    // Everyone well-behaved is still served, and the stored document still loads.
    let reader = TorDoc::new(7);
    let mut client = Client::connect(&server).await;
    client.sync_into(&doc, &reader).await;
    let writer = TorDoc::new(8);
    let mut other = Client::connect(&server).await;
    other.sync_into(&doc, &writer).await;
    other.update(&doc, writer.splice(TorSection::Timespan, 0, 0, "2019–2022")).await;
    // A fuzzed frame that happened to be a valid update may still be relayed first.
    other.until_ack().await;
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), reqwest::StatusCode::OK);
}
