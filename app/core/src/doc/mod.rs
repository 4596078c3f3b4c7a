//! Documents people edit together, as yrs (Rust Yjs) CRDTs: their fixed shape, local edits
//! that yield updates, and merging updates from others in any order. UI-free and I/O-free;
//! `crate::sync` moves the updates.

mod anchor;
mod comments;
mod export;
mod id;
mod limits;
mod links;
mod positions;
mod shared;
mod suggestion;
mod text_diff;
mod thread;
mod tor;
mod update;
pub mod utf16;

pub use anchor::{Anchor, Resolved, CONTEXT_CHARS};
pub use comments::{placed_threads, resolve_all, CommentsDoc};
pub use export::tor_markdown;
pub use id::{BadDocId, DocId, DocKind};
pub use limits::{MAX_SECTION_UNITS, SECTION_WARN_UNITS};
pub use links::{split_links, BodyPiece};
pub use positions::IdRun;
pub use shared::{Gap, SharedDoc, UpdateCheck};
pub use suggestion::{accept_suggestion, undo_acceptance};
pub use text_diff::{moved_position, splice_between, Splice};
pub use thread::{Author, CommentError, Decision, NewComment, Reply, Status, Suggestion, Thread, MAX_COMMENT_CHARS};
pub use tor::{Stick, TorDoc, TorSection, PREFILL_CLIENT_ID};
pub use update::{check_update, merge_updates, MAX_UPDATE_BYTES};

/// A document update or state vector that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    #[error("malformed {what}: {detail}")]
    Malformed { what: &'static str, detail: String },
    #[error("the update could not be applied: {0}")]
    Rejected(String),
}

#[cfg(test)]
mod comments_tests;
#[cfg(test)]
mod convergence_tests;
#[cfg(test)]
mod foreign_content_tests;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
