//! Property test: replicas of a ToR that edit at random, go offline, and receive each
//! other's updates late, reordered and duplicated all end with the same text. Now and then a
//! stock Yjs client drops an embed into a section (see `tor.rs`): every edit still changes the
//! visible text exactly as the same splice of a plain string would, and keeps the embeds it
//! does not span.
//!
//! Found here: yrs 0.28.1 can leave updates pending for good when two of them wait on a third
//! that arrives last (see `a_stuck_pending_chain_is_detected_and_healed_by_resync`). A replica
//! in that state says so (`has_pending`), and one state-vector exchange (sync step 1/2) heals
//! it, so the sync engine must resync whenever a document reports pending updates.

use super::testing::dependent_chain;
use super::{utf16, Stick, TorDoc, TorSection};
use proptest::prelude::*;
use yrs::branch::BranchPtr;
use yrs::updates::decoder::Decode;
use yrs::{Any, Array, ArrayRef, ClientID, Doc, MapPrelim, OffsetKind, Options, Text, Transact, Update};

const REPLICAS: usize = 5;

#[derive(Clone, Debug)]
enum Step {
    /// A replica edits a section locally.
    Edit { replica: usize, section: usize, at: u16, delete: u8, insert: String },
    /// A stock Yjs client, synced with a replica, inserts an embed at a Yjs index of a section
    /// (through that replica, which passes it on): a value (`kind` 0), a shared map (1), or
    /// two items of a `Y.Array` (2: a client that took the section for an array).
    Embed { replica: usize, section: usize, at: u16, kind: u8 },
    /// A replica goes offline or comes back.
    Toggle { replica: usize },
    /// One queued update reaches a replica, if both ends are online; it may stay queued
    /// (to be delivered again: a duplicate).
    Deliver { to: usize, pick: u16, duplicate: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..REPLICAS, 0..3usize, any::<u16>(), 0u8..6, "[a-zé€ .\n]{0,6}")
            .prop_map(|(replica, section, at, delete, insert)| Step::Edit { replica, section, at, delete, insert }),
        1 => (0..REPLICAS, 0..3usize, any::<u16>(), 0u8..3)
            .prop_map(|(replica, section, at, kind)| Step::Embed { replica, section, at, kind }),
        1 => (0..REPLICAS).prop_map(|replica| Step::Toggle { replica }),
        6 => (0..REPLICAS, any::<u16>(), any::<bool>())
            .prop_map(|(to, pick, duplicate)| Step::Deliver { to, pick, duplicate }),
    ]
}

struct Net {
    docs: Vec<TorDoc>,
    online: Vec<bool>,
    /// Per receiving replica: (sender, update) not yet delivered.
    inbox: Vec<Vec<(usize, Vec<u8>)>>,
    /// Stock clients made so far (each has its own client id).
    stock_clients: u64,
}

/// How many units of a section take index space in Yjs without being visible (embeds).
fn hidden(doc: &TorDoc, section: TorSection) -> u32 {
    let text = doc.yrs().get_or_insert_text(section.root_name());
    let yjs_len = text.len(&doc.yrs().transact());
    yjs_len - doc.len(section)
}

impl Net {
    fn new() -> Self {
        Self {
            docs: (0..REPLICAS).map(|i| TorDoc::new(i as u64 + 1)).collect(),
            online: vec![true; REPLICAS],
            inbox: vec![Vec::new(); REPLICAS],
            stock_clients: 0,
        }
    }

    fn send(&mut self, from: usize, update: &[u8]) {
        for (to, inbox) in self.inbox.iter_mut().enumerate() {
            if to != from {
                inbox.push((from, update.to_vec()));
            }
        }
    }

