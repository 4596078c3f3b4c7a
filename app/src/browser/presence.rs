//! Presence: where my caret is for the others, who else is in a document and where their
//! carets are, and the name I show as.

use super::connection::with_client;
use super::fields::{self, PeerCaret};
use super::now_ms;
use crate::doc::{DocId, Stick, TorSection};
use crate::sync::{Cursor, PeerState, User};

/// I left a document's page: the others stop seeing me there.
pub fn leave(doc: &DocId) {
    with_client(|client| {
        let outcome = client.engine.set_presence(doc, None, now_ms());
        client.apply(outcome);
    });
}

/// Where my caret is (None: not in this document any more), for the others to see.
pub fn set_caret(doc: &DocId, caret: Option<(TorSection, u32, u32)>) {
    with_client(|client| {
        let Some(replica) = client.engine.doc(doc) else { return };
        let cursor = caret.map(|(section, anchor, head)| Cursor {
            section: section.root_name().into(),
            anchor: replica.sticky(section, anchor, Stick::ToPrevious),
            head: replica.sticky(section, head, Stick::ToPrevious),
        });
        let state = PeerState { user: client.me.clone(), cursor };
        let outcome = client.engine.set_presence(doc, Some(state), now_ms());
        client.apply(outcome);
    });
}

/// Peers' carets in a document: (section, position, name, colour), and everyone present.
pub fn presence_of(doc: &DocId) -> (Vec<PeerCaret>, Vec<User>, Option<User>) {
    with_client(|client| {
        let peers = client.engine.peers(doc);
        let carets = client.engine.doc(doc).map(|replica| fields::carets(replica, &peers)).unwrap_or_default();
        let people = peers.into_iter().map(|(_, state)| state.user).collect();
        (carets, people, Some(client.me.clone()))
    })
    .unwrap_or_default()
}

/// The name this tab shows as (the account's when signed in).
pub fn my_name() -> Option<String> {
    with_client(|client| client.me.name.clone())
}

/// Renames me (stored for next time) and tells the others.
pub fn rename(name: &str) {
    let name = name.trim().chars().take(60).collect::<String>();
    if name.is_empty() {
        return;
    }
    fields::remember_name(&name);
    with_client(|client| client.me.name = name);
}

/// Peers' carets in one section, for the overlay.
pub fn caret_positions(doc: &DocId, section: TorSection) -> Vec<PeerCaret> {
    presence_of(doc).0.into_iter().filter(|c| c.section == section).collect()
}
