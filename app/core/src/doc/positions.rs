//! Where a section's visible characters are in its `Y.Text`: the one mapping between offsets
//! in the visible string (UTF-16 units, what a textarea and [`super::TorDoc::text`] count) and
//! yrs indices, sticky positions and character ids.
//!
//! The visible string is the text's string content. A stock Yjs client may put other items
//! into the text (Quill's embeds, shared types, items of another type): each takes index space
//! in Yjs (one unit, or one per element) and nothing on screen. Formatting attributes take
//! neither. A section is in one of three states, from the simplest:
//! - [`Layout::Plain`]: nothing but strings. Visible offsets are yrs indices; nothing to walk.
//! - [`Layout::Shown`]: embeds and shared types too, which yrs's plain diff shows (one walk).
//! - [`Layout::Hidden`]: items the diff leaves out (values of a `Y.Array`, binary, a
//!   subdocument) or an embed that is a string, which it cannot tell from text: only ids tell
//!   (the attributed diff, and yrs's own walk for each index asked).
//!
//! A local edit only ever inserts strings and deletes strings, embeds and shared types, so it
//! never moves a section to a later state; an update from others can.

use super::{utf16, Stick};
use std::collections::HashMap;
use yrs::branch::BranchPtr;
use yrs::types::text::YChange;
use yrs::{
    Assoc, ClientID, GetString, IdSet, IndexScope, IndexedSequence, Out, ReadTxn, Snapshot, StateVector, StickyIndex, Text, TextRef, TransactionMut, ID,
};

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

/// What a section holds (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    Plain = 1,
    Shown = 2,
    Hidden = 3,
}

impl Layout {
    pub(crate) fn from_bits(bits: u64) -> Option<Layout> {
        match bits {
            1 => Some(Layout::Plain),
            2 => Some(Layout::Shown),
            3 => Some(Layout::Hidden),
            _ => None,
        }
    }

    /// What `text` holds now (two walks), and the mapping if the answer is [`Layout::Shown`].
    pub(crate) fn of<T: ReadTxn>(txn: &T, text: &TextRef) -> (Layout, Option<LiveIndex>) {
        let visible = utf16::len(&text.get_string(txn));
        if visible == text.len(txn) {
            return (Layout::Plain, None);
        }
        let shown = LiveIndex::shown(txn, text);
        // A string embed would pass for text: the lengths would disagree (or, for an empty one,
        // its index would be missing), as they do when the diff leaves items out.
        if shown.visible_len == visible && shown.indices_known {
            (Layout::Shown, Some(shown))
        } else {
            (Layout::Hidden, None)
        }
    }
}

/// The mapping between a section's visible offsets and yrs indices, made in a transaction
/// and good in it.
pub(crate) enum Positions {
    /// Nothing but strings, this long: offsets are indices.
    Plain(u32),
    Mapped(LiveIndex),
}

impl Positions {
    /// Length of the visible string (UTF-16 units).
    pub(crate) fn visible_len(&self) -> u32 {
        match self {
            Positions::Plain(len) => *len,
            Positions::Mapped(index) => index.visible_len,
        }
    }

    /// The yrs index of the place at visible `offset` (clamped to the text): just after the
    /// previous visible character ([`Stick::ToPrevious`]: before whatever invisible items
    /// follow it) or just before the next one ([`Stick::ToNext`]: after them).
    pub(crate) fn index_at<T: ReadTxn>(&self, txn: &T, offset: u32, side: Stick) -> u32 {
        match self {
            Positions::Plain(len) => offset.min(*len),
            Positions::Mapped(index) => index.index_at(txn, offset, side),
        }
    }

    /// The visible offset of yrs index `index`: how many visible units come before it.
    pub(crate) fn offset_at_index<T: ReadTxn>(&self, txn: &T, index: u32) -> u32 {
        match self {
            Positions::Plain(len) => index.min(*len),
            Positions::Mapped(live) => live.offset_at_index(txn, index),
        }
    }

