//! A terms-of-reference document: one `Y.Text` per section under a fixed root name, so two
//! people who create the same ToR offline get the same fields and their edits merge.
//! Offsets are UTF-16 code units, as in browsers and stock Yjs clients.
//!
//! **What a section shows is its string content, and only that.** A stock Yjs client (through
//! `/yjs`) may put more into a section's `Y.Text` than this app writes: embeds (Quill's
//! `insertEmbed(0, {image: 'x.png'})`), formatting attributes, shared types inserted into the
//! text, even items of another type. They are kept, not refused: the text shown
//! ([`TorDoc::text`], and so the page, the export and search) is the string alone, embeds and
//! the rest invisible, and every offset here ([`TorDoc::splice`], [`TorDoc::len`], sticky
//! positions, comment anchors, suggestions) counts only that visible string. Yjs counts
//! differently: each embed or shared type takes one index, a run of other items one per
//! element; formatting takes none. Every conversion between the two goes through one mapping,
//! [`super::positions`] (`Positions`, and the `LiveIndex` comment anchors share). A section that
//! holds only strings (the common case: checked once after each update merged from others, not
//! per edit) needs no conversion and no extra walk.
//!
//! Edits keep what they do not span: text typed at a place where invisible items sit goes
//! just after the visible character before it (before the items); a deletion removes its
//! characters and the embeds and shared types among them, nothing at its edges (items of other
//! kinds, which yrs's text API never deletes, stay too), and its replacement takes the place of
//! the first deleted character.

use super::positions::{Layout, LiveIndex, Positions};
use super::{utf16, SharedDoc};
use std::sync::atomic::{AtomicU64, Ordering};
use yrs::branch::{BranchID, BranchPtr};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{GetString, ReadTxn, StickyIndex, Text, TextRef, Transact};

/// The sections of a ToR, following the work programme's working methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TorSection {
    Purpose,
    Scope,
    ExpectedOutcome,
    Outputs,
    Timespan,
    ExistingWork,
    Synergies,
    ExpectedResults,
    PriorityContribution,
}

impl TorSection {
    pub const ALL: [TorSection; 9] = [
        Self::Purpose,
        Self::Scope,
        Self::ExpectedOutcome,
        Self::Outputs,
        Self::Timespan,
        Self::ExistingWork,
        Self::Synergies,
        Self::ExpectedResults,
        Self::PriorityContribution,
    ];

    /// The root name of the section's `Y.Text`. Part of the wire format: never rename.
    pub fn root_name(self) -> &'static str {
        match self {
            Self::Purpose => "purpose",
            Self::Scope => "scope",
            Self::ExpectedOutcome => "expected_outcome",
            Self::Outputs => "outputs",
            Self::Timespan => "timespan",
            Self::ExistingWork => "existing_work",
            Self::Synergies => "synergies",
            Self::ExpectedResults => "expected_results",
            Self::PriorityContribution => "priority_contribution",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Purpose => "Purpose",
            Self::Scope => "Scope",
            Self::ExpectedOutcome => "Expected outcome",
            Self::Outputs => "Outputs",
            Self::Timespan => "Timespan",
            Self::ExistingWork => "(i) Existing work by other organisations",
            Self::Synergies => "(ii) Synergies with implementation partners",
            Self::ExpectedResults => "(iii) Expected results: benefits and added value of the Pompidou Group",
            Self::PriorityContribution => "Contribution to the thematic priorities",
        }
    }

    /// The section whose root name is `name`.
    pub fn from_root_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.root_name() == name)
    }
}

/// The client id of pre-filled text. Every replica that pre-fills a section makes the very
/// same update under this id, so two people pre-filling offline get the text once, not twice.
/// Real replicas use random 53-bit ids; the server's replica uses 0.
pub const PREFILL_CLIENT_ID: u64 = 1;

/// Which neighbouring character a sticky position follows (see [`TorDoc::sticky`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stick {
    /// The character before it (at the very start: the start of the text).
    ToPrevious,
    /// The character after it (at the very end: the last character).
    ToNext,
}

