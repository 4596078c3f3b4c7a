//! Where a comment sits in a ToR: a pair of sticky positions around the commented words, plus
//! the words themselves and a little context (like Hypothesis's `TextQuoteSelector`), so a
//! comment follows its words whatever others type or delete around and inside them.
//!
//! The start follows the first quoted character ([`Stick::ToNext`]) and the end the last one
//! ([`Stick::ToPrevious`]): text typed just before or just after the words stays outside the
//! range, text typed inside them is inside.
//!
//! An anchor also lists the quoted characters by id ([`Anchor::words`]: runs of one client's
//! consecutive clocks). When they are known a comment runs from its first surviving quoted
//! character to its last one, which is where the sticky positions point while those two
//! characters live; when every quoted character is deleted the comment is
//! [`Resolved::Orphaned`], even if someone typed among them. Resolving by id costs one pass
//! over the section for any number of comments, where a sticky position following a deleted
//! character costs a walk along the text each (yrs 0.28 has nothing quicker). Anchors without
//! ids (made by another client through `/yjs`) resolve by their sticky positions.

use super::comments::CommentError;
use super::{Stick, TorDoc, TorSection};
use std::collections::HashMap;
use yrs::branch::BranchPtr;
use yrs::types::text::YChange;
use yrs::updates::decoder::Decode;
use yrs::{
    Assoc, ClientID, IdSet, IndexScope, Out, ReadTxn, RootRef, Snapshot, StateVector, StickyIndex, Text, TextRef,
    Transact, TransactionMut,
};

/// How many characters of context an anchor keeps on each side of the quote.
pub const CONTEXT_CHARS: usize = 32;

/// The words a comment is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub section: TorSection,
    /// Encoded sticky position of the first quoted character ([`TorDoc::sticky`], `ToNext`).
    pub start: Vec<u8>,
    /// Encoded sticky position just after the last quoted character (`ToPrevious`).
    pub end: Vec<u8>,
    /// The words, as they were when the comment was made.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] characters before the words, then.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters after the words, then.
    pub suffix: String,
    /// The quoted characters, by id, in the order of the text then (empty: not known).
    pub words: Vec<IdRun>,
}

/// Consecutive characters typed by one client: clocks `clock..clock + len` (UTF-16 units).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdRun {
    pub client: ClientID,
    pub clock: u32,
    pub len: u32,
}

impl IdRun {
    const ENCODED_LEN: usize = 16;

    /// Runs as stored: 16 bytes each (client, clock, length; little-endian).
    pub fn encode_all(runs: &[IdRun]) -> Vec<u8> {
        let mut out = Vec::with_capacity(runs.len() * Self::ENCODED_LEN);
        for run in runs {
            out.extend_from_slice(&run.client.get().to_le_bytes());
            out.extend_from_slice(&run.clock.to_le_bytes());
            out.extend_from_slice(&run.len.to_le_bytes());
        }
        out
    }

    /// Reads [`IdRun::encode_all`]'s bytes; `None` when they are not whole runs of valid
    /// (53-bit) client ids.
    pub fn decode_all(bytes: &[u8]) -> Option<Vec<IdRun>> {
        if !bytes.len().is_multiple_of(Self::ENCODED_LEN) {
            return None;
        }
        bytes
            .chunks_exact(Self::ENCODED_LEN)
            .map(|b| {
                let client = u64::from_le_bytes(b[0..8].try_into().ok()?);
                let clock = u32::from_le_bytes(b[8..12].try_into().ok()?);
                let len = u32::from_le_bytes(b[12..16].try_into().ok()?);
                // `ClientID::new` wants (and debug-asserts) a 53-bit value.
                (client >> 53 == 0).then(|| IdRun { client: ClientID::new(client), clock, len })
            })
            .collect()
    }
}

/// Where an anchor's words are now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// `[start, end)` of `section`, in UTF-16 units.
    At { section: TorSection, start: u32, end: u32 },
    /// Every one of the words has been deleted (or this replica lacks them, or the anchor is
    /// unreadable).
    Orphaned,
}

