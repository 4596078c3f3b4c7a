//! Who may read, comment and edit, through every channel of the real server: one matrix of
//! principals × visibilities × channels, each cell expected from `desk_core::access::may` (whose own
//! table is in `app/core/src/access_tests.rs`), so none is forgotten. Also: revocation while
//! connected, the Origin check, and the default protection of group material.

mod support;

use desk_core::access::{may, Action, DocPolicy, GroupId, Principal, Role, Visibility, AIRPORTS_GROUP, SECRETARIAT};
use desk_core::doc::{Anchor, Author, CommentsDoc, DocId, NewComment, TorDoc, TorSection};
use desk_core::sync::{close, Encode, Frame, Message, Payload, StateVector, SyncMessage};
use futures_util::{SinkExt, StreamExt};
use reqwest::header::{COOKIE, ORIGIN};
use reqwest::StatusCode;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use support::{admin, sign_in, TestServer};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as Ws;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Runs `server token issue …`; returns the token printed.
fn issue_token(dir: &Path, email: &str, doc: &str, ttl: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--log-level", "warn", "token", "issue", "--user", email, "--doc", doc, "--ttl", ttl])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Opens `/yjs/{doc}` with a document token, as a header or in the query.
async fn yjs_with_token(server: &TestServer, doc: &str, token: &str, in_header: bool) -> Result<Socket, StatusCode> {
    let url = if in_header { server.ws_url(&format!("/yjs/{doc}")) } else { server.ws_url(&format!("/yjs/{doc}?token={token}")) };
    let mut request = url.into_client_request().unwrap();
    if in_header {
        request.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(StatusCode::from_u16(response.status().as_u16()).unwrap()),
        Err(e) => panic!("connecting /yjs/{doc}: {e}"),
    }
}

/// (name, memberships): every kind of principal the rule distinguishes.
const PEOPLE: [(&str, &[(&str, Role)]); 9] = [
    ("signed-out", &[]),
    ("member", &[]),
    ("viewer", &[("mednet", Role::Viewer)]),
    ("commenter", &[("mednet", Role::Commenter)]),
    ("editor", &[("mednet", Role::Editor)]),
    ("manager", &[("mednet", Role::Manager)]),
    ("outsider", &[(AIRPORTS_GROUP, Role::Editor)]),
    ("secretariat-viewer", &[(SECRETARIAT, Role::Viewer)]),
    ("secretariat-manager", &[(SECRETARIAT, Role::Manager)]),
];

/// Documents owned by MedNET, one per visibility.
const DOCS: [(&str, Visibility); 3] = [("mednet", Visibility::Public), ("nps", Visibility::Members), ("stimulants", Visibility::Group)];

fn principal(memberships: &[(&str, Role)], signed_in: bool) -> Principal {
    if !signed_in {
        return Principal::SignedOut;
    }
    Principal::Account { id: 0, memberships: memberships.iter().map(|(g, r)| (GroupId::new(g), *r)).collect() }
}

async fn connect(server: &TestServer, path: &str, cookie: Option<&str>) -> Result<Socket, StatusCode> {
    let mut request = server.ws_url(path).into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(StatusCode::from_u16(response.status().as_u16()).unwrap()),
        Err(e) => panic!("connecting {path}: {e}"),
    }
}

/// The next frame or close on a socket (5 s at most).
async fn next(socket: &mut Socket) -> Ws {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next()).await.expect("an answer within 5 s").expect("open").unwrap();
        if !matches!(message, Ws::Ping(_) | Ws::Pong(_)) {
            return message;
        }
    }
}

async fn next_frame(socket: &mut Socket) -> Payload {
    match next(socket).await {
        Ws::Binary(bytes) => Frame::decode(&bytes).unwrap().payload,
        other => panic!("expected a frame, got {other:?}"),
    }
}

fn tor_update(text: &str) -> Vec<u8> {
    TorDoc::new(fastrand_client()).splice(TorSection::Scope, 0, 0, text)
}

fn comments_update() -> Vec<u8> {
    let tor = TorDoc::new(fastrand_client());
    tor.splice(TorSection::Scope, 0, 0, "words");
    let anchor = Anchor::new(&tor, TorSection::Scope, 0, 5).unwrap();
    let author = Author { id: "t".into(), name: "T".into() };
    CommentsDoc::new(fastrand_client()).add(NewComment { author, body: "Why?".into(), anchor, suggestion: None, now_ms: 1 }).unwrap().1
}