    fn run(&mut self, step: &Step) {
        match step {
            Step::Edit { replica, section, at, delete, insert } => {
                let section = TorSection::ALL[*section];
                let doc = &self.docs[*replica];
                let len = doc.len(section);
                let at = if len == 0 { 0 } else { u32::from(*at) % (len + 1) };
                // Positions taken here come back here.
                for stick in [Stick::ToPrevious, Stick::ToNext] {
                    assert_eq!(doc.resolve_sticky(&doc.sticky(section, at, stick)), Some(at), "{stick:?}");
                }
                let (mut expected, hidden_before) = (doc.text(section), hidden(doc, section));
                let update = doc.splice(section, at, u32::from(*delete), insert);
                let end = (at + u32::from(*delete)).min(len);
                let range = utf16::byte_offset(&expected, at)..utf16::byte_offset(&expected, end);
                expected.replace_range(range, insert);
                assert_eq!(doc.text(section), expected, "splice({at}, {delete}, {insert:?})");
                if end == at {
                    assert_eq!(hidden(doc, section), hidden_before, "an insertion deletes no embed");
                }
                self.send(*replica, &update);
            }
            Step::Embed { replica, section, at, kind } => {
                let section = TorSection::ALL[*section];
                self.stock_clients += 1;
                let mut options = Options::with_client_id(ClientID::new(1000 + self.stock_clients));
                options.offset_kind = OffsetKind::Utf16;
                let stock = Doc::with_options(options);
                let text = stock.get_or_insert_text(section.root_name());
                let doc = &self.docs[*replica];
                stock.transact_mut().apply_update(Update::decode_v1(&doc.encode_state()).unwrap()).unwrap();
                let update = {
                    let mut txn = stock.transact_mut();
                    let at = u32::from(*at) % (text.len(&txn) + 1);
                    match kind {
                        // A string, even: an embed, not text.
                        0 => {
                            text.insert_embed(&mut txn, at, Any::from(format!("image {}", self.stock_clients)));
                        }
                        1 => {
                            text.insert_embed(&mut txn, at, MapPrelim::from_iter([("chart", Any::from(1.0))]));
                        }
                        _ => {
                            let branch = BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(&text));
                            ArrayRef::from(branch).insert_range(&mut txn, at, [Any::from(true), Any::from("two")]);
                        }
                    }
                    txn.encode_update_v1()
                };
                doc.apply_update(&update).unwrap();
                self.send(*replica, &update);
            }
            Step::Toggle { replica } => self.online[*replica] = !self.online[*replica],
            Step::Deliver { to, pick, duplicate } => {
                if self.inbox[*to].is_empty() || !self.online[*to] {
                    return;
                }
                let index = usize::from(*pick) % self.inbox[*to].len();
                let (from, _) = self.inbox[*to][index];
                if !self.online[from] {
                    return;
                }
                let update = if *duplicate { self.inbox[*to][index].1.clone() } else { self.inbox[*to].swap_remove(index).1 };
                self.docs[*to].apply_update(&update).expect("a replica's own update is valid");
            }
        }
    }

    /// Everyone comes back online and every queued update arrives, last-queued first.
    fn deliver_everything(&mut self) {
        for to in 0..REPLICAS {
            while let Some((_, update)) = self.inbox[to].pop() {
                self.docs[to].apply_update(&update).unwrap();
            }
        }
    }

    /// Every replica asks every other for what it lacks (sync step 1, answered by step 2).
    fn resync_by_state_vectors(&mut self) {
        for to in 0..REPLICAS {
            for from in 0..REPLICAS {
                if from != to {
                    let diff = self.docs[from].diff_since(&self.docs[to].encoded_state_vector()).unwrap();
                    self.docs[to].apply_update(&diff).unwrap();
                }
            }
        }
    }

    fn texts(&self, replica: usize) -> Vec<String> {
        TorSection::ALL.iter().map(|s| self.docs[replica].text(*s)).collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_whatever_the_delivery(steps in prop::collection::vec(step(), 1..80)) {
        let mut net = Net::new();
        for step in &steps {
            net.run(step);
        }
        net.deliver_everything();
        let before: Vec<_> = (0..REPLICAS).map(|r| (net.texts(r), net.docs[r].has_pending())).collect();
        net.resync_by_state_vectors();

        let converged = net.texts(0);
        let embeds: Vec<u32> = TorSection::ALL.iter().map(|s| hidden(&net.docs[0], *s)).collect();
        for (r, (texts, pending)) in before.iter().enumerate() {
            prop_assert_eq!(&net.texts(r), &converged, "replica {} differs after resync", r);
            let theirs: Vec<u32> = TorSection::ALL.iter().map(|s| hidden(&net.docs[r], *s)).collect();
            prop_assert_eq!(&theirs, &embeds, "replica {} has other embeds", r);
            prop_assert!(!net.docs[r].has_pending(), "replica {} still pending", r);
            // With every update delivered, a replica that reports nothing pending already had
            // the final text: `has_pending` is a reliable trigger for a resync.
            if !pending {
                prop_assert_eq!(texts, &converged, "replica {} was wrong without reporting pending", r);
            }
        }

        // A newcomer syncing by state vector (step 1 / step 2) gets the same document.
        let newcomer = TorDoc::new(99);
        newcomer.apply_update(&net.docs[2].diff_since(&newcomer.encoded_state_vector()).unwrap()).unwrap();
        for section in TorSection::ALL {
            prop_assert_eq!(newcomer.text(section), net.docs[0].text(section));
        }
    }
}

#[test]
fn a_stuck_pending_chain_is_detected_and_healed_by_resync() {
    let s = TorSection::ExpectedOutcome;
    let [u1, u2, u3] = dependent_chain(s);
    let late = TorDoc::new(2);
    // u2 and u3 both wait for u1, which arrives last.
    for update in [&u2, &u3, &u1] {
        late.apply_update(update).unwrap();
    }
    if late.text(s) != "a" {
        assert!(late.has_pending(), "a replica that has not caught up must say so");
    }
    let peer = TorDoc::new(3);
    for update in [&u1, &u2, &u3] {
        peer.apply_update(update).unwrap();
    }
    late.apply_update(&peer.diff_since(&late.encoded_state_vector()).unwrap()).unwrap();
    assert_eq!(late.text(s), "a");
    assert!(!late.has_pending());
}
