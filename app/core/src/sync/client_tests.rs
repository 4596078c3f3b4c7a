//! The client engine against a small in-test hub that answers like the real one (step 1 with
//! step 2 and its own step 1, updates stored then relayed and acknowledged, awareness relayed).

use super::*;
use crate::doc::{DocId, TorDoc, TorSection};
use std::collections::{HashMap, HashSet, VecDeque};

const S: TorSection = TorSection::Scope;

fn tor() -> DocId {
    DocId::parse("tor/nps").unwrap()
}

/// The server side, in memory; connections are numbered.
#[derive(Default)]
struct Hub {
    docs: HashMap<DocId, TorDoc>,
    members: HashMap<DocId, HashSet<usize>>,
    /// Frames on their way to each connection.
    inbox: HashMap<usize, VecDeque<Vec<u8>>>,
    stored_updates: usize,
    /// Connections whose non-empty updates are refused (a viewer).
    read_only: HashSet<usize>,
    /// Connections refused the document altogether.
    unreadable: HashSet<usize>,
}

impl Hub {
    fn handle(&mut self, from: usize, bytes: &[u8]) {
        let frame = Frame::decode(bytes).expect("the engine sends well-formed frames");
        let doc = frame.doc.clone();
        if self.unreadable.contains(&from) {
            let refusal = Frame::new(doc, Payload::RefusedRead("You may not open this document.".into()));
            self.inbox.entry(from).or_default().push_back(refusal.encode());
            return;
        }
        let writes = matches!(&frame.payload, Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(u) | SyncMessage::Update(u))) if u.as_slice() != [0, 0]);
        if writes && self.read_only.contains(&from) {
            let refusal = Frame::new(doc, Payload::RefusedWrite("You may not edit this text.".into()));
            self.inbox.entry(from).or_default().push_back(refusal.encode());
            return;
        }
        self.members.entry(doc.clone()).or_default().insert(from);
        let replica = self.docs.entry(doc.clone()).or_insert_with(|| TorDoc::new(0));
        let mut to_sender = Vec::new();
        let mut to_others = None;
        match frame.payload {
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(sv))) => {
                let (diff, ours) = replica.answer_step1(&sv);
                to_sender.push(Frame::sync(doc.clone(), SyncMessage::SyncStep2(diff)));
                to_sender.push(Frame::sync(doc.clone(), SyncMessage::SyncStep1(ours)));
            }
            Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(u) | SyncMessage::Update(u))) => {
                replica.apply_update(&u).unwrap();
                self.stored_updates += 1;
                to_others = Some(Frame::sync(doc.clone(), SyncMessage::Update(u)));
                to_sender.push(Frame::new(doc.clone(), Payload::Ack));
            }
            Payload::Yjs(message @ Message::Awareness(_)) => to_others = Some(Frame::new(doc.clone(), Payload::Yjs(message))),
            other => panic!("unexpected {other:?}"),
        }
        let inbox = self.inbox.entry(from).or_default();
        inbox.extend(to_sender.iter().map(Frame::encode));
        if let Some(frame) = to_others {
            for member in self.members[&doc].iter().filter(|m| **m != from) {
                self.inbox.entry(*member).or_default().push_back(frame.encode());
            }
        }
    }

    fn disconnect(&mut self, conn: usize) {
        self.inbox.remove(&conn);
        for members in self.members.values_mut() {
            members.remove(&conn);
        }
    }
}

/// A browser tab: an engine plus its connection number (None while offline).
struct Tab {
    engine: SyncEngine<MemoryStore>,
    conn: Option<usize>,
    outbox: Vec<Vec<u8>>,
}

impl Tab {
    fn new(store: &MemoryStore, client_id: u64) -> Self {
        let mut engine = SyncEngine::new(store.clone(), client_id);
        engine.open(&tor());
        Self { engine, conn: None, outbox: Vec::new() }
    }

    fn take(&mut self, outcome: Outcome) {
        if self.conn.is_some() {
            self.outbox.extend(outcome.send);
        }
    }

    fn edit(&mut self, index: u32, delete: u32, insert: &str) {
        let outcome = self.engine.edit(&tor(), S, index, delete, insert);
        self.take(outcome);
    }