fn fastrand_client() -> u64 {
    fastrand::u64(1000..1 << 40)
}

/// What each channel lets `cookie` do with `doc`: (channel, done).
async fn try_every_channel(server: &TestServer, doc: &str, cookie: Option<&str>) -> Vec<(&'static str, Action, bool)> {
    let http = reqwest::Client::new();
    let get = |path: String| {
        let mut request = http.get(server.url(&path));
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send()
    };
    let mut done = Vec::new();
    done.push(("page", Action::Read, get(format!("/tor/{doc}")).await.unwrap().status() == StatusCode::OK));
    done.push(("export", Action::Read, get(format!("/api/v1/tor/{doc}.md")).await.unwrap().status() == StatusCode::OK));
    done.push(("tor_text", Action::Read, get(format!("/_app/tor_text?id={doc}")).await.unwrap().status() == StatusCode::OK));
    let counts: serde_json::Value = get("/_app/open_comments".into()).await.unwrap().json().await.unwrap();
    done.push(("open_comments", Action::Read, counts.get(doc).is_some()));
    let mut linked = false;
    for page in ["/matrix", "/permanent-activities"] {
        linked |= get(page.into()).await.unwrap().text().await.unwrap().contains(&format!("href=\"/tor/{doc}\""));
    }
    done.push(("links", Action::Read, linked));
    // Every document holds the word "quokka" (written at the start of the matrix test, with
    // spaces around it: other writes land beside it, concurrently).
    let found = get("/search?q=quokka".into()).await.unwrap().text().await.unwrap();
    done.push(("search", Action::Read, found.contains(&format!("href=\"/tor/{doc}\""))));

    let tor = DocId::parse(&format!("tor/{doc}")).unwrap();
    let mut sync = connect(server, "/sync", cookie).await.unwrap();
    sync.send(Ws::Binary(Frame::sync(tor.clone(), SyncMessage::SyncStep1(StateVector::default())).encode().into())).await.unwrap();
    let read = matches!(next_frame(&mut sync).await, Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(_))));
    done.push(("/sync read", Action::Read, read));
    if read {
        let _their_step1 = next_frame(&mut sync).await;
    }
    for (channel, action, target, update) in
        [("/sync write text", Action::Edit, tor.clone(), tor_update("text")), ("/sync write comments", Action::Comment, tor.comments(), comments_update())]
    {
        sync.send(Ws::Binary(Frame::sync(target, SyncMessage::Update(update)).encode().into())).await.unwrap();
        let answer = next_frame(&mut sync).await;
        assert!(matches!(answer, Payload::Ack | Payload::RefusedWrite(_)), "{channel}: {answer:?}");
        done.push((channel, action, answer == Payload::Ack));
    }

    match connect(server, &format!("/yjs/tor/{doc}"), cookie).await {
        Err(status) => {
            assert_eq!(status, StatusCode::NOT_FOUND, "hidden, not forbidden");
            done.push(("/yjs read", Action::Read, false));
            done.push(("/yjs write", Action::Edit, false));
        }
        Ok(mut yjs) => {
            done.push(("/yjs read", Action::Read, matches!(next(&mut yjs).await, Ws::Binary(_))));
            yjs.send(Ws::Binary(Message::Sync(SyncMessage::Update(tor_update("yjs"))).encode_v1().into())).await.unwrap();
            yjs.send(Ws::Binary(Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1().into())).await.unwrap();
            // Allowed: the step 1 is answered; refused: the socket closes with 4403.
            let answer = next(&mut yjs).await;
            if let Ws::Close(Some(frame)) = &answer {
                assert_eq!(u16::from(frame.code), close::REFUSED, "{}", frame.reason);
            }
            done.push(("/yjs write", Action::Edit, matches!(answer, Ws::Binary(_))));
        }
    }
    done
}

