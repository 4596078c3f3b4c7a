//! Inputs that broke other Yjs servers, tried on ours against the real server binary: a change
//! too large for a frame, a clashing client id, an update that can never be applied, presence
//! that is malformed or speaks for someone else, credentials in the request log, and a server
//! stopped while clients are connected. Each concerns the one document or connection it came
//! from; everyone else carries on.

mod support;

use desk_core::doc::{DocId, TorDoc, TorSection, MAX_SECTION_UNITS};
use desk_core::sync::{close, is_departure, AwarenessUpdate, AwarenessUpdateEntry, ClientID, Encode, Frame, Message, Payload, SyncMessage, MAX_FRAME_BYTES};
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use support::client::{close_of, Client};
use support::{admin, sign_in, TestServer};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as Ws;

fn doc(id: &str) -> DocId {
    DocId::parse(id).unwrap()
}

/// A newcomer's copy of what the server holds.
async fn stored_text(server: &TestServer, id: &DocId, section: TorSection) -> String {
    let reader = TorDoc::new(999_001);
    Client::connect(server).await.sync_into(id, &reader).await;
    reader.text(section)
}

#[tokio::test]
async fn a_change_too_large_is_refused_for_its_document_only_and_the_socket_goes_on() {
    let server = TestServer::start_open();
    let (big, small) = (doc("tor/nps"), doc("tor/stimulants"));
    let (big_doc, small_doc) = (TorDoc::new(501), TorDoc::new(502));
    let mut client = Client::connect(&server).await;
    client.sync_into(&big, &big_doc).await;
    client.sync_into(&small, &small_doc).await;

    // About 1.2 MB pasted into one section: more than one frame carries.
    let pasted = "Paste. ".repeat(180_000);
    let update = big_doc.splice(TorSection::Purpose, 0, 0, &pasted);
    assert!(update.len() > MAX_FRAME_BYTES);
    client.update(&big, update).await;
    let refusal = client.frame().await;
    assert_eq!(refusal.doc, big);
    match refusal.payload {
        Payload::RefusedWrite(text) => assert!(text.contains("larger than") && text.contains("stays on your device"), "{text}"),
        other => panic!("expected a refusal of that document's write, got {other:?}"),
    }
    // The same socket still syncs the other document.
    client.update(&small, small_doc.splice(TorSection::Scope, 0, 0, "still syncing")).await;
    client.until_ack().await;
    assert_eq!(stored_text(&server, &small, TorSection::Scope).await, "still syncing");
    assert_eq!(stored_text(&server, &big, TorSection::Purpose).await, "", "nothing of the refused change was stored");

    // A ToR may hold as much as its sections do in the browser, and not more.
    let writer = TorDoc::new(503);
    let mut client = Client::connect(&server).await;
    let full = "x".repeat(MAX_SECTION_UNITS as usize);
    let sections = TorSection::ALL;
    let fresh = doc("tor/online-self-help-tools");
    client.sync_into(&fresh, &writer).await;
    for section in sections {
        let at = writer.len(section);
        client.update(&fresh, writer.splice(section, at, 0, &full)).await;
        client.until_ack().await;
    }
    client.update(&fresh, writer.splice(TorSection::Purpose, 0, 0, "one more")).await;
    match client.frame().await.payload {
        Payload::RefusedWrite(text) => assert!(text.contains("more than the"), "{text}"),
        other => panic!("expected the ToR to be full, got {other:?}"),
    }
}