    fn text(&self) -> String {
        self.engine.doc(&tor()).unwrap().text(S)
    }
}

struct World {
    hub: Hub,
    tabs: Vec<Tab>,
    next_conn: usize,
}

impl World {
    fn new(tabs: Vec<Tab>) -> Self {
        Self { hub: Hub::default(), tabs, next_conn: 0 }
    }

    fn connect(&mut self, tab: usize) {
        self.next_conn += 1;
        self.tabs[tab].conn = Some(self.next_conn);
        let outcome = self.tabs[tab].engine.connected();
        self.tabs[tab].take(outcome);
    }

    fn disconnect(&mut self, tab: usize) {
        if let Some(conn) = self.tabs[tab].conn.take() {
            self.hub.disconnect(conn);
        }
        self.tabs[tab].outbox.clear();
        self.tabs[tab].engine.disconnected();
    }

    /// Delivers everything in flight, both ways, until nothing moves.
    fn settle(&mut self) {
        for _ in 0..100 {
            let mut moved = false;
            for tab in &mut self.tabs {
                let Some(conn) = tab.conn else { continue };
                for bytes in tab.outbox.drain(..) {
                    self.hub.handle(conn, &bytes);
                    moved = true;
                }
            }
            for tab in &mut self.tabs {
                let Some(conn) = tab.conn else { continue };
                let incoming: Vec<Vec<u8>> = self.hub.inbox.entry(conn).or_default().drain(..).collect();
                for bytes in incoming {
                    let outcome = tab.engine.receive(&bytes, 0).unwrap();
                    tab.take(outcome);
                    moved = true;
                }
            }
            if !moved {
                return;
            }
        }
        panic!("messages kept flowing");
    }
}

#[test]
fn live_edits_converge_and_are_confirmed() {
    let mut world = World::new(vec![Tab::new(&MemoryStore::default(), 11), Tab::new(&MemoryStore::default(), 22)]);
    assert!(!world.tabs[0].engine.is_known(&tor()), "empty and never synced");
    world.connect(0);
    world.connect(1);
    world.settle();
    assert!(world.tabs[0].engine.is_known(&tor()));
    world.tabs[0].edit(0, 0, "Early warning");
    world.tabs[1].edit(0, 0, "NPS: ");
    assert_eq!(world.tabs[0].engine.status().unsynced, 1);
    world.settle();
    assert_eq!(world.tabs[0].text(), world.tabs[1].text());
    assert!(world.tabs[0].text().contains("Early warning") && world.tabs[0].text().contains("NPS: "));
    for tab in &world.tabs {
        assert_eq!(tab.engine.status(), SyncStatus { online: true, syncing: false, unsynced: 0 });
    }
}

#[test]
fn offline_edits_survive_a_reload_and_merge_on_reconnect() {
    let store = MemoryStore::default();
    let mut world = World::new(vec![Tab::new(&store, 1), Tab::new(&MemoryStore::default(), 2)]);
    world.connect(0);
    world.connect(1);
    world.tabs[1].edit(0, 0, "Scope agreed in Strasbourg.");
    world.settle();
    world.disconnect(0);
    world.tabs[0].edit(0, 0, "Draft: ");
    world.tabs[0].edit(7, 0, "airports ");
    world.tabs[1].edit(27, 0, " Updated.");
    world.settle();
    assert_eq!(world.tabs[0].engine.status(), SyncStatus { online: false, syncing: false, unsynced: 2 });

    // The tab is closed and opened again, still offline: a new engine on the same store.
    world.tabs[0] = Tab::new(&store, 3);
    assert!(world.tabs[0].engine.is_known(&tor()), "the stored copy counts as known");
    assert_eq!(world.tabs[0].text(), "Draft: airports Scope agreed in Strasbourg.");
    assert_eq!(world.tabs[0].engine.status().unsynced, 2);

    world.connect(0);
    world.settle();
    let expected = "Draft: airports Scope agreed in Strasbourg. Updated.";
    assert_eq!(world.tabs[0].text(), expected);
    assert_eq!(world.tabs[1].text(), expected);
    assert_eq!(world.tabs[0].engine.status().unsynced, 0);
    assert_eq!(store.load(&tor()).unwrap().unsynced(), 0, "the confirmation is stored too");
}