/// One replica of a ToR document; what every replica does (sync, storage) is on
/// [`SharedDoc`], which it dereferences to.
pub struct TorDoc {
    shared: SharedDoc,
    /// Per section (in [`TorSection::ALL`] order), what it was last seen to hold and when:
    /// `(merged + 1) << 2 | layout`, `merged` being the [`SharedDoc::merged`] count then and
    /// `layout` a [`Layout`]; 0: not known. A local edit never makes a section less simple
    /// (see [`Layout`]), so only a merge can make this stale.
    layouts: [AtomicU64; 9],
}

impl std::ops::Deref for TorDoc {
    type Target = SharedDoc;
    fn deref(&self) -> &SharedDoc {
        &self.shared
    }
}

impl TorDoc {
    /// A replica whose edits carry `client_id` (see [`SharedDoc::new`]).
    pub fn new(client_id: u64) -> Self {
        // A new document is empty: plain.
        let plain = (1 << 2) | Layout::Plain as u64;
        Self { shared: SharedDoc::new(client_id), layouts: std::array::from_fn(|_| AtomicU64::new(plain)) }
    }

    /// The update that pre-fills `section` with `text` (identical on every replica).
    pub fn prefill_update(section: TorSection, text: &str) -> Vec<u8> {
        TorDoc::new(PREFILL_CLIENT_ID).splice(section, 0, 0, text)
    }

    /// Whether this replica has ever received a pre-fill (even if its text was since deleted).
    pub fn is_prefilled(&self) -> bool {
        self.state_vector().get(&yrs::ClientID::new(PREFILL_CLIENT_ID)) > 0
    }

    /// The text of a section as people see it: its string content (see the module docs).
    pub fn text(&self, section: TorSection) -> String {
        let text = self.yrs().get_or_insert_text(section.root_name());
        text.get_string(&self.yrs().transact())
    }

    /// Length of a section's text ([`TorDoc::text`]) in UTF-16 code units.
    pub fn len(&self, section: TorSection) -> u32 {
        let text = self.yrs().get_or_insert_text(section.root_name());
        let txn = self.yrs().transact();
        match self.positions(section, &text, &txn) {
            Some(positions) => positions.visible_len(),
            None => utf16::len(&text.get_string(&txn)),
        }
    }

    /// How `section`'s offsets map onto yrs indices, within `txn` (see [`Layout`]); `None` when
    /// only character ids tell ([`LiveIndex::new`], which wants a write transaction). What the
    /// section holds is known without a walk until an update from others is merged.
    fn positions<T: ReadTxn>(&self, section: TorSection, text: &TextRef, txn: &T) -> Option<Positions> {
        let seen = &self.layouts[section as usize];
        // Read inside the transaction: it counts exactly the merges whose content `txn` sees.
        let merged = self.merged();
        let known = seen.load(Ordering::Acquire);
        let (layout, shown) = match Layout::from_bits(known & 3) {
            Some(layout) if known >> 2 == merged + 1 => (layout, None),
            _ => {
                let (layout, shown) = Layout::of(txn, text);
                seen.store(((merged + 1) << 2) | layout as u64, Ordering::Release);
                (layout, shown)
            }
        };
        match layout {
            Layout::Plain => Some(Positions::Plain(text.len(txn))),
            Layout::Shown => Some(Positions::Mapped(shown.unwrap_or_else(|| LiveIndex::shown(txn, text)))),
            Layout::Hidden => None,
        }
    }