#[tokio::test]
async fn a_second_replica_with_the_same_client_id_is_never_acknowledged() {
    let server = TestServer::start_open();
    let id = doc("tor/mednet");
    let (first, second) = (TorDoc::new(4242), TorDoc::new(4242));
    let mut a = Client::connect(&server).await;
    a.sync_into(&id, &first).await;
    a.update(&id, first.splice(TorSection::Purpose, 0, 0, "alpha ")).await;
    a.until_ack().await;

    // B started from nothing with the same id: its clocks 0–4 clash with A's 0–5.
    let mut b = Client::connect(&server).await;
    b.send(Frame::sync(id.clone(), SyncMessage::SyncStep1(Default::default()))).await;
    let _ = b.frame().await; // step 2 (B does not apply it: a fresh replica that never synced)
    let _ = b.frame().await; // step 1
    b.update(&id, second.splice(TorSection::Purpose, 0, 0, "BETA!")).await;
    match b.frame().await.payload {
        Payload::Resync(text) => assert!(text.contains("client id 4242"), "{text}"),
        other => panic!("the clashing update must not be acknowledged, got {other:?}"),
    }
    // The server asks what it lacks (its step 1) so a mere race heals itself.
    assert!(matches!(b.frame().await.payload, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(_)))));
    // A's own resend is still fine, and its later edits too.
    a.update(&id, first.splice(TorSection::Purpose, 6, 0, "beta")).await;
    a.until_ack().await;
    assert_eq!(stored_text(&server, &id, TorSection::Purpose).await, "alpha beta");

    // A stock client on /yjs with a clashing id is closed with the reason.
    let (mut stock, _) = tokio_tungstenite::connect_async(server.ws_url("/yjs/tor/mednet")).await.unwrap();
    let _ = stock.next().await; // the server's step 1
    let clash = TorDoc::new(4242).splice(TorSection::Scope, 0, 0, "gamma");
    stock.send(Ws::Binary(Message::Sync(SyncMessage::Update(clash)).encode_v1().into())).await.unwrap();
    let (code, reason) = close_of(&mut stock).await;
    assert_eq!(code, close::MALFORMED);
    assert!(reason.contains("4242"), "{reason}");
    assert_eq!(stored_text(&server, &id, TorSection::Scope).await, "");
}

/// Two tabs of one browser keep one stored copy of a ToR and write under their own client ids
/// (`desk_core::sync::client`): offline, the first tab took in what the second typed, and back
/// online it sent both. The second tab then repeats its own words: the same browser session, so
/// acknowledged (before, it was asked to resync again and again and showed its changes as
/// never confirmed). The same words from another browser, even the same account's, are a clash.
#[tokio::test]
async fn tabs_of_one_browser_repeat_each_others_offline_work_which_another_browser_may_not() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["account", "--email", "tabs@example.org", "--name", "Two Tabs", "--role", "mednet=editor"]);
    admin(dir.path(), &["visibility", "--doc", "tor/mednet", "--owner", "mednet", "--visibility", "members"]);
    let server = TestServer::start_in(dir.path());
    let this_browser = sign_in(&server, "tabs@example.org").await;
    let other_browser = sign_in(&server, "tabs@example.org").await;
    assert_ne!(this_browser, other_browser);
    let id = doc("tor/mednet");

    let (first_tab, second_tab) = (TorDoc::new(5101), TorDoc::new(5102));
    let mut first = Client::connect_with_cookie(&server, &this_browser).await;
    first.sync_into(&id, &first_tab).await;
    second_tab.apply_update(&first_tab.encode_state()).unwrap();
    // Offline: the second tab types; the first takes its stored words in and types too.
    let theirs = second_tab.splice(TorSection::Purpose, 0, 0, "second tab. ");
    first_tab.apply_update(&theirs).unwrap();
    let mine = first_tab.splice(TorSection::Purpose, 0, 0, "First tab, ");
    // Back online, the first tab sends both.
    first.update(&id, theirs.clone()).await;
    first.until_ack().await;
    first.update(&id, mine).await;
    first.until_ack().await;

    // The second tab reconnects and sends its own words again: acknowledged, not refused.
    let mut second = Client::connect_with_cookie(&server, &this_browser).await;
    second.sync_into(&id, &second_tab).await;
    second.update(&id, theirs.clone()).await;
    second.until_ack().await;

    // Another browser repeating them is asked to resync: a second replica with that id.
    let mut elsewhere = Client::connect_with_cookie(&server, &other_browser).await;
    elsewhere.sync_into(&id, &TorDoc::new(5103)).await;
    elsewhere.update(&id, theirs).await;
    match elsewhere.frame().await.payload {
        Payload::Resync(text) => assert!(text.contains("client id 5102"), "{text}"),
        other => panic!("another browser repeating the clocks must not be acknowledged, got {other:?}"),
    }
    let reader = TorDoc::new(5104);
    Client::connect_with_cookie(&server, &other_browser).await.sync_into(&id, &reader).await;
    assert_eq!(reader.text(TorSection::Purpose), "First tab, second tab. ");
}