#[test]
fn a_lost_acknowledgement_leaves_the_change_unconfirmed_until_the_next_connection() {
    let mut world = World::new(vec![Tab::new(&MemoryStore::default(), 1)]);
    world.connect(0);
    world.settle();
    world.tabs[0].edit(0, 0, "x");
    world.settle();
    world.tabs[0].edit(1, 0, "y");
    // Sent, but the connection dies before the ack comes back.
    let conn = world.tabs[0].conn.unwrap();
    for bytes in world.tabs[0].outbox.drain(..) {
        world.hub.handle(conn, &bytes);
    }
    world.disconnect(0);
    assert_eq!(world.tabs[0].engine.status().unsynced, 1);
    let stored_before = world.hub.stored_updates;
    world.connect(0);
    world.settle();
    assert_eq!(world.tabs[0].engine.status().unsynced, 0);
    assert_eq!(world.hub.stored_updates, stored_before + 1, "one step 2, not every change again");
    assert_eq!(world.hub.docs[&tor()].text(S), "xy");
}

#[test]
fn reconnecting_sends_only_what_the_server_lacks() {
    let mut world = World::new(vec![Tab::new(&MemoryStore::default(), 1)]);
    world.connect(0);
    world.tabs[0].edit(0, 0, &"long text ".repeat(200));
    world.settle();
    world.disconnect(0);
    world.tabs[0].edit(0, 0, "!");
    world.connect(0);
    // Step 1 goes out; the server answers; our step 2 must carry only the "!".
    world.settle();
    let replica = &world.hub.docs[&tor()];
    assert!(replica.text(S).starts_with("!long text"));
    let diff = world.tabs[0].engine.doc(&tor()).unwrap().diff_since(&replica.encoded_state_vector()).unwrap();
    assert!(diff.len() < 10, "nothing left to send: {} bytes", diff.len());
}

#[test]
fn two_tabs_of_one_browser_never_overwrite_each_others_offline_work() {
    let store = MemoryStore::default();
    let mut first = Tab::new(&store, 1);
    let mut second = Tab::new(&store, 2);
    first.edit(0, 0, "from the first tab");
    second.edit(0, 0, "from the second tab; ");
    // Both closed, one opened again.
    let reopened = Tab::new(&store, 3);
    assert!(reopened.text().contains("from the first tab"));
    assert!(reopened.text().contains("from the second tab"));
}

#[test]
fn another_tabs_unsent_work_merged_here_counts_as_unsent_until_the_server_has_it() {
    let store = MemoryStore::default();
    let mut world = World::new(vec![Tab::new(&store, 1), Tab::new(&store, 2), Tab::new(&MemoryStore::default(), 3)]);
    // The second tab is synced and has nothing unsent; the first types offline and closes.
    world.connect(1);
    world.settle();
    world.tabs[0].edit(0, 0, "typed in the first tab");
    assert!(world.tabs[0].engine.unsynced(&tor()) > 0);
    // The second tab's next save merges the first tab's copy: it holds that text now, and
    // counts it as not on the server (so the stored copy is never taken for one to remove).
    world.tabs[1].edit(0, 0, "x");
    world.settle();
    assert!(world.tabs[1].text().contains("typed in the first tab"));
    // Online, it was sent at once and confirmed: the server (and so a third person) has it.
    assert_eq!(world.tabs[1].engine.unsynced(&tor()), 0);
    world.connect(2);
    world.settle();
    assert!(world.tabs[2].text().contains("typed in the first tab"), "{}", world.tabs[2].text());

    // Offline, the merged work stays counted until a connection sends it.
    let store = MemoryStore::default();
    let mut world = World::new(vec![Tab::new(&store, 4), Tab::new(&store, 5), Tab::new(&MemoryStore::default(), 6)]);
    world.tabs[0].edit(0, 0, "offline first tab");
    let outcome = world.tabs[1].engine.edit(&tor(), S, 0, 0, "y");
    assert!(outcome.events.contains(&SyncEvent::Changed(tor())), "the page is told its text changed: {:?}", outcome.events);
    world.tabs[1].take(outcome);
    // Later words of the first tab, stored: taken in without a keystroke in the second.
    world.tabs[0].edit(0, 0, "later ");
    let outcome = world.tabs[1].engine.take_stored(&tor());
    assert!(outcome.events.contains(&SyncEvent::Changed(tor())));
    assert!(world.tabs[1].text().contains("later offline first tab"), "{}", world.tabs[1].text());
    world.tabs[1].take(outcome);
    assert!(world.tabs[1].engine.unsynced(&tor()) > 1, "its own change and the other tab's");
    assert!(store.load(&tor()).unwrap().unsynced() > 1);
    world.connect(1);
    world.settle();
    assert_eq!(world.tabs[1].engine.unsynced(&tor()), 0);
    world.connect(2);
    world.settle();
    assert!(world.tabs[2].text().contains("offline first tab"));
}

