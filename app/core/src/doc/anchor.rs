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
//!
//! Offsets count the visible text only, as [`TorDoc::text`] shows it: embeds and other items a
//! stock client put into the section are not counted (see `positions.rs`).

use super::positions::{IdRun, LiveIndex};
use super::thread::CommentError;
use super::{Stick, TorDoc, TorSection};
use yrs::branch::BranchPtr;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, RootRef, StickyIndex, TextRef, Transact};

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
            return Err(CommentError::BadRange(format!("the selection ({start}–{end}) goes beyond the end of the text ({})", units.len())));
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
            let offset = |bytes: &[u8]| match StickyIndex::decode_v1(bytes) {
                Ok(sticky) if !bytes.is_empty() => index.resolve(txn, branch, &sticky),
                _ => None,
            };
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