    /// Deletes `delete` units at `index` and inserts `insert` there, as one local change;
    /// out-of-range positions are clamped to the text. Returns the update to send to others.
    /// Items not shown (see the module docs) at the edges of the deleted range stay; the
    /// inserted text goes where the first deleted unit was or, if nothing is deleted, just
    /// after the visible character before `index`.
    pub fn splice(&self, section: TorSection, index: u32, delete: u32, insert: &str) -> Vec<u8> {
        let text = self.yrs().get_or_insert_text(section.root_name());
        let mut txn = self.yrs().transact_mut();
        let positions = match self.positions(section, &text, &txn) {
            Some(positions) => positions,
            None => Positions::Mapped(LiveIndex::new(&mut txn, &text)),
        };
        let len = positions.visible_len();
        let index = index.min(len);
        let delete = delete.min(len - index);
        let at = if delete > 0 {
            // From the first deleted character to the last.
            let from = positions.index_at(&txn, index, Stick::ToNext);
            text.remove_range(&mut txn, from, positions.removal_len(index, index + delete));
            from
        } else {
            positions.index_at(&txn, index, Stick::ToPrevious)
        };
        if !insert.is_empty() {
            text.insert(&mut txn, at, insert);
        }
        txn.encode_update_v1()
    }

    /// A position in a section that stays next to the same character whatever others insert
    /// or delete around it (a yrs `StickyIndex`, encoded): how carets, selections and
    /// comment anchors survive remote edits. `stick` says which neighbour it follows, which
    /// decides where text others insert exactly there goes: a caret follows what was typed
    /// just before it ([`Stick::ToPrevious`]), so two people typing at one place do not
    /// interleave their letters. Neighbours are visible characters, never an embed; at the
    /// very end a position follows the last character whatever `stick` says.
    pub fn sticky(&self, section: TorSection, index: u32, stick: Stick) -> Vec<u8> {
        let text = self.yrs().get_or_insert_text(section.root_name());
        let encode = |sticky: Option<StickyIndex>| sticky.map(|sticky| sticky.encode_v1()).unwrap_or_default();
        {
            let txn = self.yrs().transact();
            if let Some(positions) = self.positions(section, &text, &txn) {
                return encode(positions.sticky(&txn, &text, index, stick));
            }
        }
        let mut txn = self.yrs().transact_mut();
        let positions = Positions::Mapped(LiveIndex::new(&mut txn, &text));
        encode(positions.sticky(&txn, &text, index, stick))
    }

    /// Where a position made by [`TorDoc::sticky`] is now, in UTF-16 units of its section's
    /// text; `None` when it is malformed, points at something this replica does not have, or
    /// is not in a section's text at all (say, inside a shared type embedded in it).
    pub fn resolve_sticky(&self, sticky: &[u8]) -> Option<u32> {
        let sticky = StickyIndex::decode_v1(sticky).ok()?;
        let section = {
            let txn = self.yrs().transact();
            let offset = sticky.get_offset(&txn)?;
            let section = match offset.branch.id() {
                BranchID::Root(name) => TorSection::from_root_name(&name)?,
                BranchID::Nested(_) => return None,
            };
            if let Some(positions) = self.positions(section, &TextRef::from(offset.branch), &txn) {
                return Some(positions.offset_at_index(&txn, offset.index));
            }
            section
        };
        let text = self.yrs().get_or_insert_text(section.root_name());
        let mut txn = self.yrs().transact_mut();
        let branch = BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(&text));
        LiveIndex::new(&mut txn, &text).resolve(&txn, branch, &sticky)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_merge_and_offsets_count_utf16() {
        let a = TorDoc::new(1);
        let b = TorDoc::new(2);
        let u1 = a.splice(TorSection::Purpose, 0, 0, "Réduire la stigmatisation");
        b.apply_update(&u1).unwrap();
        let u2 = b.splice(TorSection::Purpose, 0, 7, "Combattre");
        let u3 = a.splice(TorSection::Scope, 0, 0, "MedNET €");
        a.apply_update(&u2).unwrap();
        b.apply_update(&u3).unwrap();
        for doc in [&a, &b] {
            assert_eq!(doc.text(TorSection::Purpose), "Combattre la stigmatisation");
            assert_eq!(doc.text(TorSection::Scope), "MedNET €");
            assert_eq!(doc.len(TorSection::Scope), 8);
        }
    }

    #[test]
    fn out_of_range_edits_are_clamped() {
        let a = TorDoc::new(1);
        a.splice(TorSection::Timespan, 99, 5, "2019–2022");
        a.splice(TorSection::Timespan, 4, 1000, "");
        assert_eq!(a.text(TorSection::Timespan), "2019");
    }