    /// How many units yrs's `remove_range`, from `index_at(start, ToNext)`, must be given to
    /// delete the visible characters `[start, end)` (`start < end <= visible_len`) and the
    /// embeds and shared types among them. yrs counts only those, and steps over other items
    /// without deleting them (so they stay).
    pub(crate) fn removal_len(&self, start: u32, end: u32) -> u32 {
        match self {
            Positions::Plain(_) => end - start,
            Positions::Mapped(index) => index.removal_len(start, end),
        }
    }

    /// A sticky position at visible `offset` that follows the visible character on the
    /// `stick` side (at the very end: the last one; in an empty text: the start).
    pub(crate) fn sticky<T: ReadTxn>(&self, txn: &T, text: &TextRef, offset: u32, stick: Stick) -> Option<StickyIndex> {
        let (index, assoc) = match stick {
            Stick::ToNext if offset < self.visible_len() => (self.index_at(txn, offset, Stick::ToNext), Assoc::After),
            _ => (self.index_at(txn, offset, Stick::ToPrevious), Assoc::Before),
        };
        text.sticky_index(txn, index, assoc)
    }
}

/// Where each live (not deleted) character of a section is, by id, in the visible string and
/// in yrs's index space: resolving many positions with it takes one pass over the text instead
/// of one per position. Made without ids ([`LiveIndex::shown`]), it only converts offsets.
pub(crate) struct LiveIndex {
    /// The live string piece by piece, in order: with ids, each piece is one item, i.e. one
    /// client's consecutive clocks; without, a run of string (its `run` has no meaning but
    /// its length).
    pieces: Vec<Piece>,
    /// Per client, indices into `pieces` by clock (empty without ids).
    by_client: HashMap<ClientID, Vec<usize>>,
    /// Length of the visible string (UTF-16 units).
    visible_len: u32,
    /// Length of the text in yrs's index space.
    index_len: u32,
    /// How many units the diff shows (strings, embeds, shared types).
    shown_len: u32,
    /// Whether every item that takes index space showed in the diff, so that [`Piece::index`]
    /// is its yrs index. yrs's diff leaves out items of kinds a `Y.Text` never makes itself
    /// (values of a `Y.Array`, binary, a subdocument) though they take index space; when there
    /// are some, indices are asked of yrs.
    indices_known: bool,
}

#[derive(Clone, Copy)]
struct Piece {
    run: IdRun,
    /// Offset of the piece's first character in the visible string (UTF-16 units).
    offset: u32,
    /// Its index among the units the diff shows: its yrs index, if `indices_known`.
    index: u32,
}