#[tokio::test]
async fn an_update_that_cannot_be_applied_yet_is_not_stored_and_the_sender_is_asked_for_the_rest() {
    let server = TestServer::start_open();
    let id = doc("tor/prevention-prize");
    let author = TorDoc::new(7004);
    let first = author.splice(TorSection::Scope, 0, 0, "0123456789");
    let second = author.splice(TorSection::Scope, 10, 0, " and more");
    let mut client = Client::connect(&server).await;
    client.sync_into(&id, &TorDoc::new(7005)).await;
    // Clock 10 of client 7004, whose clocks 0–9 never arrived.
    client.update(&id, second.clone()).await;
    assert!(matches!(client.frame().await.payload, Payload::Resync(_)));
    assert!(matches!(client.frame().await.payload, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(_)))));
    // A second one within the resync interval gets no second step 1: no loop.
    client.update(&id, second.clone()).await;
    assert!(matches!(client.frame().await.payload, Payload::Resync(_)));
    // Nothing of it was stored or kept waiting: other writers are served as before…
    let other = TorDoc::new(7006);
    let mut writer = Client::connect(&server).await;
    writer.sync_into(&id, &other).await;
    writer.update(&id, other.splice(TorSection::Timespan, 0, 0, "2019")).await;
    writer.until_ack().await;
    assert_eq!(stored_text(&server, &id, TorSection::Scope).await, "");
    // …and once what was missing arrives, in order, all of it is stored.
    client.update(&id, first).await;
    client.until_ack().await;
    client.update(&id, second).await;
    client.until_ack().await;
    assert_eq!(stored_text(&server, &id, TorSection::Scope).await, "0123456789 and more");
}

fn presence(client: u64, clock: u32, json: &str) -> Frame {
    let update = AwarenessUpdate { clients: [(ClientID::new(client), AwarenessUpdateEntry { clock, json: json.into() })].into_iter().collect() };
    Frame::new(doc("tor/mednet"), Payload::Yjs(Message::Awareness(update)))
}

/// The next presence entries a client receives: (client id, state JSON).
async fn next_presence(client: &mut Client) -> Vec<(u64, String)> {
    loop {
        if let Payload::Yjs(Message::Awareness(update)) = client.frame().await.payload {
            let mut entries: Vec<(u64, String)> = update.clients.iter().map(|(id, e)| (id.get(), e.json.to_string())).collect();
            entries.sort();
            return entries;
        }
    }
}

