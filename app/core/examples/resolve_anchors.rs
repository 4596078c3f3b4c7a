//! Benchmark (not a test): how long placing every comment's highlight takes on a much-edited
//! ToR. Builds one section with 10,000 random edits by three replicas that keep in sync
//! (so the text is made of many small pieces, deleted ones included), 500 comments anchored
//! on random ranges along the way, then times `resolve_all` (median of several runs).
//!
//! cargo run --release -p desk-core --example resolve_anchors

use desk_core::doc::{resolve_all, Anchor, Author, CommentsDoc, NewComment, Resolved, TorDoc, TorSection};
use std::time::Instant;

const EDITS: usize = 10_000;
const COMMENTS: usize = 500;
const RUNS: usize = 21;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            0
        } else {
            (self.next() % u64::from(n)) as u32
        }
    }
}

fn main() {
    let section = TorSection::Scope;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let replicas: Vec<TorDoc> = (0..3).map(|i| TorDoc::new(100 + i)).collect();
    let comments = CommentsDoc::new(200);
    let author = Author { id: "bench".into(), name: "Bench".into() };
    let words = ["drug ", "policy ", "prison ", "health ", "réduction ", "€ ", "cooperation\n", "MedNET "];
    let comment_every = EDITS / COMMENTS;
    let started = Instant::now();
    for edit in 0..EDITS {
        let who = (rng.next() % 3) as usize;
        let doc = &replicas[who];
        let len = doc.len(section);
        let at = rng.below(len + 1);
        // Mostly typing, some deleting, so the text grows to a few tens of thousands of units.
        let update = if rng.below(10) < 7 || len < 200 {
            let word = words[rng.below(words.len() as u32) as usize];
            doc.splice(section, at, 0, word)
        } else {
            doc.splice(section, at.min(len - 1), 1 + rng.below(12), "")
        };
        for (i, other) in replicas.iter().enumerate() {
            if i != who {
                other.apply_update(&update).unwrap();
            }
        }
        if edit % comment_every == comment_every - 1 {
            let len = doc.len(section);
            let start = rng.below(len - 1);
            let end = (start + 1 + rng.below(40)).min(len);
            let anchor = Anchor::new(doc, section, start, end).expect("valid range (all text is BMP)");
            let new = NewComment { author: author.clone(), body: format!("comment {edit}"), anchor, suggestion: None, now_ms: edit as u64 };
            comments.add(new).unwrap();
        }
    }
    let tor = &replicas[0];
    println!(
        "built in {:.1?}: {} edits, section of {} UTF-16 units, ToR state {} bytes, {} comments",
        started.elapsed(),
        EDITS,
        tor.len(section),
        tor.encode_state().len(),
        comments.threads().len(),
    );

    let mut times = Vec::with_capacity(RUNS);
    let mut placed = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        placed = std::hint::black_box(resolve_all(tor, &comments));
        times.push(t.elapsed());
    }
    times.sort();
    let orphaned = placed.iter().filter(|(_, r)| *r == Resolved::Orphaned).count();
    println!(
        "resolve_all: {} threads ({} orphaned); median {:.2?} over {} runs (min {:.2?}, max {:.2?})",
        placed.len(),
        orphaned,
        times[RUNS / 2],
        RUNS,
        times[0],
        times[RUNS - 1],
    );
}
