//! Where a comment sits in a ToR: a pair of sticky positions around the commented words, plus
//! the words themselves and a little context (like Hypothesis's `TextQuoteSelector`), so a
//! comment follows its words whatever others type or delete around and inside them.
//!
//! The start follows the first quoted character ([`Stick::ToNext`]) and the end the last one
//! ([`Stick::ToPrevious`]): text typed just before or just after the words stays outside the
//! range, text typed inside them is inside. When every quoted character is deleted both ends
//! collapse onto the same place and the comment is [`Resolved::Orphaned`].

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
        Ok(Anchor { section, start: start_sticky, end: end_sticky, quote, prefix, suffix })
    }

    /// Where the words are now: both ends resolve inside the anchor's section and the start
    /// comes before the end; otherwise [`Resolved::Orphaned`]. Never panics, whatever the
    /// bytes.
    pub fn resolve(&self, tor: &TorDoc) -> Resolved {
        let txn = tor.yrs().transact();
        let branch = section_branch(&txn, self.section);
        self.resolve_in(&txn, branch)
    }

    /// [`Anchor::resolve`] within an open transaction of the ToR, given the section's text
    /// (`None`: the section does not exist on this replica).
    pub(crate) fn resolve_in<T: ReadTxn>(&self, txn: &T, branch: Option<BranchPtr>) -> Resolved {
        self.resolve_with(txn, branch, None)
    }

    /// [`Anchor::resolve_in`], looking live characters up in `index` (made in the same
    /// transaction) rather than counting what precedes them.
    pub(crate) fn resolve_with<T: ReadTxn>(&self, txn: &T, branch: Option<BranchPtr>, index: Option<&LiveIndex>) -> Resolved {
        let Some(branch) = branch else { return Resolved::Orphaned };
        let offset = |bytes: &[u8]| offset_in(txn, branch, bytes, index);
        let (Some(start), Some(end)) = (offset(&self.start), offset(&self.end)) else {
            return Resolved::Orphaned;
        };
        if start < end {
            Resolved::At { section: self.section, start, end }
        } else {
            Resolved::Orphaned
        }
    }
}

/// The text of `section`, if this replica has it.
pub(crate) fn section_branch<T: ReadTxn>(txn: &T, section: TorSection) -> Option<BranchPtr> {
    TextRef::root(section.root_name()).get(txn).map(|text: TextRef| BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(&text)))
}

/// Where an encoded sticky position is now, if it decodes and points into `branch`.
fn offset_in<T: ReadTxn>(txn: &T, branch: BranchPtr, sticky: &[u8], index: Option<&LiveIndex>) -> Option<u32> {
    if sticky.is_empty() {
        return None;
    }
    let sticky = StickyIndex::decode_v1(sticky).ok()?;
    if let (Some(index), IndexScope::Relative(id)) = (index, sticky.scope()) {
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
/// with it takes one pass over the text instead of one per position. Positions following a
/// deleted character are left to yrs.
pub(crate) struct LiveIndex {
    /// Per client, by clock: (first clock, length, offset of the first character), one entry
    /// per live piece of text, in UTF-16 units (a text item's clocks count UTF-16 units).
    pieces: HashMap<ClientID, Vec<(u32, u32, u32)>>,
}

impl LiveIndex {
    /// Indexes `text`. Takes a write transaction because yrs's attributed diff (the public way
    /// to learn which item each piece of text is) wants one; it changes nothing.
    pub(crate) fn new(txn: &mut TransactionMut, text: &TextRef) -> Self {
        let now = txn.snapshot();
        let nothing = Snapshot::new(StateVector::default(), IdSet::default());
        // Against an empty snapshot every live item is "added", and each comes as its own
        // piece carrying its id.
        let diff = text.diff_range(txn, Some(&now), Some(&nothing), |change: YChange| change.id);
        let mut pieces: HashMap<ClientID, Vec<(u32, u32, u32)>> = HashMap::new();
        let mut offset = 0u32;
        for piece in diff {
            let len = match &piece.insert {
                Out::Any(yrs::Any::String(s)) => s.encode_utf16().count() as u32,
                _ => 1, // embeds count as one (there are none in a ToR)
            };
            if let Some(id) = piece.ychange {
                pieces.entry(id.client).or_default().push((id.clock, len, offset));
            }
            offset += len;
        }
        for list in pieces.values_mut() {
            list.sort_unstable_by_key(|p| p.0);
        }
        Self { pieces }
    }

    /// The offset of a position following the live character `(client, clock)`.
    fn offset(&self, client: ClientID, clock: u32, assoc: Assoc) -> Option<u32> {
        let list = self.pieces.get(&client)?;
        let i = list.partition_point(|p| p.0 <= clock).checked_sub(1)?;
        let (first, len, offset) = list[i];
        if clock >= first + len {
            return None;
        }
        let at = offset + (clock - first);
        Some(if assoc == Assoc::After { at } else { at + 1 })
    }
}
