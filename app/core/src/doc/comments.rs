//! Comments on a terms of reference: threads anchored on words of the ToR, with replies, a
//! resolved/open status and optionally a suggested replacement for the words. They live in a
//! yrs document of their own (`tor/<id>/comments`), so people may comment on a ToR they may
//! not edit, and they merge like any other document.
//!
//! Storage (part of the wire format, never rename): a root `Y.Map` `"threads"`, thread id →
//! `Y.Map` of
//! - `author_id`, `author_name`, `created` (ms, number), written once;
//! - `body` (string), `edited` (ms), `deleted` (true once deleted; the body is then emptied);
//! - `anchor`: one JSON-like map `{section, start (bytes), end (bytes), quote, prefix, suffix}`,
//!   replaced whole when the comment is re-attached;
//! - `status`: `{state: "open" | "resolved", by_id, by_name, at}`, replaced whole (last writer
//!   wins, so concurrent resolve/reopen converge);
//! - `suggestion` (string, optional) and its decision, `accepted` / `rejected`:
//!   `{by_id, by_name, at}`; if both were recorded concurrently, acceptance wins (the ToR was
//!   changed);
//! - `replies`: `Y.Array` of `Y.Map {id, author_id, author_name, created, body, edited,
//!   deleted}`, so concurrent replies both survive.
//!
//! Whatever is stored, reading never panics: a thread whose fields are damaged is listed with
//! what can be read (an unreadable anchor resolves to [`Resolved::Orphaned`]).

use super::anchor::IdRun;
use super::positions::LiveIndex;
use super::{Anchor, Resolved, SharedDoc, TorDoc, TorSection};
use std::collections::HashMap;
use std::sync::Arc;
use yrs::branch::BranchPtr;
use yrs::{Any, Array, ArrayPrelim, ArrayRef, In, Map, MapPrelim, MapRef, Out, ReadTxn, RootRef, TextRef, Transact, TransactionMut};

/// The longest comment, reply or suggestion, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

const THREADS: &str = "threads";

/// Who wrote or did something.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Author {
    /// Stable per person (a client-chosen random id until accounts exist).
    pub id: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Open,
    Resolved,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    Accepted,
    Rejected,
}