impl Anchor {
    /// Anchors `[start, end)` of `section` (UTF-16 units). Refuses empty ranges, ranges that
    /// end before they start, that go beyond the text, or that split a character.
    pub fn new(tor: &TorDoc, section: TorSection, start: u32, end: u32) -> Result<Anchor, CommentError> {
        if end < start {
            return Err(CommentError::BadRange(format!("the selection ends ({end}) before it starts ({start})")));
        }
        if end == start {
            return Err(CommentError::BadRange("the selection is empty: select the words to comment on".into()));
        }
        let units: Vec<u16> = tor.text(section).encode_utf16().collect();
        if end as usize > units.len() {
            return Err(CommentError::BadRange(format!(
                "the selection ({start}–{end}) goes beyond the end of the text ({})",
                units.len()
            )));
        }
        let (start_us, end_us) = (start as usize, end as usize);
        let split = || CommentError::BadRange("the selection splits a character in two".into());
        let prefix = String::from_utf16(&units[..start_us]).map_err(|_| split())?;
        let quote = String::from_utf16(&units[start_us..end_us]).map_err(|_| split())?;
        let suffix = String::from_utf16(&units[end_us..]).map_err(|_| split())?;
        let prefix_chars = prefix.chars().count();
        let prefix: String = prefix.chars().skip(prefix_chars.saturating_sub(CONTEXT_CHARS)).collect();
        let suffix: String = suffix.chars().take(CONTEXT_CHARS).collect();
        let start_sticky = tor.sticky(section, start, Stick::ToNext);
        let end_sticky = tor.sticky(section, end, Stick::ToPrevious);
        if start_sticky.is_empty() || end_sticky.is_empty() {
            return Err(CommentError::BadRange("the selection could not be anchored".into()));
        }
        let words = with_live_index(tor, section, |index| index.runs_between(start, end)).unwrap_or_default();
        Ok(Anchor { section, start: start_sticky, end: end_sticky, quote, prefix, suffix, words })
    }

    /// Where the words are now (see the module docs); [`Resolved::Orphaned`] when none of them
    /// is left, or the section does not exist here. Never panics, whatever the bytes. To place
    /// many anchors of one ToR, [`super::resolve_all`] indexes each section once for all.
    pub fn resolve(&self, tor: &TorDoc) -> Resolved {
        let mut txn = tor.yrs().transact_mut();
        let Some(text) = TextRef::root(self.section.root_name()).get(&txn) else { return Resolved::Orphaned };
        let branch = BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(&text));
        let index = LiveIndex::new(&mut txn, &text);
        self.resolve_with(&txn, branch, &index)
    }

    /// [`Anchor::resolve`] within an open transaction of the ToR, given the section's text
    /// and an index of its live characters made in the same transaction.
    pub(crate) fn resolve_with<T: ReadTxn>(&self, txn: &T, branch: BranchPtr, index: &LiveIndex) -> Resolved {
        let range = if self.words.is_empty() {
            let offset = |bytes: &[u8]| offset_in(txn, branch, bytes, index);
            offset(&self.start).zip(offset(&self.end))
        } else {
            index.span_of(&self.words)
        };
        match range {
            Some((start, end)) if start < end => Resolved::At { section: self.section, start, end },
            _ => Resolved::Orphaned,
        }
    }
}

/// Runs `f` with an index of `section`'s live characters (`None`: no such text here). Opens a
/// write transaction that changes nothing (see [`LiveIndex::new`]).
fn with_live_index<R>(tor: &TorDoc, section: TorSection, f: impl FnOnce(&LiveIndex) -> R) -> Option<R> {
    let mut txn = tor.yrs().transact_mut();
    let text = TextRef::root(section.root_name()).get(&txn)?;
    Some(f(&LiveIndex::new(&mut txn, &text)))
}

/// Where an encoded sticky position is now, if it decodes and points into `branch`.
fn offset_in<T: ReadTxn>(txn: &T, branch: BranchPtr, sticky: &[u8], index: &LiveIndex) -> Option<u32> {
    if sticky.is_empty() {
        return None;
    }
    let sticky = StickyIndex::decode_v1(sticky).ok()?;
    if let IndexScope::Relative(id) = sticky.scope() {
        if let Some(offset) = index.offset(id.client, id.clock, sticky.assoc) {
            return Some(offset);
        }
    }
    // yrs counts every character before the one the position follows: a walk along the text.
    let offset = sticky.get_offset(txn)?;
    // A position in another section (or another type altogether) is not this anchor's.
    (offset.branch == branch).then_some(offset.index)
}

/// Where each live (not deleted) character of a section is, by id: resolving many positions
/// with it takes one pass over the text instead of one per position.
pub(crate) struct LiveIndex {
    /// The live text piece by piece, in order: each piece is one client's consecutive clocks.
    pieces: Vec<Piece>,
    /// Per client, indices into `pieces` by clock.
    by_client: HashMap<ClientID, Vec<usize>>,
}

