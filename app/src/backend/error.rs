//! The one error between the pages and the server: a sentence for the person, or an internal
//! failure whose detail is logged on the server and never sent.

use leptos::prelude::ServerFnError;

/// What a person reads of an internal error (the server's JSON API says the same).
pub const INTERNAL_MESSAGE: &str = "Something went wrong on the server (it is logged). Try again in a moment.";

/// Why the server could not answer a page. Its `Display` is what the person reads.
///
/// Deliberately not a `std::error::Error`: Leptos converts any such error into a
/// `ServerFnError` with its text, which would skip the logging in the conversion below.
#[derive(Debug)]
pub enum BackendError {
    /// No session, or it ended.
    SignedOut,
    /// Not allowed, or not valid: the sentence says why, in the person's words.
    Refused(String),
    /// No such thing, or none this session may see (the two are not told apart).
    NotFound(String),
    /// The database, a stored document or the server's set-up failed. The detail is logged
    /// when the error reaches a page; the page reads [`INTERNAL_MESSAGE`].
    Internal(String),
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SignedOut => f.write_str("Sign in first."),
            Self::Refused(sentence) | Self::NotFound(sentence) => f.write_str(sentence),
            Self::Internal(_) => f.write_str(INTERNAL_MESSAGE),
        }
    }
}

impl BackendError {
    /// An internal error with its detail (for the log).
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal(detail.to_string())
    }
}

/// How a server function answers: internal details go to the log, the sentence to the page.
impl From<BackendError> for ServerFnError {
    fn from(error: BackendError) -> Self {
        if let BackendError::Internal(detail) = &error {
            tracing::error!("server function: {detail}");
        }
        ServerFnError::ServerError(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_reaches_the_page_without_its_detail() {
        let shown: ServerFnError = BackendError::internal("database: disk I/O error at /srv/secret/path").into();
        let ServerFnError::ServerError(text) = shown else { panic!("not a server error: {shown:?}") };
        assert_eq!(text, INTERNAL_MESSAGE);
        assert!(!text.contains("secret"));
    }

    #[test]
    fn a_refusal_reaches_the_page_as_its_sentence() {
        let shown: ServerFnError = BackendError::Refused("The audit log is for the Secretariat.".into()).into();
        assert_eq!(shown, ServerFnError::ServerError("The audit log is for the Secretariat.".into()));
        let shown: ServerFnError = BackendError::SignedOut.into();
        assert_eq!(shown, ServerFnError::ServerError("Sign in first.".into()));
    }
}
