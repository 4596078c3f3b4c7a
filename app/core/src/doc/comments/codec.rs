//! The comments' Y.Map codec: writing threads, statuses and anchors as yrs values, and reading
//! them back without ever panicking on damaged data (the storage format is in `comments`).

use crate::doc::thread::{Author, CommentError, Decision, Reply, Status, Suggestion, Thread};
use crate::doc::{Anchor, IdRun, TorSection};
use std::collections::HashMap;
use std::sync::Arc;
use yrs::{Any, Array, ArrayRef, Map, MapRef, Out, ReadTxn, RootRef, TransactionMut};

pub(super) const THREADS: &str = "threads";

// ---- writing ----

/// A new id, unique per replica: `<client id>-<clock>`, the clock being how many changes this
/// replica has made (it only grows, and every addition is a change).
pub(super) fn unique_id(txn: &TransactionMut, taken: impl Fn(&str) -> bool) -> String {
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
pub(super) fn ms(now_ms: u64) -> f64 {
    now_ms as f64
}

pub(super) fn by_any<const N: usize>(by: &Author, now_ms: u64, extra: [(&str, Any); N]) -> Any {
    let mut map: HashMap<String, Any> = HashMap::from([
        ("by_id".to_owned(), Any::from(by.id.as_str())),
        ("by_name".to_owned(), Any::from(by.name.as_str())),
        ("at".to_owned(), Any::from(ms(now_ms))),
    ]);
    map.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Any::Map(Arc::new(map))
}

pub(super) fn write_status(txn: &mut TransactionMut, map: &MapRef, status: Status, by: &Author, now_ms: u64) {
    let state = match status {
        Status::Open => "open",
        Status::Resolved => "resolved",
    };
    map.insert(txn, "status", by_any(by, now_ms, [("state", Any::from(state))]));
}

pub(super) fn anchor_any(anchor: &Anchor) -> Any {
    anchor_any_by(anchor, None)
}

pub(super) fn anchor_any_by(anchor: &Anchor, by: Option<(&Author, u64)>) -> Any {
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
pub(super) fn own_entry<T: ReadTxn>(txn: &T, thread: &str, reply: Option<&str>, author: &Author) -> Result<MapRef, CommentError> {
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

pub(super) fn threads_map<T: ReadTxn>(txn: &T) -> Option<MapRef> {
    MapRef::root(THREADS).get(txn)
}

pub(super) fn thread_map<T: ReadTxn>(txn: &T, id: &str) -> Option<MapRef> {
    match threads_map(txn)?.get(txn, id) {
        Some(Out::YMap(map)) => Some(map),
        _ => None,
    }
}

pub(super) fn find_reply<T: ReadTxn>(txn: &T, replies: &ArrayRef, id: &str) -> Option<MapRef> {
    replies.iter(txn).find_map(|value| match value {
        Out::YMap(map) if get_str(txn, &map, "id").as_deref() == Some(id) => Some(map),
        _ => None,
    })
}

pub(super) fn get_str<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<String> {
    match map.get(txn, key) {
        Some(Out::Any(Any::String(s))) => Some(s.to_string()),
        _ => None,
    }
}

pub(super) fn get_bool<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<bool> {
    match map.get(txn, key) {
        Some(Out::Any(Any::Bool(b))) => Some(b),
        _ => None,
    }
}

pub(super) fn get_ms<T: ReadTxn>(txn: &T, map: &MapRef, key: &str) -> Option<u64> {
    match map.get(txn, key) {
        Some(Out::Any(any)) => any_ms(&any),
        _ => None,
    }
}

pub(super) fn any_ms(any: &Any) -> Option<u64> {
    match any {
        Any::Number(n) => {
            let f = n.as_f64()?;
            (0.0..=9_007_199_254_740_992.0).contains(&f).then_some(f as u64)
        }
        _ => None,
    }
}

pub(super) fn any_str(map: &HashMap<String, Any>, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Any::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// A stored `{by_id, by_name, at, ...}` record: its fields, who, when.
pub(super) type ByRecord = (Arc<HashMap<String, Any>>, Author, u64);

pub(super) fn any_by(value: Option<Out>) -> Option<ByRecord> {
    let Some(Out::Any(Any::Map(map))) = value else { return None };
    let author = Author { id: any_str(&map, "by_id")?, name: any_str(&map, "by_name").unwrap_or_default() };
    let at = map.get("at").and_then(any_ms).unwrap_or(0);
    Some((map, author, at))
}

pub(super) fn read_author<T: ReadTxn>(txn: &T, map: &MapRef) -> Author {
    Author { id: get_str(txn, map, "author_id").unwrap_or_default(), name: get_str(txn, map, "author_name").unwrap_or_default() }
}

/// A body, `None` when deleted (or unreadable).
pub(super) fn read_body<T: ReadTxn>(txn: &T, map: &MapRef) -> Option<String> {
    if get_bool(txn, map, "deleted") == Some(true) {
        return None;
    }
    get_str(txn, map, "body")
}

/// An anchor as stored; an unreadable one has no positions, so it resolves to `Orphaned`.
pub(super) fn read_anchor(value: Option<Out>) -> Anchor {
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

pub(super) fn read_suggestion<T: ReadTxn>(txn: &T, map: &MapRef) -> Option<Suggestion> {
    let text = get_str(txn, map, "suggestion")?;
    let accepted = any_by(map.get(txn, "accepted"));
    let replaced = accepted.as_ref().and_then(|(fields, ..)| any_str(fields, "replaced"));
    let accepted = accepted.map(|(_, by, at)| (Decision::Accepted, by, at));
    let decision = accepted.or_else(|| any_by(map.get(txn, "rejected")).map(|(_, by, at)| (Decision::Rejected, by, at)));
    let undone = any_by(map.get(txn, "undone")).map(|(_, by, at)| (by, at));
    Some(Suggestion { text, decision, replaced, undone })
}

pub(super) fn read_reply<T: ReadTxn>(txn: &T, map: &MapRef) -> Option<Reply> {
    Some(Reply {
        id: get_str(txn, map, "id")?,
        author: read_author(txn, map),
        created_ms: get_ms(txn, map, "created").unwrap_or(0),
        edited_ms: get_ms(txn, map, "edited"),
        body: read_body(txn, map),
    })
}

pub(super) fn read_thread<T: ReadTxn>(txn: &T, id: &str, map: &MapRef) -> Thread {
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