#[tokio::test]
async fn presence_is_relayed_only_well_formed_and_only_by_its_owner() {
    let server = TestServer::start_open();
    let id = doc("tor/mednet");
    let mut clients = Vec::new();
    for n in 0..3 {
        let mut client = Client::connect(&server).await;
        client.sync_into(&id, &TorDoc::new(800 + n)).await;
        clients.push(client);
    }
    let [mut bea, mut mallory, mut observer]: [Client; 3] = clients.try_into().ok().unwrap();
    bea.send(presence(77, 1, r##"{"user":{"name":"Bea","color":"#000"}}"##)).await;
    assert_eq!(next_presence(&mut observer).await, [(77, r##"{"user":{"name":"Bea","color":"#000"}}"##.to_owned())]);
    let _ = next_presence(&mut mallory).await;

    // Not JSON; a JSON value that is no state; someone else's id renamed and removed.
    mallory.send(presence(900, 1, "{not json")).await;
    mallory.send(presence(901, 1, "[1, 2]")).await;
    mallory.send(presence(77, 2, r##"{"user":{"name":"Mallory","color":"#f00"}}"##)).await;
    mallory.send(presence(77, 3, "null")).await;
    // Then something well-formed of Mallory's own, which arrives first: nothing before it did.
    mallory.send(presence(78, 1, r##"{"user":{"name":"Mallory","color":"#f00"}}"##)).await;
    assert_eq!(next_presence(&mut observer).await, [(78, r##"{"user":{"name":"Mallory","color":"#f00"}}"##.to_owned())]);
    // Bea is still Bea: her own goodbye is the one that counts.
    bea.send(presence(77, 2, "null")).await;
    let gone = next_presence(&mut observer).await;
    assert_eq!(gone, [(77, "null".to_owned())]);
    assert!(is_departure(&AwarenessUpdateEntry { clock: 2, json: gone[0].1.as_str().into() }));
}

#[tokio::test]
async fn a_signed_in_person_is_shown_under_their_account_name() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["delegation", "add", "France"]);
    admin(
        dir.path(),
        &["account", "--email", "pierre@example.org", "--name", "Pierre Editor", "--delegation", "France", "--role", "permanent-correspondents=editor"],
    );
    let server = TestServer::start_in(dir.path());
    let cookie = sign_in(&server, "pierre@example.org").await;
    let mut pierre = Client::connect_with_cookie(&server, &cookie).await;
    let mut observer = Client::connect_with_cookie(&server, &cookie).await;
    let id = doc("tor/mednet");
    pierre.sync_into(&id, &TorDoc::new(811)).await;
    observer.sync_into(&id, &TorDoc::new(812)).await;
    pierre.send(presence(811, 1, r##"{"user":{"name":"Guest 225","color":"#1f6feb"}}"##)).await;
    let entries = next_presence(&mut observer).await;
    let state: serde_json::Value = serde_json::from_str(&entries[0].1).unwrap();
    assert_eq!(state["user"]["name"], "Pierre Editor (France)");
    assert_eq!(state["user"]["color"], "#1f6feb");
}

#[tokio::test]
async fn document_tokens_and_invitation_secrets_never_appear_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["account", "--email", "tok@example.org", "--name", "Tok", "--role", "permanent-correspondents=editor"]);
    let token = {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--log-level", "warn", "token", "issue", "--user", "tok@example.org", "--doc", "tor/nps", "--ttl", "1h"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().trim().lines().last().unwrap().trim().to_owned()
    };
    assert!(token.len() > 20, "{token}");
    let server = TestServer::start_with(dir.path(), &["--log-level", "trace"]);
    let (mut socket, _) = tokio_tungstenite::connect_async(server.ws_url(&format!("/yjs/tor/nps?token={token}"))).await.expect("the token opens the document");
    let _ = socket.next().await;
    let mut request = server.ws_url("/yjs/tor/nps").into_client_request().unwrap();
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("as a header too");
    let _ = socket.next().await;
    let secret = "invitation-secret-0123456789abcdef";
    let _ = reqwest::get(server.url(&format!("/invite/{secret}"))).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = server.log.lock().unwrap().join("\n");
    assert!(log.contains("/yjs/tor/nps"), "the requests are logged at trace level:\n{}", &log[..log.len().min(2000)]);
    assert!(!log.contains(&token), "the token is in the log");
    let signature = token.rsplit('.').next().unwrap();
    assert!(!log.contains(signature), "part of the token is in the log");
    assert!(!log.contains(secret), "the invitation secret is in the log");
}

#[tokio::test]
async fn a_stopping_server_says_it_is_going_away() {
    let server = TestServer::start_open();
    let id = doc("tor/nps");
    let writer = TorDoc::new(1201);
    let mut client = Client::connect(&server).await;
    client.sync_into(&id, &writer).await;
    client.update(&id, writer.splice(TorSection::Scope, 0, 0, "before the stop")).await;
    client.until_ack().await;
    let stopped = tokio::task::spawn_blocking(move || server.terminate());
    let (code, reason) = client.closed().await;
    assert_eq!(code, close::GOING_AWAY, "{reason}");
    assert!(stopped.await.unwrap(), "the server exits cleanly");
}
