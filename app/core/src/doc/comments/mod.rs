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

mod checks;
mod codec;
mod placement;
#[cfg(test)]
pub(super) mod tests;

pub(super) use checks::check_author;
pub use placement::{placed_threads, resolve_all};

use super::thread::{Author, CommentError, Decision, NewComment, Status, Thread};
use super::{Anchor, SharedDoc};
use checks::{check_anchor, check_suggestion, clean_body};
use codec::*;
use yrs::{Any, Array, ArrayPrelim, In, Map, MapPrelim, MapRef, Out, RootRef, Transact};

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