/// A comment about to be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewComment {
    pub author: Author,
    pub body: String,
    pub anchor: Anchor,
    /// Text proposed in place of the anchored words (empty: delete them).
    pub suggestion: Option<String>,
    pub now_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub id: String,
    pub author: Author,
    pub created_ms: u64,
    pub edited_ms: Option<u64>,
    /// `None`: deleted.
    pub body: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Suggestion {
    pub text: String,
    pub decision: Option<(Decision, Author, u64)>,
    /// The words an acceptance replaced, put back if it is undone (`None`: not recorded).
    pub replaced: Option<String>,
    /// Who last undid an acceptance, and when.
    pub undone: Option<(Author, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread {
    pub id: String,
    pub author: Author,
    pub created_ms: u64,
    pub edited_ms: Option<u64>,
    /// `None`: deleted (its replies stay).
    pub body: Option<String>,
    pub anchor: Anchor,
    pub status: Status,
    pub status_changed: Option<(Author, u64)>,
    pub suggestion: Option<Suggestion>,
    pub replies: Vec<Reply>,
}

/// Why a change to the comments was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error("the comment is empty")]
    Empty,
    #[error("the text is too long: {chars} characters, at most {MAX_COMMENT_CHARS}")]
    TooLong { chars: usize },
    #[error("cannot comment on that selection: {0}")]
    BadRange(String),
    #[error("there is no comment {0:?} (it may have been removed, or not arrived yet)")]
    NoSuchThread(String),
    #[error("there is no reply {0:?} in this comment")]
    NoSuchReply(String),
    #[error("only its author may edit or delete a comment")]
    NotYours,
    #[error("the words this comment is about have been deleted")]
    Orphaned,
    #[error("this suggestion has already been accepted or rejected")]
    AlreadyDecided,
    #[error("this suggestion has not been accepted")]
    NotAccepted,
    #[error("the acceptance cannot be undone: {0}")]
    CannotUndo(String),
    #[error("this comment suggests no change")]
    NoSuggestion,
    #[error("damaged comment data: {0}")]
    Malformed(String),
    /// Editing or deleting again a comment or reply already deleted.
    #[error("this comment has been deleted")]
    Deleted,
}

/// One replica of a ToR's comments; what every replica does (sync, storage) is on
/// [`SharedDoc`], which it dereferences to.
pub struct CommentsDoc {
    shared: SharedDoc,
}

impl std::ops::Deref for CommentsDoc {
    type Target = SharedDoc;
    fn deref(&self) -> &SharedDoc {
        &self.shared
    }
}

impl CommentsDoc {
    /// A replica whose edits carry `client_id` (see [`SharedDoc::new`]).
    pub fn new(client_id: u64) -> Self {
        Self { shared: SharedDoc::new(client_id) }
    }

    /// Every thread, oldest first (by creation time, then id). Entries that are not threads
    /// at all are skipped; threads with damaged fields are listed with what can be read.
    pub fn threads(&self) -> Vec<Thread> {
        let txn = self.yrs().transact();
        let Some(threads) = threads_map(&txn) else { return Vec::new() };
        let mut list: Vec<Thread> = threads
            .iter(&txn)
            .filter_map(|(id, value)| match value {
                Out::YMap(map) => Some(read_thread(&txn, id, &map)),
                _ => None,
            })
            .collect();
        list.sort_by(|a, b| a.created_ms.cmp(&b.created_ms).then_with(|| a.id.cmp(&b.id)));
        list
    }

    pub fn thread(&self, id: &str) -> Option<Thread> {
        let txn = self.yrs().transact();
        let map = thread_map(&txn, id)?;
        Some(read_thread(&txn, id, &map))
    }

    /// Starts a thread. Returns its id (unique: this replica's client id and clock) and the
    /// update to send to others.
    pub fn add(&self, new: NewComment) -> Result<(String, Vec<u8>), CommentError> {
        let body = clean_body(&new.body)?;
        check_author(&new.author)?;
        check_anchor(&new.anchor)?;
        let suggestion = match new.suggestion {
            Some(text) => Some(check_suggestion(text)?),
            None => None,
        };
        let mut txn = self.yrs().transact_mut();
        let threads = MapRef::root(THREADS).get_or_create(&mut txn);
        let id = unique_id(&txn, |id| threads.contains_key(&txn, id));
        let mut fields: Vec<(&str, In)> = vec![
            ("author_id", new.author.id.as_str().into()),
            ("author_name", new.author.name.as_str().into()),
            ("created", ms(new.now_ms).into()),
            ("body", body.into()),
            ("anchor", anchor_any(&new.anchor).into()),
            ("replies", In::Array(ArrayPrelim::default())),
        ];
        if let Some(text) = suggestion {
            fields.push(("suggestion", text.into()));
        }
        threads.insert(&mut txn, id.as_str(), MapPrelim::from_iter(fields));
        Ok((id, txn.encode_update_v1()))
    }

    /// Adds a reply to a thread (anyone may reply).
    pub fn reply(&self, thread: &str, author: &Author, body: &str, now_ms: u64) -> Result<Vec<u8>, CommentError> {
        let body = clean_body(body)?;
        check_author(author)?;
        let mut txn = self.yrs().transact_mut();
        let map = thread_map(&txn, thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
        let replies = match map.get(&txn, "replies") {
            Some(Out::YArray(replies)) => replies,
            None => map.insert(&mut txn, "replies", ArrayPrelim::default()),
            Some(_) => return Err(CommentError::Malformed(format!("the replies of {thread:?} are not a list"))),
        };
        let id = unique_id(&txn, |id| find_reply(&txn, &replies, id).is_some());
        replies.push_back(
            &mut txn,
            MapPrelim::from_iter([
                ("id", In::from(id.as_str())),
                ("author_id", author.id.as_str().into()),
                ("author_name", author.name.as_str().into()),
                ("created", ms(now_ms).into()),
                ("body", body.into()),
            ]),
        );
        Ok(txn.encode_update_v1())
    }

    /// Replaces the body of a thread (`reply: None`) or of one of its replies; only its author
    /// may.
    pub fn edit(&self, thread: &str, reply: Option<&str>, author: &Author, body: &str, now_ms: u64) -> Result<Vec<u8>, CommentError> {
        let body = clean_body(body)?;
        let mut txn = self.yrs().transact_mut();
        let target = own_entry(&txn, thread, reply, author)?;
        target.insert(&mut txn, "body", body);
        target.insert(&mut txn, "edited", ms(now_ms));
        Ok(txn.encode_update_v1())
    }

    /// Deletes a thread's body (its replies stay) or a reply, leaving a "deleted" entry; only
    /// its author may.
    pub fn delete(&self, thread: &str, reply: Option<&str>, author: &Author, now_ms: u64) -> Result<Vec<u8>, CommentError> {
        let mut txn = self.yrs().transact_mut();
        let target = own_entry(&txn, thread, reply, author)?;
        target.insert(&mut txn, "deleted", true);
        target.insert(&mut txn, "body", "");
        target.insert(&mut txn, "edited", ms(now_ms));
        Ok(txn.encode_update_v1())
    }

    /// Resolves or reopens a thread (anyone may).
    pub fn set_status(&self, thread: &str, status: Status, by: &Author, now_ms: u64) -> Result<Vec<u8>, CommentError> {
        check_author(by)?;
        let mut txn = self.yrs().transact_mut();
        let map = thread_map(&txn, thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
        write_status(&mut txn, &map, status, by, now_ms);
        Ok(txn.encode_update_v1())
    }

    /// Rejects a thread's suggestion, which resolves the thread.
    pub fn reject_suggestion(&self, thread: &str, by: &Author, now_ms: u64) -> Result<Vec<u8>, CommentError> {
        self.decide(thread, Decision::Rejected, by, now_ms, None, "")
    }

    /// Anchors a thread on other words (e.g. an orphaned one, on the words it now concerns).
    pub fn reattach(&self, thread: &str, anchor: Anchor, by: &Author, now_ms: u64) -> Result<Vec<u8>, CommentError> {
        check_author(by)?;
        check_anchor(&anchor)?;
        let mut txn = self.yrs().transact_mut();
        let map = thread_map(&txn, thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
        map.insert(&mut txn, "anchor", anchor_any_by(&anchor, Some((by, now_ms))));
        Ok(txn.encode_update_v1())
    }

    /// Records a decision on a thread's suggestion (and resolves the thread). An acceptance
    /// records the words it replaced and may move the anchor onto the text that replaced them.
    pub(super) fn decide(
        &self,
        thread: &str,
        decision: Decision,
        by: &Author,
        now_ms: u64,
        anchor: Option<&Anchor>,
        replaced: &str,
    ) -> Result<Vec<u8>, CommentError> {
        check_author(by)?;
        let mut txn = self.yrs().transact_mut();
        let map = thread_map(&txn, thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
        let current = read_suggestion(&txn, &map).ok_or(CommentError::NoSuggestion)?;
        if current.decision.is_some() {
            return Err(CommentError::AlreadyDecided);
        }
        match decision {
            Decision::Accepted => map.insert(&mut txn, "accepted", by_any(by, now_ms, [("replaced", Any::from(replaced))])),
            Decision::Rejected => map.insert(&mut txn, "rejected", by_any(by, now_ms, [])),
        };
        write_status(&mut txn, &map, Status::Resolved, by, now_ms);
        if let Some(anchor) = anchor {
            map.insert(&mut txn, "anchor", anchor_any_by(anchor, Some((by, now_ms))));
        }
        Ok(txn.encode_update_v1())
    }

    /// Records that an acceptance was undone: the suggestion is undecided again, the thread
    /// open, and the anchor on the words put back.
    pub(super) fn record_undone(&self, thread: &str, by: &Author, now_ms: u64, anchor: Option<&Anchor>) -> Result<Vec<u8>, CommentError> {
        check_author(by)?;
        let mut txn = self.yrs().transact_mut();
        let map = thread_map(&txn, thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
        let current = read_suggestion(&txn, &map).ok_or(CommentError::NoSuggestion)?;
        if !matches!(current.decision, Some((Decision::Accepted, ..))) {
            return Err(CommentError::NotAccepted);
        }
        map.remove(&mut txn, "accepted");
        map.insert(&mut txn, "undone", by_any(by, now_ms, []));
        write_status(&mut txn, &map, Status::Open, by, now_ms);
        if let Some(anchor) = anchor {
            map.insert(&mut txn, "anchor", anchor_any_by(anchor, Some((by, now_ms))));
        }
        Ok(txn.encode_update_v1())
    }

    /// Every thread's anchor, without reading the rest (for [`resolve_all`]).
    fn anchors(&self) -> Vec<(String, Anchor)> {
        let txn = self.yrs().transact();
        let Some(threads) = threads_map(&txn) else { return Vec::new() };
        threads
            .iter(&txn)
            .filter_map(|(id, value)| match value {
                Out::YMap(map) => Some((id.to_owned(), read_anchor(map.get(&txn, "anchor")))),
                _ => None,
            })
            .collect()
    }
}

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

// ---- checks ----

/// A body as stored: trimmed, line breaks kept (CRLF as LF), not empty, not too long.
fn clean_body(body: &str) -> Result<String, CommentError> {
    let body = body.replace("\r\n", "\n");
    let body = body.trim();
    if body.is_empty() {
        return Err(CommentError::Empty);
    }
    let chars = body.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(CommentError::TooLong { chars });
    }
    Ok(body.to_owned())
}

/// A suggested replacement is kept as typed (spaces matter in the ToR), and may be empty.
fn check_suggestion(text: String) -> Result<String, CommentError> {
    let chars = text.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(CommentError::TooLong { chars });
    }
    Ok(text)
}

/// An anchor made by [`Anchor::new`] has positions and words.
fn check_anchor(anchor: &Anchor) -> Result<(), CommentError> {
    if anchor.start.is_empty() || anchor.end.is_empty() || anchor.quote.is_empty() {
        return Err(CommentError::BadRange("the selection is empty: select the words to comment on".into()));
    }
    Ok(())
}

pub(super) fn check_author(author: &Author) -> Result<(), CommentError> {
    if author.id.trim().is_empty() {
        return Err(CommentError::Malformed("the author has no id".into()));
    }
    Ok(())
}

// ---- writing ----

/// A new id, unique per replica: `<client id>-<clock>`, the clock being how many changes this
/// replica has made (it only grows, and every addition is a change).
fn unique_id(txn: &TransactionMut, taken: impl Fn(&str) -> bool) -> String {
    let client = txn.doc().client_id();
    let clock = txn.state_vector().get(&client);
    let base = format!("{}-{}", client.get(), clock);
    let mut id = base.clone();
    let mut n = 1;
    while taken(&id) {
        id = format!("{base}.{n}");
        n += 1;
    }
    id
}

/// Milliseconds as a JS number (exact below 2^53, i.e. for the next 285,000 years).
fn ms(now_ms: u64) -> f64 {
    now_ms as f64
}

fn by_any<const N: usize>(by: &Author, now_ms: u64, extra: [(&str, Any); N]) -> Any {
    let mut map: HashMap<String, Any> = HashMap::from([
        ("by_id".to_owned(), Any::from(by.id.as_str())),
        ("by_name".to_owned(), Any::from(by.name.as_str())),
        ("at".to_owned(), Any::from(ms(now_ms))),
    ]);
    map.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Any::Map(Arc::new(map))
}

fn write_status(txn: &mut TransactionMut, map: &MapRef, status: Status, by: &Author, now_ms: u64) {
    let state = match status {
        Status::Open => "open",
        Status::Resolved => "resolved",
    };
    map.insert(txn, "status", by_any(by, now_ms, [("state", Any::from(state))]));
}

fn anchor_any(anchor: &Anchor) -> Any {
    anchor_any_by(anchor, None)
}

fn anchor_any_by(anchor: &Anchor, by: Option<(&Author, u64)>) -> Any {
    let mut map: HashMap<String, Any> = HashMap::from([
        ("section".to_owned(), Any::from(anchor.section.root_name())),
        ("start".to_owned(), Any::from(anchor.start.as_slice())),
        ("end".to_owned(), Any::from(anchor.end.as_slice())),
        ("quote".to_owned(), Any::from(anchor.quote.as_str())),
        ("prefix".to_owned(), Any::from(anchor.prefix.as_str())),
        ("suffix".to_owned(), Any::from(anchor.suffix.as_str())),
        ("words".to_owned(), Any::from(IdRun::encode_all(&anchor.words).as_slice())),
    ]);
    if let Some((by, at)) = by {
        map.insert("by_id".to_owned(), Any::from(by.id.as_str()));
        map.insert("by_name".to_owned(), Any::from(by.name.as_str()));
        map.insert("at".to_owned(), Any::from(ms(at)));
    }
    Any::Map(Arc::new(map))
}

/// The thread or reply `author` may change: it exists, is theirs and is not deleted.
fn own_entry<T: ReadTxn>(txn: &T, thread: &str, reply: Option<&str>, author: &Author) -> Result<MapRef, CommentError> {
    let map = thread_map(txn, thread).ok_or_else(|| CommentError::NoSuchThread(thread.into()))?;
    let target = match reply {
        None => map,
        Some(reply) => {
            let replies = match map.get(txn, "replies") {
                Some(Out::YArray(replies)) => replies,
                _ => return Err(CommentError::NoSuchReply(reply.into())),
            };
            find_reply(txn, &replies, reply).ok_or_else(|| CommentError::NoSuchReply(reply.into()))?
        }
    };
    match get_str(txn, &target, "author_id") {
        Some(id) if !author.id.is_empty() && id == author.id => {}
        _ => return Err(CommentError::NotYours),
    }
    if get_bool(txn, &target, "deleted") == Some(true) {
        return Err(CommentError::Deleted);
    }
    Ok(target)
}

// ---- reading ----

fn threads_map<T: ReadTxn>(txn: &T) -> Option<MapRef> {
    MapRef::root(THREADS).get(txn)
}

fn thread_map<T: ReadTxn>(txn: &T, id: &str) -> Option<MapRef> {
    match threads_map(txn)?.get(txn, id) {
        Some(Out::YMap(map)) => Some(map),
        _ => None,
    }
}

fn find_reply<T: ReadTxn>(txn: &T, replies: &ArrayRef, id: &str) -> Option<MapRef> {
    replies.iter(txn).find_map(|value| match value {
        Out::YMap(map) if get_str(txn, &map, "id").as_deref() == Some(id) => Some(map),
        _ => None,
    })
}

fn get_str<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<String> {
    match map.get(txn, key) {
        Some(Out::Any(Any::String(s))) => Some(s.to_string()),
        _ => None,
    }
}

fn get_bool<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<bool> {
    match map.get(txn, key) {
        Some(Out::Any(Any::Bool(b))) => Some(b),
        _ => None,
    }
}

fn get_ms<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<u64> {
    match map.get(txn, key) {
        Some(Out::Any(any)) => any_ms(&any),
        _ => None,
    }
}

fn any_ms(any: &Any) -> Option<u64> {
    match any {
        Any::Number(n) => {
            let f = n.as_f64()?;
            (0.0..=9_007_199_254_740_992.0).contains(&f).then_some(f as u64)
        }
        _ => None,
    }
}

fn any_str(map: &HashMap<String, Any>, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Any::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// A stored `{by_id, by_name, at, ...}` record: its fields, who, when.
type ByRecord = (Arc<HashMap<String, Any>>, Author, u64);

fn any_by(value: Option<Out>) -> Option<ByRecord> {
    let Some(Out::Any(Any::Map(map))) = value else { return None };
    let author = Author { id: any_str(&map, "by_id")?, name: any_str(&map, "by_name").unwrap_or_default() };
    let at = map.get("at").and_then(any_ms).unwrap_or(0);
    Some((map, author, at))
}

fn read_author<T: ReadTxn>(txn: &T, map: &MapRef) -> Author {
    Author { id: get_str(txn, map, "author_id").unwrap_or_default(), name: get_str(txn, map, "author_name").unwrap_or_default() }
}

/// A body, `None` when deleted (or unreadable).
fn read_body<T: ReadTxn>(txn: &T, map: &MapRef) -> Option<String> {
    if get_bool(txn, map, "deleted") == Some(true) {
        return None;
    }
    get_str(txn, map, "body")
}

/// An anchor as stored; an unreadable one has no positions, so it resolves to `Orphaned`.
fn read_anchor(value: Option<Out>) -> Anchor {
    let mut anchor = Anchor {
        section: TorSection::Purpose,
        start: Vec::new(),
        end: Vec::new(),
        quote: String::new(),
        prefix: String::new(),
        suffix: String::new(),
        words: Vec::new(),
    };
    let Some(Out::Any(Any::Map(map))) = value else { return anchor };
    anchor.quote = any_str(&map, "quote").unwrap_or_default();
    anchor.prefix = any_str(&map, "prefix").unwrap_or_default();
    anchor.suffix = any_str(&map, "suffix").unwrap_or_default();
    let section = any_str(&map, "section").and_then(|name| TorSection::from_root_name(&name));
    let bytes = |key: &str| match map.get(key) {
        Some(Any::Buffer(b)) => Some(b.to_vec()),
        _ => None,
    };
    if let (Some(section), Some(start), Some(end)) = (section, bytes("start"), bytes("end")) {
        anchor.section = section;
        anchor.start = start;
        anchor.end = end;
        // Unreadable ids are as good as none: the sticky positions remain.
        anchor.words = bytes("words").and_then(|b| IdRun::decode_all(&b)).unwrap_or_default();
    }
    anchor
}

fn read_suggestion<T: ReadTxn>(txn: &T, map: &MapRef) -> Option<Suggestion> {
    let text = get_str(txn, map, "suggestion")?;
    let accepted = any_by(map.get(txn, "accepted"));
    let replaced = accepted.as_ref().and_then(|(fields, ..)| any_str(fields, "replaced"));
    let accepted = accepted.map(|(_, by, at)| (Decision::Accepted, by, at));
    let decision = accepted.or_else(|| any_by(map.get(txn, "rejected")).map(|(_, by, at)| (Decision::Rejected, by, at)));
    let undone = any_by(map.get(txn, "undone")).map(|(_, by, at)| (by, at));
    Some(Suggestion { text, decision, replaced, undone })
}

fn read_reply<T: ReadTxn>(txn: &T, map: &MapRef) -> Option<Reply> {
    Some(Reply {
        id: get_str(txn, map, "id")?,
        author: read_author(txn, map),
        created_ms: get_ms(txn, map, "created").unwrap_or(0),
        edited_ms: get_ms(txn, map, "edited"),
        body: read_body(txn, map),
    })
}

fn read_thread<T: ReadTxn>(txn: &T, id: &str, map: &MapRef) -> Thread {
    let (status, status_changed) = match any_by(map.get(txn, "status")) {
        Some((fields, by, at)) => {
            let status = match any_str(&fields, "state").as_deref() {
                Some("resolved") => Status::Resolved,
                _ => Status::Open,
            };
            (status, Some((by, at)))
        }
        None => (Status::Open, None),
    };
    let replies = match map.get(txn, "replies") {
        Some(Out::YArray(replies)) => replies
            .iter(txn)
            .filter_map(|value| match value {
                Out::YMap(reply) => read_reply(txn, &reply),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Thread {
        id: id.to_owned(),
        author: read_author(txn, map),
        created_ms: get_ms(txn, map, "created").unwrap_or(0),
        edited_ms: get_ms(txn, map, "edited"),
        body: read_body(txn, map),
        anchor: read_anchor(map.get(txn, "anchor")),
        status,
        status_changed,
        suggestion: read_suggestion(txn, map),
        replies,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::doc::accept_suggestion;
    use crate::doc::Stick;
    use std::collections::HashSet;

    pub(in crate::doc) const PURPOSE: TorSection = TorSection::Purpose;

    pub(in crate::doc) fn person(id: &str) -> Author {
        Author { id: id.into(), name: format!("Person {id}") }
    }

    /// A ToR whose purpose is `text`, and an empty comments document.
    pub(in crate::doc) fn setup(text: &str) -> (TorDoc, CommentsDoc) {
        let tor = TorDoc::new(1);
        tor.splice(PURPOSE, 0, 0, text);
        (tor, CommentsDoc::new(2))
    }

    /// Comments on the first occurrence of `words`.
    pub(in crate::doc) fn comment_on(tor: &TorDoc, comments: &CommentsDoc, words: &str, suggestion: Option<&str>, now_ms: u64) -> String {
        let text = tor.text(PURPOSE);
        let start = text[..text.find(words).unwrap()].encode_utf16().count() as u32;
        let anchor = Anchor::new(tor, PURPOSE, start, start + words.encode_utf16().count() as u32).unwrap();
        let new = NewComment { author: person("ann"), body: "Is this right?".into(), anchor, suggestion: suggestion.map(str::to_owned), now_ms };
        comments.add(new).unwrap().0
    }

    pub(in crate::doc) fn words(tor: &TorDoc, resolved: Resolved) -> Option<String> {
        match resolved {
            Resolved::At { section, start, end } => {
                let units: Vec<u16> = tor.text(section).encode_utf16().collect();
                Some(String::from_utf16(&units[start as usize..end as usize]).unwrap())
            }
            Resolved::Orphaned => None,
        }
    }

    #[test]
    fn rejecting_closes_the_thread_and_is_recorded() {
        let (tor, comments) = setup("Train 300 prison staff");
        let id = comment_on(&tor, &comments, "300", Some("400"), 10);
        let update = comments.reject_suggestion(&id, &person("cat"), 15).unwrap();
        let peer = CommentsDoc::new(9);
        peer.apply_update(&comments.encode_state()).unwrap();
        peer.apply_update(&update).unwrap();
        for c in [&comments, &peer] {
            let thread = c.thread(&id).unwrap();
            assert_eq!(thread.status, Status::Resolved);
            assert_eq!(
                thread.suggestion,
                Some(Suggestion { text: "400".into(), decision: Some((Decision::Rejected, person("cat"), 15)), ..Suggestion::default() })
            );
        }
        assert_eq!(tor.text(PURPOSE), "Train 300 prison staff", "rejecting leaves the ToR alone");
        assert_eq!(accept_suggestion(&tor, &comments, &id, &person("cat"), 16), Err(CommentError::AlreadyDecided));
    }

    #[test]
    fn concurrent_resolve_reopen_and_replies_merge() {
        let (tor, a) = setup("Pompidou Group");
        let id = comment_on(&tor, &a, "Group", None, 10);
        let b = CommentsDoc::new(7);
        b.apply_update(&a.encode_state()).unwrap();
        // Offline, at the same time: A resolves and replies, B reopens... then resolves, replies twice.
        let ua = [a.set_status(&id, Status::Resolved, &person("ann"), 20).unwrap(), a.reply(&id, &person("ann"), "Done.", 21).unwrap()];
        let ub = [
            b.reply(&id, &person("bob"), "Not quite.", 22).unwrap(),
            b.set_status(&id, Status::Open, &person("bob"), 23).unwrap(),
            b.reply(&id, &person("bob"), "See the outputs.", 24).unwrap(),
        ];
        for u in &ub {
            a.apply_update(u).unwrap();
        }
        for u in ua.iter().rev() {
            b.apply_update(u).unwrap();
            b.apply_update(u).unwrap(); // duplicates are harmless
        }
        let (ta, tb) = (a.thread(&id).unwrap(), b.thread(&id).unwrap());
        assert_eq!(ta, tb);
        let mut bodies: Vec<_> = ta.replies.iter().map(|r| r.body.clone().unwrap()).collect();
        bodies.sort();
        assert_eq!(bodies, ["Done.", "Not quite.", "See the outputs."]);
        // The status and who set it come from the same writer.
        match ta.status {
            Status::Resolved => assert_eq!(ta.status_changed, Some((person("ann"), 20))),
            Status::Open => assert_eq!(ta.status_changed, Some((person("bob"), 23))),
        }
        let ids: HashSet<_> = ta.replies.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids.len(), 3, "reply ids are unique");
    }

    #[test]
    fn only_authors_edit_or_delete_and_deleted_comments_keep_their_replies() {
        let (tor, comments) = setup("Expert report");
        let id = comment_on(&tor, &comments, "report", None, 10);
        comments.reply(&id, &person("bob"), "Agreed", 11).unwrap();
        let reply = comments.thread(&id).unwrap().replies[0].id.clone();

        assert_eq!(comments.edit(&id, None, &person("bob"), "mine now", 12), Err(CommentError::NotYours));
        assert_eq!(comments.delete(&id, None, &person("bob"), 12), Err(CommentError::NotYours));
        assert_eq!(comments.edit(&id, Some(&reply), &person("ann"), "hers", 12), Err(CommentError::NotYours));
        assert_eq!(comments.delete(&id, Some(&reply), &person("ann"), 12), Err(CommentError::NotYours));
        assert!(matches!(comments.edit(&id, Some("nope"), &person("bob"), "x", 12), Err(CommentError::NoSuchReply(_))));
        assert!(matches!(comments.edit("nope", None, &person("ann"), "x", 12), Err(CommentError::NoSuchThread(_))));

        comments.edit(&id, None, &person("ann"), "  Is this the right word?\nSee p. 3  ", 13).unwrap();
        comments.edit(&id, Some(&reply), &person("bob"), "Agreed, mostly", 14).unwrap();
        let thread = comments.thread(&id).unwrap();
        assert_eq!(thread.body.as_deref(), Some("Is this the right word?\nSee p. 3"));
        assert_eq!((thread.created_ms, thread.edited_ms), (10, Some(13)));
        assert_eq!(thread.replies[0].body.as_deref(), Some("Agreed, mostly"));
        assert_eq!(thread.replies[0].edited_ms, Some(14));

        comments.delete(&id, None, &person("ann"), 15).unwrap();
        let thread = comments.thread(&id).unwrap();
        assert_eq!(thread.body, None);
        assert_eq!(thread.replies.len(), 1, "the replies stay");
        assert_eq!(thread.replies[0].body.as_deref(), Some("Agreed, mostly"));
        assert_eq!(comments.threads().len(), 1, "a deleted comment is still listed");
        assert_eq!(comments.edit(&id, None, &person("ann"), "back", 16), Err(CommentError::Deleted));
        // Replies to a deleted comment are still possible, and a reply can be deleted too.
        comments.reply(&id, &person("ann"), "Withdrawn", 17).unwrap();
        comments.delete(&id, Some(&reply), &person("bob"), 18).unwrap();
        let thread = comments.thread(&id).unwrap();
        assert_eq!(thread.replies.iter().map(|r| r.body.clone()).collect::<Vec<_>>(), [None, Some("Withdrawn".into())]);
    }

    #[test]
    fn empty_and_oversized_texts_are_refused() {
        let (tor, comments) = setup("Timespan 2019-2022");
        let id = comment_on(&tor, &comments, "2019", None, 1);
        let anchor = comments.thread(&id).unwrap().anchor;
        let new =
            |body: &str, suggestion: Option<String>| NewComment { author: person("ann"), body: body.into(), anchor: anchor.clone(), suggestion, now_ms: 2 };
        for empty in ["", "   ", "\n\t \r\n"] {
            assert_eq!(comments.add(new(empty, None)), Err(CommentError::Empty));
            assert_eq!(comments.reply(&id, &person("bob"), empty, 3), Err(CommentError::Empty));
            assert_eq!(comments.edit(&id, None, &person("ann"), empty, 3), Err(CommentError::Empty));
        }
        let longest = "é".repeat(MAX_COMMENT_CHARS); // counted in characters, not bytes
        assert!(comments.add(new(&format!("  {longest}\n"), None)).is_ok());
        let too_long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(comments.add(new(&too_long, None)), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
        assert_eq!(comments.reply(&id, &person("bob"), &too_long, 3), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
        assert_eq!(comments.edit(&id, None, &person("ann"), &too_long, 3), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
        assert_eq!(comments.add(new("ok", Some(too_long.clone()))), Err(CommentError::TooLong { chars: MAX_COMMENT_CHARS + 1 }));
        let hollow = Anchor { start: Vec::new(), ..anchor.clone() };
        assert!(matches!(comments.add(NewComment { anchor: hollow.clone(), ..new("ok", None) }), Err(CommentError::BadRange(_))));
        assert!(matches!(comments.reattach(&id, hollow, &person("ann"), 3), Err(CommentError::BadRange(_))));
        let nobody = Author { id: " ".into(), name: "Nobody".into() };
        assert!(matches!(comments.reply(&id, &nobody, "hi", 3), Err(CommentError::Malformed(_))));
        assert_eq!(comments.threads().len(), 2);
        assert_eq!(comments.thread(&id).unwrap().replies, []);
        // The messages are meant for people.
        assert_eq!(CommentError::TooLong { chars: 10_001 }.to_string(), "the text is too long: 10001 characters, at most 10000");
    }

    #[test]
    fn bad_ranges_are_refused() {
        let (tor, _) = setup("drug 💊 policy"); // the pill is two UTF-16 units, 5 and 6
        for (start, end) in [(3, 2), (4, 4), (0, 0), (10, 15), (0, 99), (99, 100)] {
            assert!(matches!(Anchor::new(&tor, PURPOSE, start, end), Err(CommentError::BadRange(_))), "{start}..{end}");
        }
        // Half a pill is not a character.
        assert!(matches!(Anchor::new(&tor, PURPOSE, 6, 8), Err(CommentError::BadRange(_))));
        assert!(matches!(Anchor::new(&tor, PURPOSE, 0, 6), Err(CommentError::BadRange(_))));
        assert!(matches!(Anchor::new(&tor, TorSection::Scope, 0, 1), Err(CommentError::BadRange(_))), "empty section");
        let pill = Anchor::new(&tor, PURPOSE, 5, 7).unwrap();
        assert_eq!((pill.quote.as_str(), pill.prefix.as_str(), pill.suffix.as_str()), ("💊", "drug ", " policy"));
        assert_eq!(pill.resolve(&tor), Resolved::At { section: PURPOSE, start: 5, end: 7 });
        let whole = Anchor::new(&tor, PURPOSE, 0, tor.len(PURPOSE)).unwrap();
        assert_eq!((whole.quote.as_str(), whole.prefix.as_str(), whole.suffix.as_str()), ("drug 💊 policy", "", ""));
    }

    #[test]
    fn context_is_at_most_32_characters_each_side() {
        let before = "a".repeat(40) + "€";
        let after = "€".to_owned() + &"b".repeat(40);
        let (tor, _) = setup(&format!("{before}WORD{after}"));
        let start = before.encode_utf16().count() as u32;
        let anchor = Anchor::new(&tor, PURPOSE, start, start + 4).unwrap();
        assert_eq!(anchor.quote, "WORD");
        assert_eq!(anchor.prefix, "a".repeat(31) + "€");
        assert_eq!(anchor.suffix, "€".to_owned() + &"b".repeat(31));
    }

    #[test]
    fn anchors_follow_edits_and_keep_typing_at_their_edges_outside() {
        let (tor, comments) = setup("harm reduction services");
        let id = comment_on(&tor, &comments, "reduction", None, 1);
        tor.splice(PURPOSE, 0, 0, "drug "); // before: "drug harm reduction services"
        tor.splice(PURPOSE, 10, 0, "-"); // just before the words: outside
        tor.splice(PURPOSE, 20, 0, "!"); // just after the words: outside
        tor.splice(PURPOSE, 14, 0, "…"); // inside: inside
        assert_eq!(tor.text(PURPOSE), "drug harm -red…uction! services");
        let place = comments.thread(&id).unwrap().anchor.resolve(&tor);
        assert_eq!(words(&tor, place).as_deref(), Some("red…uction"));
        tor.splice(PURPOSE, 11, 2, ""); // its first characters go
        let place = comments.thread(&id).unwrap().anchor.resolve(&tor);
        assert_eq!(words(&tor, place).as_deref(), Some("d…uction"));
        let text = tor.text(PURPOSE);
        let at = text.find("d…uction").unwrap() as u32;
        tor.splice(PURPOSE, at, "d…uction".encode_utf16().count() as u32, "");
        assert_eq!(comments.thread(&id).unwrap().anchor.resolve(&tor), Resolved::Orphaned);
        assert_eq!(resolve_all(&tor, &comments), vec![(id, Resolved::Orphaned)]);
    }

    #[test]
    fn reattaching_moves_a_comment() {
        let (tor, comments) = setup("one two three");
        let id = comment_on(&tor, &comments, "two", None, 1);
        tor.splice(PURPOSE, 4, 3, "");
        assert_eq!(resolve_all(&tor, &comments), vec![(id.clone(), Resolved::Orphaned)]);
        let anchor = Anchor::new(&tor, PURPOSE, 5, 10).unwrap();
        comments.reattach(&id, anchor.clone(), &person("bob"), 2).unwrap();
        assert_eq!(comments.thread(&id).unwrap().anchor, anchor);
        assert_eq!(resolve_all(&tor, &comments), vec![(id, Resolved::At { section: PURPOSE, start: 5, end: 10 })]);
        assert!(matches!(comments.reattach("nope", anchor, &person("bob"), 3), Err(CommentError::NoSuchThread(_))));
    }

    #[test]
    fn ids_are_unique_and_threads_oldest_first() {
        let (tor, a) = setup("a b c d");
        let b = CommentsDoc::new(3);
        let mut ids = vec![comment_on(&tor, &a, "c", None, 30), comment_on(&tor, &a, "a", None, 10)];
        ids.push(comment_on(&tor, &b, "b", None, 20));
        ids.push(comment_on(&tor, &b, "d", None, 10));
        a.apply_update(&b.encode_state()).unwrap();
        let threads = a.threads();
        let listed: Vec<_> = threads.iter().map(|t| (t.created_ms, t.anchor.quote.as_str())).collect();
        assert_eq!(listed, [(10, "a"), (10, "d"), (20, "b"), (30, "c")]);
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), 4);
        assert!(ids.iter().all(|id| threads.iter().any(|t| &t.id == id)));
    }

    /// yrs integrates text whose client has a gap in its clocks (an earlier update still on its
    /// way) when the text's neighbours are known; the state vector then stops at the gap. Such
    /// text must still be found, and counted before the words that follow it.
    #[test]
    fn words_after_a_gap_in_a_clients_updates_are_found() {
        let (tor, comments) = setup("base text");
        let other = TorDoc::new(5);
        other.apply_update(&tor.encode_state()).unwrap();
        let _still_on_its_way = tor.splice(PURPOSE, 9, 0, " more");
        let arrives_first = tor.splice(PURPOSE, 0, 0, "new ");
        other.apply_update(&arrives_first).unwrap();
        assert_eq!(other.text(PURPOSE), "new base text", "yrs integrates it despite the gap");
        let on_new = comment_on(&other, &comments, "new", None, 1);
        let on_text = comment_on(&other, &comments, "text", None, 2);
        for (id, start, end) in [(on_new, 0, 3), (on_text, 9, 13)] {
            let at = Resolved::At { section: PURPOSE, start, end };
            assert_eq!(comments.thread(&id).unwrap().anchor.resolve(&other), at);
            assert!(resolve_all(&other, &comments).contains(&(id, at)));
        }
    }

    #[test]
    fn garbage_anchors_resolve_to_orphaned() {
        let (tor, _) = setup("some text here");
        let other = TorDoc::new(5);
        other.apply_update(&tor.encode_state()).unwrap();
        other.splice(TorSection::Scope, 0, 0, "scope text");
        let with_ids = Anchor::new(&tor, PURPOSE, 2, 6).unwrap();
        assert!(!with_ids.words.is_empty());
        // The sticky positions alone (an anchor made by another client).
        let good = Anchor { words: Vec::new(), ..with_ids.clone() };
        let mut garbage: Vec<Vec<u8>> = vec![vec![], vec![0], vec![0xff; 9], vec![1, 2, 3], vec![0x80; 40], b"\x00\x05\x05".to_vec()];
        // Every prefix and byte flip of a real position.
        for i in 0..good.start.len() {
            garbage.push(good.start[..i].to_vec());
            for bit in 0..8 {
                let mut flipped = good.start.clone();
                flipped[i] ^= 1 << bit;
                garbage.push(flipped);
            }
        }
        // A position in another section.
        garbage.push(other.sticky(TorSection::Scope, 2, Stick::ToNext));
        tor.apply_update(&other.encode_state()).unwrap();
        for bytes in garbage {
            for anchor in [
                Anchor { start: bytes.clone(), ..good.clone() },
                Anchor { end: bytes.clone(), ..good.clone() },
                Anchor { start: bytes.clone(), end: bytes.clone(), ..good.clone() },
            ] {
                let _ = anchor.resolve(&tor); // must not panic
            }
            if bytes == other.sticky(TorSection::Scope, 2, Stick::ToNext) {
                assert_eq!(Anchor { start: bytes.clone(), ..good.clone() }.resolve(&tor), Resolved::Orphaned);
            }
        }
        for anchor in [&good, &with_ids] {
            let cross = Anchor { section: TorSection::Scope, ..anchor.clone() };
            assert_eq!(cross.resolve(&tor), Resolved::Orphaned, "positions in Purpose are not in Scope");
            assert_eq!(anchor.resolve(&TorDoc::new(8)), Resolved::Orphaned, "a replica without the text");
            assert_eq!(anchor.resolve(&tor), Resolved::At { section: PURPOSE, start: 2, end: 6 });
        }
        // Ids: unreadable bytes are none; ids of characters that do not exist, or extreme
        // clocks and lengths, place nothing.
        for bytes in [vec![1u8; 15], vec![0xff; 16], vec![7; 17]] {
            assert_eq!(IdRun::decode_all(&bytes), None, "{bytes:?}");
        }
        let extreme = [
            IdRun { client: yrs::ClientID::new(1), clock: u32::MAX, len: u32::MAX },
            IdRun { client: yrs::ClientID::new(999), clock: 0, len: 5 },
            IdRun { client: yrs::ClientID::new(1), clock: 10_000, len: 1 },
        ];
        let decoded = IdRun::decode_all(&IdRun::encode_all(&extreme)).unwrap();
        assert_eq!(decoded, extreme);
        assert_eq!(Anchor { words: decoded, ..with_ids.clone() }.resolve(&tor), Resolved::Orphaned);
    }

    #[test]
    fn a_malformed_comments_document_is_listed_without_panicking() {
        let (tor, comments) = setup("the words");
        let good = comment_on(&tor, &comments, "words", None, 5);
        {
            let mut txn = comments.yrs().transact_mut();
            let threads = MapRef::root(THREADS).get_or_create(&mut txn);
            threads.insert(&mut txn, "just-a-string", "hello");
            threads.insert(&mut txn, "a-number", 42.0);
            let wrong: MapRef = threads.insert(
                &mut txn,
                "wrong-types",
                MapPrelim::from_iter([
                    ("author_id", In::from(7.0)),
                    ("created", "yesterday".into()),
                    ("body", In::from(true)),
                    ("anchor", "here".into()),
                    ("status", "resolved".into()),
                    ("suggestion", In::from(3.0)),
                    ("replies", "none".into()),
                ]),
            );
            let _ = wrong;
            let anchor_map = |section: &str, start: Any| {
                Any::Map(Arc::new(HashMap::from([
                    ("section".to_owned(), Any::from(section)),
                    ("start".to_owned(), start),
                    ("end".to_owned(), Any::from(vec![0xffu8, 0xff])),
                    ("quote".to_owned(), Any::from("q")),
                ])))
            };
            threads.insert(
                &mut txn,
                "odd-anchor",
                MapPrelim::from_iter([
                    ("author_id", In::from("zed")),
                    ("created", In::from(-5.0)),
                    ("body", "still here".into()),
                    ("anchor", anchor_map("no-such-section", Any::from(vec![1u8])).into()),
                    ("status", Any::Map(Arc::new(HashMap::from([("state".to_owned(), Any::from(1.0))]))).into()),
                    ("accepted", Any::from("yes").into()),
                    ("replies", In::Array(ArrayPrelim::from(vec![In::from("not a map"), In::Map(MapPrelim::default())]))),
                ]),
            );
            threads.insert(&mut txn, "garbage-positions", MapPrelim::from_iter([("anchor", In::from(anchor_map("scope", Any::from("text"))))]));
            threads.insert(&mut txn, "empty", MapPrelim::default());
        }
        // Through an update, as it would arrive from a peer.
        let peer = CommentsDoc::new(8);
        peer.apply_update(&comments.encode_state()).unwrap();
        for c in [&comments, &peer] {
            let threads = c.threads();
            let ids: Vec<_> = threads.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(ids.len(), 5, "{ids:?}");
            for id in [&good, "wrong-types", "odd-anchor", "garbage-positions", "empty"] {
                assert!(ids.contains(&id), "{id} listed");
            }
            let odd = c.thread("odd-anchor").unwrap();
            assert_eq!((odd.body.as_deref(), odd.created_ms, odd.status, odd.replies.len()), (Some("still here"), 0, Status::Open, 0));
            let resolved: HashMap<_, _> = resolve_all(&tor, c).into_iter().collect();
            assert_eq!(resolved.len(), 5);
            assert_eq!(resolved[&good], Resolved::At { section: PURPOSE, start: 4, end: 9 });
            for id in ["wrong-types", "odd-anchor", "garbage-positions", "empty"] {
                assert_eq!(resolved[id], Resolved::Orphaned, "{id}");
            }
            // Changes to damaged threads are refused or done, never a panic.
            assert!(matches!(c.reply("wrong-types", &person("ann"), "hi", 9), Err(CommentError::Malformed(_))));
            assert_eq!(c.edit("wrong-types", None, &person("ann"), "hi", 9), Err(CommentError::NotYours));
            assert!(c.set_status("wrong-types", Status::Resolved, &person("ann"), 9).is_ok());
            assert_eq!(c.reject_suggestion("wrong-types", &person("ann"), 9), Err(CommentError::NoSuggestion));
            assert!(c.reply("empty", &person("ann"), "first reply", 9).is_ok());
            assert_eq!(c.thread("empty").unwrap().replies.len(), 1);
            assert!(matches!(c.reply("just-a-string", &person("ann"), "hi", 9), Err(CommentError::NoSuchThread(_))));
            assert!(matches!(accept_suggestion(&tor, c, "garbage-positions", &person("ann"), 9), Err(CommentError::NoSuggestion)));
        }
    }
}