#[test]
fn presence_reaches_a_peer_who_joins_later() {
    let user = |name: &str| PeerState { user: User { name: name.into(), color: "#123456".into() }, cursor: None };
    let mut world = World::new(vec![Tab::new(&MemoryStore::default(), 1), Tab::new(&MemoryStore::default(), 2)]);
    world.connect(0);
    let outcome = world.tabs[0].engine.set_presence(&tor(), Some(user("Anna")), 0);
    world.tabs[0].take(outcome);
    world.settle();
    let outcome = world.tabs[1].engine.set_presence(&tor(), Some(user("Bruno")), 0);
    world.tabs[1].take(outcome);
    world.connect(1);
    world.settle();
    let names = |tab: &Tab| tab.engine.peers(&tor()).into_iter().map(|(_, s)| s.user.name).collect::<Vec<_>>();
    assert_eq!(names(&world.tabs[1]), ["Anna"], "Anna greets the newcomer");
    assert_eq!(names(&world.tabs[0]), ["Bruno"]);
    world.disconnect(1);
    assert!(names(&world.tabs[1]).is_empty(), "offline, nobody is known to be here");
}

#[test]
fn a_dependency_that_never_arrived_is_asked_for_again() {
    let mut tab = Tab::new(&MemoryStore::default(), 1);
    tab.conn = Some(1);
    let outcome = tab.engine.connected();
    tab.take(outcome);
    tab.outbox.clear();
    let [_, second, _] = crate::doc::testing::dependent_chain(S);
    let frame = Frame::sync(tor(), SyncMessage::Update(second)).encode();
    let outcome = tab.engine.receive(&frame, 0).unwrap();
    assert!(outcome.send.iter().any(|bytes| matches!(Frame::decode(bytes).unwrap().payload, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(_))))));
}

#[test]
fn garbage_from_the_server_is_an_error_and_harms_nothing() {
    let mut tab = Tab::new(&MemoryStore::default(), 1);
    tab.edit(0, 0, "kept");
    for garbage in [&b""[..], b"\x07tor/nps\x00\x02\xff\xff", b"\xff\xff\xff", b"\x07tor/nps"] {
        assert!(tab.engine.receive(garbage, 0).is_err());
    }
    let unknown = Frame::sync(DocId::parse("tor/other").unwrap(), SyncMessage::Update(vec![0, 0])).encode();
    assert!(tab.engine.receive(&unknown, 0).unwrap().send.is_empty());
    assert_eq!(tab.text(), "kept");
    assert_eq!(tab.engine.status().unsynced, 1);
}