/// A place in the text between two units (see [`LiveIndex::place`]).
#[derive(Clone, Copy)]
enum Place {
    Start,
    End,
    /// `after` units into `piece`.
    In {
        piece: Piece,
        after: u32,
    },
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
        // Against an empty snapshot every live string item is "added", and each comes as its
        // own piece carrying its id. Embeds and shared types come as pieces without an id;
        // formatting does not come at all.
        let diff = text.diff_range(txn, Some(&now), Some(&nothing), |change: YChange| change.id);
        let mut pieces = Vec::with_capacity(diff.len());
        let (mut offset, mut index) = (0u32, 0u32);
        for piece in diff {
            match (&piece.insert, piece.ychange) {
                (Out::Any(yrs::Any::String(s)), Some(id)) => {
                    // A string item's clocks count UTF-16 units.
                    let len = s.encode_utf16().count() as u32;
                    pieces.push(Piece { run: IdRun { client: id.client, clock: id.clock, len }, offset, index });
                    offset += len;
                    index += len;
                }
                // An embed or a shared type: one unit of index space, nothing visible.
                _ => index += 1,
            }
        }
        let index_len = text.len(txn);
        let mut by_client: HashMap<ClientID, Vec<usize>> = HashMap::new();
        for (i, piece) in pieces.iter().enumerate() {
            by_client.entry(piece.run.client).or_default().push(i);
        }
        for list in by_client.values_mut() {
            list.sort_unstable_by_key(|&i| pieces[i].run.clock);
        }
        Self { pieces, by_client, visible_len: offset, index_len, shown_len: index, indices_known: index == index_len }
    }

    /// Indexes `text` without ids, from yrs's plain diff (a read transaction will do): good
    /// for converting offsets when the section is [`Layout::Shown`] (see [`Layout::of`]).
    pub(crate) fn shown<T: ReadTxn>(txn: &T, text: &TextRef) -> Self {
        let mut pieces = Vec::new();
        let (mut offset, mut index) = (0u32, 0u32);
        for piece in text.diff(txn, YChange::identity) {
            match &piece.insert {
                Out::Any(yrs::Any::String(s)) => {
                    let len = s.encode_utf16().count() as u32;
                    pieces.push(Piece { run: IdRun { client: ClientID::new(0), clock: 0, len }, offset, index });
                    offset += len;
                    index += len;
                }
                _ => index += 1,
            }
        }
        let index_len = text.len(txn);
        Self { pieces, by_client: HashMap::new(), visible_len: offset, index_len, shown_len: index, indices_known: index == index_len }
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
                let Piece { run: p, offset, .. } = self.pieces[i];
                let from = offset + (run.clock.max(p.clock) - p.clock);
                let to = offset + (run_end.min(p.clock + p.len) - p.clock);
                span = Some(span.map_or((from, to), |(s, e)| (s.min(from), e.max(to))));
            }
        }
        span
    }

    /// The visible offset of a position following the live character `(client, clock)`.
    fn offset_of_char(&self, client: ClientID, clock: u32, assoc: Assoc) -> Option<u32> {
        let list = self.by_client.get(&client)?;
        let i = list.partition_point(|&i| self.pieces[i].run.clock <= clock).checked_sub(1)?;
        let Piece { run, offset, .. } = self.pieces[list[i]];
        if clock >= run.clock + run.len {
            return None;
        }
        let at = offset + (clock - run.clock);
        Some(if assoc == Assoc::After { at } else { at + 1 })
    }

    /// The piece holding visible unit `offset` (which must be below `visible_len`).
    fn piece_at(&self, offset: u32) -> Piece {
        self.pieces[self.pieces.partition_point(|p| p.offset + p.run.len <= offset)]
    }

    /// The yrs index of a piece's first character.
    fn index_of<T: ReadTxn>(&self, txn: &T, piece: &Piece) -> u32 {
        if self.indices_known {
            return piece.index;
        }
        // yrs counts every item before it: a walk along the text.
        StickyIndex::from_id(ID::new(piece.run.client, piece.run.clock), Assoc::After).get_offset(txn).map_or(piece.index, |offset| offset.index)
    }

    /// Where the place at visible `offset` (at most `visible_len`) is among the items the diff
    /// shows (strings, embeds, shared types), and the piece it is measured from: just after
    /// the previous visible character ([`Stick::ToPrevious`]: before whatever invisible items
    /// follow it) or just before the next one ([`Stick::ToNext`]: after them).
    fn place(&self, offset: u32, side: Stick) -> Place {
        match side {
            Stick::ToPrevious if offset == 0 => Place::Start,
            Stick::ToNext if offset == self.visible_len => Place::End,
            Stick::ToPrevious => {
                let piece = self.piece_at(offset - 1);
                Place::In { piece, after: offset - piece.offset }
            }
            Stick::ToNext => {
                let piece = self.piece_at(offset);
                Place::In { piece, after: offset - piece.offset }
            }
        }
    }

    /// See [`Positions::index_at`].
    fn index_at<T: ReadTxn>(&self, txn: &T, offset: u32, side: Stick) -> u32 {
        match self.place(offset.min(self.visible_len), side) {
            Place::Start => 0,
            Place::End => self.index_len,
            Place::In { piece, after } => self.index_of(txn, &piece) + after,
        }
    }

    /// See [`Positions::removal_len`]: the units the diff shows are those yrs deletes.
    fn removal_len(&self, start: u32, end: u32) -> u32 {
        let shown = |place: Place| match place {
            Place::Start => 0,
            Place::End => self.shown_len,
            Place::In { piece, after } => piece.index + after,
        };
        shown(self.place(end, Stick::ToPrevious)) - shown(self.place(start, Stick::ToNext))
    }

    /// See [`Positions::offset_at_index`].
    fn offset_at_index<T: ReadTxn>(&self, txn: &T, index: u32) -> u32 {
        // The pieces that start before `index` (their indices grow along the text).
        let (mut low, mut high) = (0, self.pieces.len());
        while low < high {
            let mid = (low + high) / 2;
            if self.index_of(txn, &self.pieces[mid]) < index {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        match low.checked_sub(1).map(|i| self.pieces[i]) {
            Some(p) => p.offset + p.run.len.min(index - self.index_of(txn, &p)),
            None => 0,
        }
    }

    /// Where a sticky position is now, as a visible offset in this text (`branch`); `None`
    /// when it points at something this replica does not have, or into another type.
    pub(crate) fn resolve<T: ReadTxn>(&self, txn: &T, branch: BranchPtr, sticky: &StickyIndex) -> Option<u32> {
        if let IndexScope::Relative(id) = sticky.scope() {
            if let Some(offset) = self.offset_of_char(id.client, id.clock, sticky.assoc) {
                return Some(offset);
            }
        }
        // A deleted character, an invisible item, or the text's start or end: yrs counts every
        // item before it (a walk along the text), in its own index space.
        let offset = sticky.get_offset(txn)?;
        // A position in another section (or another type altogether) is not in this text.
        (offset.branch == branch).then(|| self.offset_at_index(txn, offset.index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{Any, Array, ArrayRef, Doc, MapPrelim, OffsetKind, Options, Transact};

    /// What each kind of content makes of a section, and the offsets each layout's mapping
    /// gives around it.
    #[test]
    fn each_kind_of_content_has_its_layout() {
        type Write = fn(&TextRef, &mut TransactionMut);
        // (what, how it is written, its layout, how many units yrs deletes for "bc")
        let cases: [(&str, Write, Layout, u32); 6] = [
            ("strings", |_, _| {}, Layout::Plain, 2),
            ("formatting", |t, txn| t.format(txn, 1, 2, yrs::types::Attrs::from([("bold".into(), Any::Bool(true))])), Layout::Plain, 2),
            (
                "an embed",
                |t, txn| {
                    t.insert_embed(txn, 2, Any::from(1.5));
                },
                Layout::Shown,
                3,
            ),
            (
                "a shared map",
                |t, txn| {
                    t.insert_embed(txn, 2, MapPrelim::default());
                },
                Layout::Shown,
                3,
            ),
            (
                "an embed that is a string",
                |t, txn| {
                    t.insert_embed(txn, 2, Any::from("x"));
                },
                Layout::Hidden,
                3,
            ),
            // yrs's text API neither counts nor deletes these.
            (
                "array items",
                |t, txn| {
                    let branch = BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(t));
                    ArrayRef::from(branch).insert_range(txn, 2, [Any::Null]);
                },
                Layout::Hidden,
                2,
            ),
        ];
        for (what, write, layout, removal) in cases {
            let mut options = Options::with_client_id(ClientID::new(3));
            options.offset_kind = OffsetKind::Utf16;
            let doc = Doc::with_options(options);
            let text = doc.get_or_insert_text("t");
            let mut txn = doc.transact_mut();
            text.insert(&mut txn, 0, "abcd");
            write(&text, &mut txn);
            assert_eq!(Layout::of(&txn, &text).0, layout, "{what}");
            // "ab" and "cd", with one unit of whatever between them unless plain.
            let gap = u32::from(layout != Layout::Plain);
            let positions = match layout {
                Layout::Plain => Positions::Plain(text.len(&txn)),
                Layout::Shown => Positions::Mapped(LiveIndex::shown(&txn, &text)),
                Layout::Hidden => Positions::Mapped(LiveIndex::new(&mut txn, &text)),
            };
            assert_eq!(positions.visible_len(), 4, "{what}");
            assert_eq!(positions.index_at(&txn, 2, Stick::ToPrevious), 2, "{what}");
            assert_eq!(positions.index_at(&txn, 2, Stick::ToNext), 2 + gap, "{what}");
            assert_eq!(positions.index_at(&txn, 9, Stick::ToNext), 4 + gap, "{what}: clamped");
            assert_eq!(positions.offset_at_index(&txn, 3), 3 - gap, "{what}");
            assert_eq!(positions.removal_len(1, 3), removal, "{what}");
        }
    }
}