#[derive(Clone, Copy)]
struct Piece {
    run: IdRun,
    /// Offset of the piece's first character in the text (UTF-16 units).
    offset: u32,
}

impl LiveIndex {
    /// Indexes `text`. Takes a write transaction because yrs's attributed diff (the public way
    /// to learn which item each piece of text is) wants one; it changes nothing.
    pub(crate) fn new(txn: &mut TransactionMut, text: &TextRef) -> Self {
        // Everything integrated and not deleted. Not `txn.snapshot()` as is: yrs 0.28 integrates
        // items that arrive after a gap in their client's clocks, and the state vector then
        // stops at the gap, which would hide them from the diff.
        let Snapshot { state_map, delete_set } = txn.snapshot();
        let mut everything = StateVector::default();
        for (client, _) in state_map.iter() {
            everything.set_max(*client, u32::MAX);
        }
        let now = Snapshot::new(everything, delete_set);
        let nothing = Snapshot::new(StateVector::default(), IdSet::default());
        // Against an empty snapshot every live item is "added", and each comes as its own
        // piece carrying its id.
        let diff = text.diff_range(txn, Some(&now), Some(&nothing), |change: YChange| change.id);
        let mut pieces = Vec::with_capacity(diff.len());
        let mut offset = 0u32;
        for piece in diff {
            // A text item's clocks count UTF-16 units; embeds count as one (a ToR has none).
            let len = match &piece.insert {
                Out::Any(yrs::Any::String(s)) => s.encode_utf16().count() as u32,
                _ => 1,
            };
            if let Some(id) = piece.ychange {
                pieces.push(Piece { run: IdRun { client: id.client, clock: id.clock, len }, offset });
            }
            offset += len;
        }
        let mut by_client: HashMap<ClientID, Vec<usize>> = HashMap::new();
        for (i, piece) in pieces.iter().enumerate() {
            by_client.entry(piece.run.client).or_default().push(i);
        }
        for list in by_client.values_mut() {
            list.sort_unstable_by_key(|&i| pieces[i].run.clock);
        }
        Self { pieces, by_client }
    }

    /// The ids of the characters in `[start, end)`, in text order.
    pub(crate) fn runs_between(&self, start: u32, end: u32) -> Vec<IdRun> {
        let first = self.pieces.partition_point(|p| p.offset + p.run.len <= start);
        self.pieces[first..]
            .iter()
            .take_while(|p| p.offset < end)
            .map(|p| {
                let from = start.max(p.offset) - p.offset;
                let to = end.min(p.offset + p.run.len) - p.offset;
                IdRun { client: p.run.client, clock: p.run.clock + from, len: to - from }
            })
            .collect()
    }

    /// `[start, end)` from the first to just after the last live character of `runs`, if any
    /// is live.
    pub(crate) fn span_of(&self, runs: &[IdRun]) -> Option<(u32, u32)> {
        let mut span: Option<(u32, u32)> = None;
        for run in runs {
            let Some(list) = self.by_client.get(&run.client) else { continue };
            let run_end = run.clock.saturating_add(run.len);
            // The first piece that ends after the run starts, then every one that begins before
            // the run ends.
            let first = list.partition_point(|&i| {
                let p = self.pieces[i].run;
                p.clock + p.len <= run.clock
            });
            for &i in list[first..].iter().take_while(|&&i| self.pieces[i].run.clock < run_end) {
                let Piece { run: p, offset } = self.pieces[i];
                let from = offset + (run.clock.max(p.clock) - p.clock);
                let to = offset + (run_end.min(p.clock + p.len) - p.clock);
                span = Some(span.map_or((from, to), |(s, e)| (s.min(from), e.max(to))));
            }
        }
        span
    }

    /// The offset of a position following the live character `(client, clock)`.
    fn offset(&self, client: ClientID, clock: u32, assoc: Assoc) -> Option<u32> {
        let list = self.by_client.get(&client)?;
        let i = list.partition_point(|&i| self.pieces[i].run.clock <= clock).checked_sub(1)?;
        let Piece { run, offset } = self.pieces[list[i]];
        if clock >= run.clock + run.len {
            return None;
        }
        let at = offset + (clock - run.clock);
        Some(if assoc == Assoc::After { at } else { at + 1 })
    }
}
