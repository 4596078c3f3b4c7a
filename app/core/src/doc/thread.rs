//! What comments are made of, as every reader sees them: authors, threads, replies,
//! suggestions and their decisions, and what can go wrong writing one. Types only: the
//! document that keeps them is `comments`, the words they hang on `anchor`.

use super::Anchor;

/// The longest comment, reply or suggestion, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;

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