#[test]
fn refused_writes_stay_here_unconfirmed_and_refused_reads_do_not_hang_the_indicator() {
    let mut world = World::new(vec![Tab::new(&MemoryStore::default(), 1), Tab::new(&MemoryStore::default(), 2), Tab::new(&MemoryStore::default(), 3)]);
    world.hub.read_only.insert(2);
    world.hub.unreadable.insert(3);
    for tab in 0..3 {
        world.connect(tab);
    }
    world.settle();
    let stored = world.hub.stored_updates;
    world.tabs[0].edit(0, 0, "Agreed text");
    world.tabs[1].edit(0, 0, "Viewer's try. ");
    world.settle();
    // The viewer reads the others' edits; its own stays in its replica, unconfirmed, and
    // reached no one.
    assert!(world.tabs[1].text().contains("Agreed text") && world.tabs[1].text().contains("Viewer's try. "));
    assert_eq!(world.tabs[0].text(), "Agreed text");
    assert_eq!(world.hub.stored_updates, stored + 1, "only the editor's change is stored");
    assert_eq!(world.tabs[1].engine.status(), SyncStatus { online: true, syncing: false, unsynced: 1 });
    // The one refused the document gets nothing and is not "syncing" for ever.
    assert_eq!(world.tabs[2].text(), "");
    assert_eq!(world.tabs[2].engine.status(), SyncStatus { online: true, syncing: false, unsynced: 0 });
    // Once allowed to write, the next connection sends the kept change.
    world.hub.read_only.clear();
    world.disconnect(1);
    world.connect(1);
    world.settle();
    assert_eq!(world.tabs[0].text(), world.tabs[1].text());
    assert_eq!(world.tabs[1].engine.status().unsynced, 0);
}

#[test]
fn prefilled_outputs_appear_once_however_many_replicas_prefill_them() {
    let mut world = World::new(vec![Tab::new(&MemoryStore::default(), 1), Tab::new(&MemoryStore::default(), 2)]);
    for tab in &mut world.tabs {
        let outcome = tab.engine.prefill(&tor(), TorSection::Outputs, "Expert report");
        tab.take(outcome);
    }
    world.tabs[0].edit(0, 0, "offline scope");
    world.connect(0);
    world.connect(1);
    world.settle();
    for tab in &world.tabs {
        assert_eq!(tab.engine.doc(&tor()).unwrap().text(TorSection::Outputs), "Expert report");
        assert_eq!(tab.engine.status().unsynced, 0);
    }
    // Deleted pre-filled text is not brought back.
    let outcome = world.tabs[1].engine.edit(&tor(), TorSection::Outputs, 0, 100, "");
    world.tabs[1].take(outcome);
    world.settle();
    let outcome = world.tabs[0].engine.prefill(&tor(), TorSection::Outputs, "Expert report");
    assert!(outcome.send.is_empty());
    assert_eq!(world.tabs[0].engine.doc(&tor()).unwrap().text(TorSection::Outputs), "");
}

/// An engine online on the ToR, its first sync done; returns it with the server's copy.
fn online(client_id: u64) -> (SyncEngine<MemoryStore>, MemoryStore) {
    let store = MemoryStore::default();
    let mut engine = SyncEngine::new(store.clone(), client_id);
    engine.open(&tor());
    let hello = engine.connected();
    assert_eq!(hello.send.len(), 1, "step 1");
    engine.receive(&Frame::sync(tor(), SyncMessage::SyncStep2(vec![0, 0])).encode(), 0).unwrap();
    (engine, store)
}

fn server_says(engine: &mut SyncEngine<MemoryStore>, payload: Payload) -> Outcome {
    engine.receive(&Frame::new(tor(), payload).encode(), 0).unwrap()
}

#[test]
fn a_resync_request_is_answered_with_what_the_server_lacks_and_confirmed_only_then() {
    let (mut engine, _) = online(31);
    let sent = engine.edit(&tor(), S, 0, 0, "kept");
    assert_eq!(sent.send.len(), 1);
    let asked = server_says(&mut engine, Payload::Resync("sync again".into()));
    assert!(asked.send.is_empty() && asked.events.is_empty(), "quietly: the server's step 1 follows");
    assert_eq!(engine.unsynced(&tor()), 1, "not confirmed by the refusal");
    let answer = server_says(&mut engine, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(StateVector::default()))));
    let [frame] = &answer.send[..] else { panic!("one step 2, got {:?}", answer.send.len()) };
    let Payload::Yjs(Message::Sync(SyncMessage::SyncStep2(update))) = Frame::decode(frame).unwrap().payload else { panic!("a step 2") };
    let server = TorDoc::new(0);
    server.apply_update(&update).unwrap();
    assert_eq!(server.text(S), "kept");
    server_says(&mut engine, Payload::Ack);
    assert_eq!(engine.unsynced(&tor()), 0);
}

