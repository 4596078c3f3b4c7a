//! Where each thread's words are now: anchors resolved against the ToR, one pass per section.

use super::CommentsDoc;
use crate::doc::positions::LiveIndex;
use crate::doc::thread::Thread;
use crate::doc::{Anchor, Resolved, TorDoc, TorSection};
use std::collections::HashMap;
use yrs::branch::BranchPtr;
use yrs::{RootRef, TextRef, Transact};

/// Every thread's current place, for drawing highlights: (thread id, where), in no particular
/// order. One pass over each commented section indexes its live characters for all anchors.
/// Opens a write transaction on the ToR (yrs's attributed diff needs one) that changes
/// nothing and emits no update: do not call it while holding a transaction on `tor`.
pub fn resolve_all(tor: &TorDoc, comments: &CommentsDoc) -> Vec<(String, Resolved)> {
    place_all(tor, comments.anchors())
}

/// Every thread with its current place, in reading order (section, position), orphans last.
pub fn placed_threads(tor: &TorDoc, comments: &CommentsDoc) -> Vec<(Thread, Resolved)> {
    let threads = comments.threads();
    let places = place_all(tor, threads.iter().map(|t| (t.id.clone(), t.anchor.clone())).collect());
    let mut placed: Vec<(Thread, Resolved)> = threads.into_iter().zip(places).map(|(t, (_, place))| (t, place)).collect();
    placed.sort_by_key(|(_, place)| match *place {
        Resolved::At { section, start, .. } => (0, TorSection::ALL.iter().position(|s| *s == section).unwrap_or(usize::MAX), start),
        Resolved::Orphaned => (1, 0, 0),
    });
    placed
}

/// [`resolve_all`] for the given anchors, in their order.
fn place_all(tor: &TorDoc, anchors: Vec<(String, Anchor)>) -> Vec<(String, Resolved)> {
    let mut txn = tor.yrs().transact_mut();
    // Each section's text and, once an anchor needs it, an index of where its characters are.
    let mut sections: HashMap<TorSection, Option<(BranchPtr, LiveIndex)>> = HashMap::new();
    anchors
        .into_iter()
        .map(|(id, anchor)| {
            let section = sections.entry(anchor.section).or_insert_with(|| {
                let text = TextRef::root(anchor.section.root_name()).get(&txn)?;
                let branch = BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(&text));
                Some((branch, LiveIndex::new(&mut txn, &text)))
            });
            let resolved = match section {
                Some((branch, index)) => anchor.resolve_with(&txn, *branch, index),
                None => Resolved::Orphaned,
            };
            (id, resolved)
        })
        .collect()
}