#[tokio::test]
async fn every_principal_visibility_and_channel_as_the_rule_says() {
    let dir = tempfile::tempdir().unwrap();
    for (name, memberships) in PEOPLE.iter().skip(1) {
        admin(dir.path(), &["account", "--email", &format!("{name}@example.org"), "--name", name]);
        for (group, role) in *memberships {
            admin(dir.path(), &["role", "--email", &format!("{name}@example.org"), "--group", group, "--role", role.as_str()]);
        }
    }
    for (doc, visibility) in DOCS {
        admin(dir.path(), &["visibility", "--doc", &format!("tor/{doc}"), "--owner", "mednet", "--visibility", visibility.as_str()]);
    }
    // A comment on each, so that open-comment counts have something to count, and a word
    // in each text, for search to find.
    let server = TestServer::start_with(dir.path(), &["--access", "strict"]);
    let editor = sign_in(&server, "editor@example.org").await;
    for (doc, _) in DOCS {
        let mut sync = connect(&server, "/sync", Some(&editor)).await.unwrap();
        let comments = DocId::parse(&format!("tor/{doc}/comments")).unwrap();
        let text = DocId::parse(&format!("tor/{doc}")).unwrap();
        for (target, update) in [(comments, comments_update()), (text, tor_update(" Quokka habitats "))] {
            sync.send(Ws::Binary(Frame::sync(target, SyncMessage::Update(update)).encode().into())).await.unwrap();
            assert_eq!(next_frame(&mut sync).await, Payload::Ack);
        }
    }

    let mut cells = 0;
    for (name, memberships) in PEOPLE {
        let signed_in = name != "signed-out";
        let cookie = if signed_in { Some(sign_in(&server, &format!("{name}@example.org")).await) } else { None };
        let who = principal(memberships, signed_in);
        for (doc, visibility) in DOCS {
            let policy = DocPolicy { owner: GroupId::new("mednet"), visibility };
            for (channel, action, done) in try_every_channel(&server, doc, cookie.as_deref()).await {
                assert_eq!(done, may(&who, &policy, action), "{name} · {visibility:?} · {channel}");
                cells += 1;
            }
        }
    }
    assert_eq!(cells, 9 * 3 * 11);
}

#[tokio::test]
async fn a_role_removed_while_connected_stops_relays_and_writes_without_a_reconnect() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["account", "--email", "ed@example.org", "--name", "Ed"]);
    admin(dir.path(), &["role", "--email", "ed@example.org", "--group", "mednet", "--role", "editor"]);
    admin(dir.path(), &["visibility", "--doc", "tor/stimulants", "--owner", "mednet", "--visibility", "group"]);
    let server = TestServer::start_with(dir.path(), &["--access", "strict"]);
    let cookie = sign_in(&server, "ed@example.org").await;
    let doc = DocId::parse("tor/stimulants").unwrap();
    let mut sync = connect(&server, "/sync", Some(&cookie)).await.unwrap();
    sync.send(Ws::Binary(Frame::sync(doc.clone(), SyncMessage::Update(tor_update("before"))).encode().into())).await.unwrap();
    assert_eq!(next_frame(&mut sync).await, Payload::Ack);

    admin(dir.path(), &["role", "--email", "ed@example.org", "--group", "mednet", "--role", "none"]);
    // Within the gate's freshness (2 s) plus a check, the room is left without a word from us.
    let mut refused = None;
    for _ in 0..3 {
        if let Payload::RefusedRead(reason) = next_frame(&mut sync).await {
            refused = Some(reason);
            break;
        }
    }
    assert!(refused.is_some(), "the revoked reader was not told");
    sync.send(Ws::Binary(Frame::sync(doc, SyncMessage::Update(tor_update("after"))).encode().into())).await.unwrap();
    assert!(matches!(next_frame(&mut sync).await, Payload::RefusedWrite(_)), "a write after revocation is refused");
}