#[test]
fn resyncs_that_keep_failing_stop_and_are_reported() {
    let (mut engine, _) = online(32);
    engine.edit(&tor(), S, 0, 0, "x");
    let step1 = || Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(StateVector::default())));
    let mut reported = Vec::new();
    for _ in 0..super::client::MAX_RESYNCS {
        reported.extend(server_says(&mut engine, Payload::Resync("cannot merge".into())).events);
        let answered = server_says(&mut engine, step1());
        reported.extend(answered.events);
    }
    assert!(matches!(&reported[..], [SyncEvent::RefusedWrite(_, text)] if text == "cannot merge"), "{reported:?}");
    assert!(server_says(&mut engine, step1()).send.is_empty(), "no more answers on this connection");
    assert_eq!(engine.unsynced(&tor()), 1, "and the change is kept");
}

#[test]
fn a_change_larger_than_a_frame_is_kept_here_reported_once_and_never_sent() {
    let (mut engine, store) = online(33);
    let huge = "Paste. ".repeat(180_000);
    let outcome = engine.edit(&tor(), S, 0, 0, &huge);
    assert!(outcome.send.is_empty(), "nothing the server would refuse is sent");
    assert!(matches!(&outcome.events[..], [SyncEvent::TooLarge(doc, bytes)] if *doc == tor() && *bytes > MAX_FRAME_BYTES));
    let again = engine.edit(&tor(), S, 0, 0, "more ");
    assert!(again.events.is_empty(), "said once per connection");
    assert!(again.send.iter().all(|f| f.len() <= MAX_FRAME_BYTES));
    assert_eq!(engine.unsynced(&tor()), 2);
    // Kept on the device, all of it.
    let kept = store.load(&tor()).unwrap();
    let copy = TorDoc::new(99);
    copy.apply_update(&kept.state).unwrap();
    assert_eq!(copy.text(S), format!("more {huge}"));
    // The answer to a later step 1 would not fit either: kept, not sent.
    let answer = server_says(&mut engine, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(StateVector::default()))));
    assert!(answer.send.is_empty());
    // Other documents go on syncing.
    let other = DocId::parse("tor/stimulants").unwrap();
    engine.open(&other);
    let edit = engine.edit(&other, S, 0, 0, "small");
    assert!(edit
        .send
        .iter()
        .any(|f| Frame::decode(f).is_ok_and(|f| f.doc == other && matches!(f.payload, Payload::Yjs(Message::Sync(SyncMessage::Update(_)))))));
}

#[test]
fn a_server_holding_changes_under_this_tabs_client_id_is_reported_not_answered() {
    let (mut engine, _) = online(34);
    engine.edit(&tor(), S, 0, 0, "mine");
    let sv = StateVector::from_iter([(ClientID::new(34), 50)]);
    let outcome = server_says(&mut engine, Payload::Yjs(Message::Sync(SyncMessage::SyncStep1(sv))));
    assert!(outcome.send.is_empty(), "an answer would be confirmed without this tab's changes");
    assert!(matches!(&outcome.events[..], [SyncEvent::RefusedWrite(_, text)] if text.contains("reload")));
    assert_eq!(engine.unsynced(&tor()), 1);
}

#[test]
fn a_stored_replica_restored_in_another_tab_is_edited_under_that_tabs_own_id() {
    let store = MemoryStore::default();
    let mut first = SyncEngine::new(store.clone(), 41);
    first.edit(&tor(), S, 0, 0, "first tab ");
    // A second tab (or a reload) restores the stored copy, written under id 41.
    let mut second = SyncEngine::new(store.clone(), 42);
    second.open(&tor());
    let mut ours = second.connected();
    ours.send.clear();
    let edit = second.edit(&tor(), S, 10, 0, "second tab");
    let [frame] = &edit.send[..] else { panic!("one update") };
    let Payload::Yjs(Message::Sync(SyncMessage::Update(update))) = Frame::decode(frame).unwrap().payload else { panic!("an update") };
    let server = TorDoc::new(0);
    let check = server.check(&update).unwrap();
    assert_eq!(check.extending, [42], "only the new tab's own id writes");
    assert!(check.overlapping.is_empty());
}
