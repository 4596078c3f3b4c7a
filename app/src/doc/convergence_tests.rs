//! Property test: replicas of a ToR that edit at random, go offline, and receive each
//! other's updates late, reordered and duplicated all end with the same text.
//!
//! Found here: yrs 0.28.1 can leave updates pending for good when two of them wait on a third
//! that arrives last (see `a_stuck_pending_chain_is_detected_and_healed_by_resync`). A replica
//! in that state says so (`has_pending`), and one state-vector exchange (sync step 1/2) heals
//! it, so the sync engine must resync whenever a document reports pending updates.

use super::testing::dependent_chain;
use super::{TorDoc, TorSection};
use proptest::prelude::*;

const REPLICAS: usize = 5;

#[derive(Clone, Debug)]
enum Step {
    /// A replica edits a section locally.
    Edit { replica: usize, section: usize, at: u16, delete: u8, insert: String },
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
}

impl Net {
    fn new() -> Self {
        Self {
            docs: (0..REPLICAS).map(|i| TorDoc::new(i as u64 + 1)).collect(),
            online: vec![true; REPLICAS],
            inbox: vec![Vec::new(); REPLICAS],
        }
    }

    fn run(&mut self, step: &Step) {
        match step {
            Step::Edit { replica, section, at, delete, insert } => {
                let section = TorSection::ALL[*section];
                let len = self.docs[*replica].len(section);
                let at = if len == 0 { 0 } else { u32::from(*at) % (len + 1) };
                let update = self.docs[*replica].splice(section, at, u32::from(*delete), insert);
                for (to, inbox) in self.inbox.iter_mut().enumerate() {
                    if to != *replica {
                        inbox.push((*replica, update.clone()));
                    }
                }
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
                let update = if *duplicate {
                    self.inbox[*to][index].1.clone()
                } else {
                    self.inbox[*to].swap_remove(index).1
                };
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
        for (r, (texts, pending)) in before.iter().enumerate() {
            prop_assert_eq!(&net.texts(r), &converged, "replica {} differs after resync", r);
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