#[tokio::test]
async fn a_session_cookie_from_another_sites_page_opens_no_socket() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["account", "--email", "ed@example.org", "--name", "Ed"]);
    let server = TestServer::start_in(dir.path());
    let cookie = sign_in(&server, "ed@example.org").await;
    let mut request = server.ws_url("/sync").into_client_request().unwrap();
    request.headers_mut().insert("cookie", cookie.parse().unwrap());
    request.headers_mut().insert(ORIGIN.as_str(), "http://evil.example".parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status().as_u16(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
    // The same page origin is fine.
    let mut request = server.ws_url("/sync").into_client_request().unwrap();
    request.headers_mut().insert("cookie", cookie.parse().unwrap());
    let host = server.base.trim_start_matches("http://").to_owned();
    request.headers_mut().insert(ORIGIN.as_str(), format!("http://{host}").parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_ok());
}

#[tokio::test]
async fn by_default_the_rule_is_strict_and_group_material_hidden_outside_the_group() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["account", "--email", "officer@example.org", "--name", "Officer"]);
    admin(dir.path(), &["role", "--email", "officer@example.org", "--group", AIRPORTS_GROUP, "--role", "editor"]);
    admin(dir.path(), &["account", "--email", "other@example.org", "--name", "Other"]);
    let server = TestServer::start_in(dir.path());
    let officer = sign_in(&server, "officer@example.org").await;
    let other = sign_in(&server, "other@example.org").await;
    for doc in ["airports-group", "precursor-control"] {
        for cookie in [None, Some(other.as_str())] {
            let done = try_every_channel(&server, doc, cookie).await;
            assert!(done.iter().all(|(_, _, done)| !done), "{doc} leaked to {cookie:?}: {done:?}");
        }
    }
    let done = try_every_channel(&server, "airports-group", Some(&officer)).await;
    // Nothing was written here for open counts to count or search to find.
    let missing: Vec<_> = done.iter().filter(|(channel, _, done)| !done && !["open_comments", "search"].contains(channel)).collect();
    assert!(missing.is_empty(), "the group's editor is refused {missing:?}");
    // Without `--access` the rule is strict: a members ToR is closed to the signed-out.
    let done = try_every_channel(&server, "nps", None).await;
    assert!(done.iter().all(|(_, _, done)| !done), "nps open to the signed-out by default: {done:?}");
}

