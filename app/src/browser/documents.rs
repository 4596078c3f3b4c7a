//! The tab's documents through the engine: opening one (local copy first), turning a field's
//! new value into an edit, other local changes, and writing texts back into the fields.

use super::connection::{when_ready, with_client};
use super::fields;
use super::store::BrowserStore;
use crate::doc::{DocId, TorSection};
use crate::sync::SyncEngine;
use leptos::prelude::Update;

/// Reads the engine (None before `start`).
pub fn with_engine<R>(f: impl FnOnce(&SyncEngine<BrowserStore>) -> R) -> Option<R> {
    with_client(|client| f(&client.engine))
}

/// Makes a local change through `f`, which changes a replica and returns the update it
/// made; the change is then stored, counted and sent like an edit.
pub fn change(doc: &DocId, f: impl FnOnce(&SyncEngine<BrowserStore>) -> Result<Vec<u8>, String>) -> Result<(), String> {
    with_client(|client| {
        let update = f(&client.engine)?;
        let outcome = client.engine.record_local_change(doc, update);
        let merged = merged_in(&outcome, doc);
        client.apply(outcome);
        if merged {
            fields::refresh_after_merge(&client.engine, doc);
        }
        client.live.texts.update(|n| *n += 1);
        Ok(())
    })
    .unwrap_or_else(|| Err("The page is still starting; try again in a moment.".to_owned()))
}

/// Whether a local change to `doc` also took in another tab's stored words (the engine merges
/// what another tab stored before saving): the fields must then show them.
fn merged_in(outcome: &crate::sync::Outcome, doc: &DocId) -> bool {
    outcome.events.iter().any(|event| matches!(event, crate::sync::SyncEvent::Changed(changed) if changed == doc))
}

/// The store merged another tab's copy of `doc` into this tab's: the engine takes it in and
/// the fields show it (not only at the next keystroke).
pub(super) fn take_stored(doc: &DocId) {
    let doc = doc.clone();
    // Not from inside the store's write (the engine reads the store): once it has returned.
    leptos::task::spawn_local(async move {
        with_client(|client| {
            let outcome = client.engine.take_stored(&doc);
            let merged = merged_in(&outcome, &doc);
            client.apply(outcome);
            if merged {
                fields::refresh_after_merge(&client.engine, &doc);
            }
        });
    });
}

/// Writes a document's current text into its fields.
pub fn refresh_fields(doc: &DocId) {
    with_client(|client| fields::refresh(&client.engine, doc, None, true));
}

/// Opens a document in this tab (from the local copy first, read from the store before),
/// pre-filling its outputs, and the comments on it.
pub fn open_doc(doc: &DocId, outputs_prefill: Option<String>) {
    open_then(doc, outputs_prefill, |_| {});
}

/// Opens a document for its page: as [`open_doc`], then shows me present in it (no caret
/// yet) to the others, unless the page has moved on meanwhile (opening waits for the store).
pub fn join_doc(doc: &DocId) {
    open_then(doc, None, |doc| {
        if fields::open_docs().contains(doc) {
            super::presence::set_caret(doc, None);
        }
    });
}

fn open_then(doc: &DocId, outputs_prefill: Option<String>, then: impl FnOnce(&DocId) + 'static) {
    let doc = doc.clone();
    leptos::task::spawn_local(async move {
        let store = BrowserStore::shared().await;
        store.fetch(&doc).await;
        store.fetch(&doc.comments()).await;
        when_ready(move |client| {
            let mut outcome = client.engine.open(&doc);
            let comments = client.engine.open(&doc.comments());
            outcome.send.extend(comments.send);
            // Offline with no local copy, a pre-fill would count as a change made here although
            // nothing was typed: it waits until the document is known.
            if let Some(text) = outputs_prefill.filter(|_| client.engine.is_known(&doc) || !client.offline()) {
                let prefill = client.engine.prefill(&doc, TorSection::Outputs, &text);
                outcome.send.extend(prefill.send);
                outcome.store_error = outcome.store_error.or(prefill.store_error);
            }
            client.apply(outcome);
            let offline = client.offline();
            fields::refresh(&client.engine, &doc, None, offline);
            // What reads the texts (the comments panel, carets) reads them again: offline
            // nothing else would tell it the local copies are open now.
            client.live.texts.update(|n| *n += 1);
            // Once the client is free again (`then` may use it).
            leptos::task::spawn_local(async move { then(&doc) });
        });
    });
}

/// The user changed a field: turn the difference into an edit.
pub fn edit_field(doc: &DocId, section: TorSection, value: &str) {
    with_client(|client| {
        let Some(current) = client.engine.doc(doc).map(|d| d.text(section)) else { return };
        let Some(splice) = crate::doc::splice_between(&current, value) else { return };
        let outcome = client.engine.edit(doc, section, splice.index, splice.delete, &splice.insert);
        let merged = merged_in(&outcome, doc);
        client.apply(outcome);
        if merged {
            fields::refresh_after_merge(&client.engine, doc);
        }
        // Carets drawn over the text move with it.
        client.live.texts.update(|n| *n += 1);
    });
}

/// The current text of a section in this tab's replica.
pub fn section_text(doc: &DocId, section: TorSection) -> String {
    with_client(|client| client.engine.doc(doc).map(|d| d.text(section))).flatten().unwrap_or_default()
}