    #[test]
    fn state_vector_sync_sends_only_what_is_missing() {
        let a = TorDoc::new(1);
        let b = TorDoc::new(2);
        let first = a.splice(TorSection::Outputs, 0, 0, "Expert report");
        b.apply_update(&first).unwrap();
        a.splice(TorSection::Outputs, 13, 0, ", guidelines");
        let diff = a.diff_since(&b.encoded_state_vector()).unwrap();
        let everything = a.diff_since(&TorDoc::new(3).encoded_state_vector()).unwrap();
        assert!(diff.len() < everything.len());
        b.apply_update(&diff).unwrap();
        assert_eq!(b.text(TorSection::Outputs), "Expert report, guidelines");
    }

    #[test]
    fn garbage_is_an_error_and_leaves_the_document_intact() {
        let a = TorDoc::new(1);
        a.splice(TorSection::Scope, 0, 0, "kept");
        // Whatever each call answers, none may panic or damage the document.
        for garbage in [&b""[..], b"\xff\xff\xff\xff\xff", b"\x01\x02", &[0x80; 64]] {
            let _ = a.apply_update(garbage);
            let _ = a.diff_since(garbage);
        }
        assert!(a.apply_update(b"\xff\xff\xff\xff\xff").is_err());
        assert!(matches!(a.diff_since(b"\xff"), Err(crate::doc::DocError::Malformed { .. })));
        assert_eq!(a.text(TorSection::Scope), "kept");
    }

    #[test]
    fn sticky_positions_follow_their_character() {
        let a = TorDoc::new(1);
        let b = TorDoc::new(2);
        b.apply_update(&a.splice(TorSection::Scope, 0, 0, "precursors")).unwrap();
        let next = a.sticky(TorSection::Scope, 3, Stick::ToNext); // follows the "c"
        let previous = a.sticky(TorSection::Scope, 3, Stick::ToPrevious); // follows the "e"
        a.apply_update(&b.splice(TorSection::Scope, 0, 0, "drug ")).unwrap();
        assert_eq!(a.resolve_sticky(&next), Some(8));
        // Text inserted exactly there goes after a position that follows the previous
        // character, and before one that follows the next.
        a.apply_update(&b.splice(TorSection::Scope, 8, 0, "XY")).unwrap();
        assert_eq!(a.text(TorSection::Scope), "drug preXYcursors");
        assert_eq!(a.resolve_sticky(&previous), Some(8));
        assert_eq!(a.resolve_sticky(&next), Some(10));
        a.apply_update(&b.splice(TorSection::Scope, 0, 5, "")).unwrap();
        assert_eq!(a.resolve_sticky(&previous), Some(3));
        assert_eq!(a.resolve_sticky(b"\xff\x00"), None);
        let end = a.sticky(TorSection::Scope, 99, Stick::ToNext);
        assert_eq!(a.resolve_sticky(&end), Some(12), "clamped to the end");
        a.apply_update(&b.splice(TorSection::Scope, 12, 0, "!")).unwrap();
        assert_eq!(a.resolve_sticky(&end), Some(12), "stays after the character it followed");
        let start = a.sticky(TorSection::Scope, 0, Stick::ToPrevious);
        a.apply_update(&b.splice(TorSection::Scope, 0, 0, ">")).unwrap();
        assert_eq!(a.resolve_sticky(&start), Some(0), "the start stays the start");
        let empty = a.sticky(TorSection::Outputs, 0, Stick::ToNext);
        a.apply_update(&b.splice(TorSection::Outputs, 0, 0, "report")).unwrap();
        assert!(a.resolve_sticky(&empty).is_some());
    }

    #[test]
    fn encoded_state_rebuilds_the_document() {
        let a = TorDoc::new(1);
        a.splice(TorSection::Synergies, 0, 0, "EMCDDA, UNODC");
        let copy = TorDoc::new(2);
        copy.apply_update(&a.encode_state()).unwrap();
        assert_eq!(copy.text(TorSection::Synergies), "EMCDDA, UNODC");
    }
}
