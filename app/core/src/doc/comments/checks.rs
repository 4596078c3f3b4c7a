//! What a comment, reply, suggestion, anchor and author must be before they are written.

use crate::doc::thread::{Author, CommentError, MAX_COMMENT_CHARS};
use crate::doc::Anchor;

/// A body as stored: trimmed, line breaks kept (CRLF as LF), not empty, not too long.
pub(super) fn clean_body(body: &str) -> Result<String, CommentError> {
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
pub(super) fn check_suggestion(text: String) -> Result<String, CommentError> {
    let chars = text.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(CommentError::TooLong { chars });
    }
    Ok(text)
}

/// An anchor made by [`Anchor::new`] has positions and words.
pub(super) fn check_anchor(anchor: &Anchor) -> Result<(), CommentError> {
    if anchor.start.is_empty() || anchor.end.is_empty() || anchor.quote.is_empty() {
        return Err(CommentError::BadRange("the selection is empty: select the words to comment on".into()));
    }
    Ok(())
}

pub(crate) fn check_author(author: &Author) -> Result<(), CommentError> {
    if author.id.trim().is_empty() {
        return Err(CommentError::Malformed("the author has no id".into()));
    }
    Ok(())
}
