//! The server's side of the pages, as one interface: server functions and server-side
//! rendering ask [`Backend`] (which the server implements over its database, document log and
//! gate) for the typed [`Session`] of the request being served, and every failure is a
//! [`BackendError`], whose internal variant is logged and never shown. Server-only (`ssr`):
//! the browser reaches it through the server functions.

mod error;

pub use error::{BackendError, INTERNAL_MESSAGE};

use crate::access::{Action, Role, Visibility};
use crate::doc::DocId;
use crate::model::Programme;
use crate::pages::groups::{AuditLine, InvitationMade, Managing};
use crate::programme_api::SignedInAs;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What the backend's answers return: a future the server can send across threads.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The session a request presents, as the server read it from the request (its session
/// cookie). Pages never look inside: they pass it back to the [`Backend`] with each question.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Session {
    token: Option<String>,
}

impl Session {
    /// No session: nobody is signed in.
    pub fn signed_out() -> Self {
        Self::default()
    }

    /// The session of a token the server found in the request.
    pub fn with_token(token: String) -> Self {
        Self { token: Some(token) }
    }

    /// The session's token, for the server to look up; `None` when signed out.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

/// Never prints the token: it is a credential.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.token.is_some() { "Session(token)" } else { "Session(signed out)" })
    }
}

/// Everything the pages ask of the server. Each question about a person takes their
/// [`Session`]; the access rule behind `may` is `desk_core::access::may_under`, applied by
/// the server's gate (roles and visibilities as they are in the database now).
pub trait Backend: Send + Sync + 'static {
    /// The programme (shared, not copied).
    fn programme(&self) -> Arc<Programme>;

    /// The session of a request, from its headers (the server knows its cookie).
    fn session(&self, request: &http::request::Parts) -> Session;

    /// The whole stored document as one update (yrs v1 encoding), or `None` if nothing was
    /// ever stored. Not access-checked: ask [`Backend::may`] first.
    fn stored(&self, doc: DocId) -> BoxFuture<Result<Option<Vec<u8>>, BackendError>>;

    /// Whether `session` may do `action` to `doc` now.
    fn may(&self, session: Session, doc: DocId, action: Action) -> BoxFuture<bool>;

    /// The visibility of `doc` (of its ToR, for a comments document) as the database has it
    /// now; the strictest, [`Visibility::Group`], when it cannot be read.
    fn visibility(&self, doc: DocId) -> BoxFuture<Visibility>;

    /// Who `session` is signed in as, if anyone (an ended or unknown session: nobody).
    fn signed_in(&self, session: Session) -> BoxFuture<Option<SignedInAs>>;

    /// The groups `session` may invite into (those it manages, all of them for the
    /// Secretariat's managers), the list of delegations and whether it keeps that list.
    /// [`BackendError::SignedOut`] without a session.
    fn managed_groups(&self, session: Session) -> BoxFuture<Result<Managing, BackendError>>;

    /// Invites `email` into `group` with `role`, of `delegation` (one on the list), as
    /// `session`; [`BackendError::Refused`] when it may not, the email is not one or the
    /// delegation is not listed.
    fn invite(&self, session: Session, email: String, group: String, role: Role, delegation: Option<String>)
        -> BoxFuture<Result<InvitationMade, BackendError>>;

    /// The newest audit entries, for the Secretariat's managers only.
    fn audit(&self, session: Session) -> BoxFuture<Result<Vec<AuditLine>, BackendError>>;
}

/// The server's [`Backend`], provided as context to server functions and rendering.
#[derive(Clone)]
pub struct BackendContext(pub Arc<dyn Backend>);

/// The backend and the session of the request being served: what a server function starts
/// from.
pub struct Current {
    pub backend: Arc<dyn Backend>,
    pub session: Session,
}

impl Current {
    /// The request being served. Without a backend in context (a server that forgot to
    /// provide it) an internal error; without a request, the signed-out session.
    pub fn get() -> Result<Self, BackendError> {
        let backend = use_context::<BackendContext>().ok_or_else(|| BackendError::internal("no backend in the rendering context"))?.0;
        let session = use_context::<http::request::Parts>().map(|parts| backend.session(&parts)).unwrap_or_default();
        Ok(Self { backend, session })
    }

    /// Whether this request's session may do `action` to `doc`.
    pub async fn may(&self, doc: &DocId, action: Action) -> bool {
        self.backend.may(self.session.clone(), doc.clone(), action).await
    }
}

/// Whether the request being served may do `action` to `doc`. Without a backend in context,
/// no.
pub async fn may(doc: &DocId, action: Action) -> bool {
    match Current::get() {
        Ok(current) => current.may(doc, action).await,
        Err(_) => false,
    }
}