#[tokio::test]
async fn document_tokens_open_one_document_as_their_account_until_they_expire() {
    let dir = tempfile::tempdir().unwrap();
    for (email, role) in [("ed@example.org", "editor"), ("vi@example.org", "viewer")] {
        admin(dir.path(), &["account", "--email", email, "--name", "X"]);
        admin(dir.path(), &["role", "--email", email, "--group", "mednet", "--role", role]);
    }
    admin(dir.path(), &["visibility", "--doc", "tor/stimulants", "--owner", "mednet", "--visibility", "group"]);
    let editor = issue_token(dir.path(), "ed@example.org", "tor/stimulants", "1h");
    let viewer = issue_token(dir.path(), "vi@example.org", "tor/stimulants", "1h");
    let short = issue_token(dir.path(), "ed@example.org", "tor/stimulants", "1s");
    let server = TestServer::start_with(dir.path(), &["--access", "strict"]);

    // Header or query; the editor writes (its step 1 is answered after the update).
    for in_header in [true, false] {
        let mut yjs = yjs_with_token(&server, "tor/stimulants", &editor, in_header).await.unwrap();
        assert!(matches!(next(&mut yjs).await, Ws::Binary(_)));
        yjs.send(Ws::Binary(Message::Sync(SyncMessage::Update(tor_update("by token"))).encode_v1().into())).await.unwrap();
        yjs.send(Ws::Binary(Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1().into())).await.unwrap();
        assert!(matches!(next(&mut yjs).await, Ws::Binary(_)), "the editor's token writes");
    }
    // The viewer's token reads; its write closes the socket with 4403.
    let mut yjs = yjs_with_token(&server, "tor/stimulants", &viewer, true).await.unwrap();
    assert!(matches!(next(&mut yjs).await, Ws::Binary(_)));
    yjs.send(Ws::Binary(Message::Sync(SyncMessage::Update(tor_update("viewer"))).encode_v1().into())).await.unwrap();
    match next(&mut yjs).await {
        Ws::Close(Some(frame)) => assert_eq!(u16::from(frame.code), close::REFUSED),
        other => panic!("expected a 4403 close, got {other:?}"),
    }
    // Another document, an altered token, garbage: 401 before the upgrade.
    assert_eq!(yjs_with_token(&server, "tor/nps", &editor, true).await.err(), Some(StatusCode::UNAUTHORIZED));
    let mut altered = editor.clone().into_bytes();
    altered[10] = if altered[10] == b'A' { b'B' } else { b'A' };
    assert_eq!(yjs_with_token(&server, "tor/stimulants", &String::from_utf8(altered).unwrap(), true).await.err(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(yjs_with_token(&server, "tor/stimulants", "pd1.x.y", false).await.err(), Some(StatusCode::UNAUTHORIZED));
    // Expired.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(yjs_with_token(&server, "tor/stimulants", &short, true).await.err(), Some(StatusCode::UNAUTHORIZED));
    // The account's role removed: the token opens nothing any more (within the gate's 2 s).
    admin(dir.path(), &["role", "--email", "ed@example.org", "--group", "mednet", "--role", "none"]);
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert_eq!(yjs_with_token(&server, "tor/stimulants", &editor, true).await.err(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn a_readers_answer_with_nothing_new_is_confirmed_but_a_real_change_refused() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["account", "--email", "ed@example.org", "--name", "Ed", "--role", "mednet=editor"]);
    admin(dir.path(), &["account", "--email", "vi@example.org", "--name", "Vi", "--role", "mednet=viewer"]);
    let server = TestServer::start_with(dir.path(), &["--access", "strict"]);
    let doc = DocId::parse("tor/mednet").unwrap();
    // The editor writes, then deletes part of it: the document now has a delete set.
    let editor = TorDoc::new(fastrand_client());
    let updates = [editor.splice(TorSection::Scope, 0, 0, "MedNET countries"), editor.splice(TorSection::Scope, 0, 7, "")];
    let mut sync = connect(&server, "/sync", Some(&sign_in(&server, "ed@example.org").await)).await.unwrap();
    for update in &updates {
        sync.send(Ws::Binary(Frame::sync(doc.clone(), SyncMessage::Update(update.clone())).encode().into())).await.unwrap();
        assert_eq!(next_frame(&mut sync).await, Payload::Ack);
    }

    // The viewer has the same (from an earlier visit) and answers the server's step 1 with
    // its whole state: deletions included, nothing new.
    let viewer = TorDoc::new(fastrand_client());
    for update in &updates {
        viewer.apply_update(update).unwrap();
    }
    let mut sync = connect(&server, "/sync", Some(&sign_in(&server, "vi@example.org").await)).await.unwrap();
    let (answer, _) = viewer.answer_step1(&StateVector::default());
    sync.send(Ws::Binary(Frame::sync(doc.clone(), SyncMessage::SyncStep2(answer)).encode().into())).await.unwrap();
    assert_eq!(next_frame(&mut sync).await, Payload::Ack, "nothing new is not a write");
    let typed = viewer.splice(TorSection::Scope, 0, 0, "All ");
    sync.send(Ws::Binary(Frame::sync(doc, SyncMessage::Update(typed)).encode().into())).await.unwrap();
    assert!(matches!(next_frame(&mut sync).await, Payload::RefusedWrite(_)), "a viewer's text is refused");
}

/// ToR search folds the query and the text alike (`desk_core::model::fold`): text written
/// decomposed (NFD: "e" + U+0301, as pasted from macOS or a PDF) is found by the query typed
/// composed (NFC), without its accent, or in capitals, through the server function and the
/// search page; a word that is not there finds nothing.
#[tokio::test]
async fn tor_search_finds_decomposed_text_with_a_composed_query() {
    let server = TestServer::start_open();
    let doc = DocId::parse("tor/nps").unwrap();
    let mut sync = connect(&server, "/sync", None).await.unwrap();
    sync.send(Ws::Binary(Frame::sync(doc, SyncMessage::Update(tor_update(" Re\u{301}union annuelle "))).encode().into())).await.unwrap();
    assert_eq!(next_frame(&mut sync).await, Payload::Ack);

    let http = reqwest::Client::new();
    let found = |q: &'static str| {
        let url = reqwest::Url::parse_with_params(&server.url("/_app/search_tors"), [("q", q)]).unwrap();
        let request = http.get(url).send();
        async move {
            let hits: serde_json::Value = request.await.unwrap().json().await.unwrap();
            hits.as_array().unwrap().iter().map(|hit| hit["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    for q in ["R\u{e9}union", "r\u{e9}union annuelle", "reunion", "R\u{c9}UNION", "RE\u{301}UN"] {
        assert_eq!(found(q).await, ["nps"], "{q:?}");
    }
    assert!(found("union").await.is_empty(), "a decomposed accent does not split the word");
    let page = http.get(reqwest::Url::parse_with_params(&server.url("/search"), [("q", "R\u{e9}union")]).unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("href=\"/tor/nps\""), "{page}");
}
