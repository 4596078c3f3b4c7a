//! Comments on a ToR, in the page: the panel beside the text on a desktop (a bottom sheet on a
//! phone) with filters, threads, replies, suggestions and orphans, and the state shared with
//! the fields (which words are highlighted, which thread is active). The comments themselves
//! live in the core (`crate::doc::comments`) and move through the sync engine; bodies are
//! always rendered as text.

// On the server the actions below compile to nothing (no button is ever pressed there).
#![cfg_attr(not(feature = "hydrate"), allow(unused_variables, dead_code))]

/// Runs a comments action in the browser (nothing on the server, where no button is pressed).
macro_rules! in_browser {
    ($call:expr) => {{
        #[cfg(feature = "hydrate")]
        let result: Result<(), String> = $call;
        #[cfg(not(feature = "hydrate"))]
        let result: Result<(), String> = Err("Comments need JavaScript.".to_owned());
        result
    }};
}

mod card;
mod counts;
mod panel;
mod state;

use crate::doc::{split_links, BodyPiece, Decision, DocId, Resolved, Status, Thread, TorSection};
use card::*;
pub use counts::{OpenCommentCounts, OpenComments, TorLink};
use leptos::prelude::*;
pub use panel::CommentsPanel;
pub use state::CommentsUi;
use state::*;
