//! Comments on a ToR, from the page to the core: each action runs on the tab's replica of the
//! ToR's comments document (`tor/<id>/comments`) and becomes a local change the engine
//! stores and sends like any edit. Who "I" am: signed in, the account (`account-<id>`, so
//! "mine" follows a person across devices); signed out, a random author id kept in
//! localStorage (`pd:author`). The name is the one people type.

use super::documents::with_engine;
use crate::doc::{
    accept_suggestion, placed_threads, undo_acceptance, Anchor, Author, CommentError, CommentsDoc, DocId, Resolved, Status, Thread, TorDoc, TorSection,
};
use gloo_storage::{LocalStorage, Storage};

const AUTHOR_KEY: &str = "pd:author";

/// Me, as an author.
pub fn me() -> Author {
    if let Some(account) = super::store::account_hint() {
        let name = super::presence::my_name().unwrap_or_else(|| super::fields::my_name(0));
        return Author { id: format!("account-{account}"), name };
    }
    let id = LocalStorage::get::<String>(AUTHOR_KEY).unwrap_or_else(|_| {
        let id = format!("a{:012x}", (js_sys::Math::random() * 2f64.powi(48)) as u64);
        let _ = LocalStorage::set(AUTHOR_KEY, &id);
        id
    });
    Author { id, name: super::fields::my_name(0) }
}

/// Every thread on a ToR, with its current place, in reading order (section, position),
/// orphans last.
pub fn threads(tor: &DocId) -> Vec<(Thread, Resolved)> {
    with_engine(|engine| {
        let (Some(text), Some(comments)) = (engine.doc(tor), engine.comments(&tor.comments())) else { return Vec::new() };
        placed_threads(text, comments)
    })
    .unwrap_or_default()
}

/// Runs a comments action on the tab's replicas and records the change it made.
fn change(tor: &DocId, action: impl FnOnce(&TorDoc, &CommentsDoc) -> Result<Vec<u8>, CommentError>) -> Result<(), String> {
    let comments_id = tor.comments();
    super::documents::change(&comments_id, |engine| {
        let (Some(text), Some(comments)) = (engine.doc(tor), engine.comments(&comments_id)) else {
            return Err("This document is not open in this tab.".to_owned());
        };
        action(text, comments).map_err(|e| e.to_string())
    })
}

pub fn add(tor: &DocId, section: TorSection, start: u32, end: u32, body: &str, suggestion: Option<String>) -> Result<(), String> {
    let author = me();
    change(tor, |text, comments| {
        let anchor = Anchor::new(text, section, start, end)?;
        let new = crate::doc::NewComment { author, body: body.to_owned(), anchor, suggestion, now_ms: super::now_ms() };
        comments.add(new).map(|(_, update)| update)
    })
}

pub fn reply(tor: &DocId, thread: &str, body: &str) -> Result<(), String> {
    let author = me();
    change(tor, |_, comments| comments.reply(thread, &author, body, super::now_ms()))
}

pub fn edit(tor: &DocId, thread: &str, reply: Option<&str>, body: &str) -> Result<(), String> {
    let author = me();
    change(tor, |_, comments| comments.edit(thread, reply, &author, body, super::now_ms()))
}

pub fn delete(tor: &DocId, thread: &str, reply: Option<&str>) -> Result<(), String> {
    let author = me();
    change(tor, |_, comments| comments.delete(thread, reply, &author, super::now_ms()))
}

pub fn set_status(tor: &DocId, thread: &str, status: Status) -> Result<(), String> {
    let author = me();
    change(tor, |_, comments| comments.set_status(thread, status, &author, super::now_ms()))
}

pub fn reject(tor: &DocId, thread: &str) -> Result<(), String> {
    let author = me();
    change(tor, |_, comments| comments.reject_suggestion(thread, &author, super::now_ms()))
}

pub fn reattach(tor: &DocId, thread: &str, section: TorSection, start: u32, end: u32) -> Result<(), String> {
    let author = me();
    change(tor, |text, comments| {
        let anchor = Anchor::new(text, section, start, end)?;
        comments.reattach(thread, anchor, &author, super::now_ms())
    })
}

/// Accepts a suggestion: the ToR text changes (one update) and the acceptance is recorded.
pub fn accept(tor: &DocId, thread: &str) -> Result<(), String> {
    change_text_and_comments(tor, thread, accept_suggestion)
}

/// Undoes an acceptance: the replaced words come back (one update) and the thread reopens.
pub fn undo_accept(tor: &DocId, thread: &str) -> Result<(), String> {
    change_text_and_comments(tor, thread, undo_acceptance)
}

type TextAndCommentsChange = fn(&TorDoc, &CommentsDoc, &str, &Author, u64) -> Result<(Vec<u8>, Vec<u8>), CommentError>;

/// Runs a change to both the ToR and its comments, and records both updates.
fn change_text_and_comments(tor: &DocId, thread: &str, action: TextAndCommentsChange) -> Result<(), String> {
    let author = me();
    let comments_id = tor.comments();
    let mut text_update = None;
    super::documents::change(&comments_id, |engine| {
        let (Some(text), Some(comments)) = (engine.doc(tor), engine.comments(&comments_id)) else {
            return Err("This document is not open in this tab.".to_owned());
        };
        let (tor_update, comments_update) = action(text, comments, thread, &author, super::now_ms()).map_err(|e| e.to_string())?;
        text_update = Some(tor_update);
        Ok(comments_update)
    })?;
    if let Some(update) = text_update {
        super::documents::change(tor, |_| Ok(update))?;
        super::documents::refresh_fields(tor);
    }
    Ok(())
}
