//! The pages' backend (`app::backend::Backend`): the programme, stored documents from the
//! sync hub's document log, access from the gate, and the groups page's questions answered by
//! the accounts with the same checks as the JSON routes in `manage.rs`. The session comes from
//! the request's session cookie (`cookies.rs`), read once per server function.

use super::AppState;
use crate::accounts::invite::InviteError;
use crate::accounts::{is_secretariat, AccountError, Accounts, Signed};
use crate::gate::{Credential, Gate};
use app::backend::{Backend, BackendError, BoxFuture, Session};
use app::groups::{AuditLine, GroupChoice, InvitationMade, Managing};
use app::programme_api::SignedInAs;
use desk_core::access::{may_manage_group, Action, GroupId, Role, Visibility};
use desk_core::doc::DocId;
use desk_core::model::Programme;
use std::sync::Arc;

/// Audit entries the groups page shows, newest first.
const AUDIT_LINES: i64 = 500;

/// The server's answers to its pages.
pub struct PagesBackend {
    programme: Arc<Programme>,
    log: crate::doc_log::DocLog,
    gate: Gate,
}

impl PagesBackend {
    pub fn new(state: &AppState) -> Self {
        Self { programme: state.programme.clone(), log: state.hub.log().clone(), gate: state.gate.clone() }
    }

    fn accounts(&self) -> Accounts {
        self.gate.accounts().clone()
    }
}

/// The gate's credential for a page's session.
fn credential(session: &Session) -> Credential {
    Credential::session(session.token().map(str::to_owned))
}

/// The signed-in account of a session, or [`BackendError::SignedOut`].
async fn signed(accounts: &Accounts, session: &Session) -> Result<Signed, BackendError> {
    let token = session.token().ok_or(BackendError::SignedOut)?;
    accounts.signed(token).await.map_err(BackendError::internal)?.ok_or(BackendError::SignedOut)
}

impl From<AccountError> for BackendError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Store(e) => BackendError::internal(e),
            AccountError::NoSuchAccount(_) | AccountError::NoSuchGroup(_) => BackendError::NotFound(e.to_string()),
            other => BackendError::Refused(other.to_string()),
        }
    }
}

impl From<InviteError> for BackendError {
    fn from(e: InviteError) -> Self {
        match e {
            InviteError::Account(e) => e.into(),
            refused => BackendError::Refused(refused.to_string()),
        }
    }
}

impl Backend for PagesBackend {
    fn programme(&self) -> Arc<Programme> {
        self.programme.clone()
    }

    fn session(&self, request: &axum::http::request::Parts) -> Session {
        crate::cookies::token_in(&request.headers).map_or_else(Session::signed_out, Session::with_token)
    }

    fn stored(&self, doc: DocId) -> BoxFuture<Result<Option<Vec<u8>>, BackendError>> {
        let log = self.log.clone();
        Box::pin(async move { log.load(&doc).await.map_err(|e| BackendError::internal(format!("loading {doc}: {e}"))) })
    }

    fn may(&self, session: Session, doc: DocId, action: Action) -> BoxFuture<bool> {
        let gate = self.gate.clone();
        Box::pin(async move { gate.may(&credential(&session), &doc, action).await })
    }

    fn visibility(&self, doc: DocId) -> BoxFuture<Visibility> {
        let gate = self.gate.clone();
        Box::pin(async move { gate.policy(&doc).await.visibility })
    }

    fn signed_in(&self, session: Session) -> BoxFuture<Option<SignedInAs>> {
        let accounts = self.accounts();
        Box::pin(async move {
            let account = signed(&accounts, &session).await.ok()?.account;
            let shown_as = account.shown_as();
            Some(SignedInAs { name: account.name, email: account.email, shown_as })
        })
    }

    fn managed_groups(&self, session: Session) -> BoxFuture<Result<Managing, BackendError>> {
        let accounts = self.accounts();
        Box::pin(async move {
            let by = signed(&accounts, &session).await?;
            let groups = accounts.groups().await?;
            let groups =
                groups.into_iter().filter(|(id, _)| may_manage_group(&by.principal, &GroupId::new(id))).map(|(id, name)| GroupChoice { id, name }).collect();
            let keeps_delegations = crate::accounts::delegations::may_keep_delegations(Some(&by));
            Ok(Managing { groups, delegations: accounts.delegations().await?, keeps_delegations })
        })
    }

    fn invite(
        &self,
        session: Session,
        email: String,
        group: String,
        role: Role,
        delegation: Option<String>,
    ) -> BoxFuture<Result<InvitationMade, BackendError>> {
        let accounts = self.accounts();
        Box::pin(async move {
            let by = signed(&accounts, &session).await?;
            let made = accounts.invite(&by, &email, &GroupId(group), role, delegation.as_deref()).await?;
            Ok(InvitationMade { link: format!("/invite/{}", made.secret), email: made.email.unwrap_or_default(), expires_ms: made.expires_ms })
        })
    }

    fn audit(&self, session: Session) -> BoxFuture<Result<Vec<AuditLine>, BackendError>> {
        let accounts = self.accounts();
        Box::pin(async move {
            let by = signed(&accounts, &session).await?;
            if !is_secretariat(&by.principal) {
                return Err(BackendError::Refused("The audit log is for the Secretariat.".to_owned()));
            }
            let entries = accounts.audit_entries(AUDIT_LINES).await.map_err(BackendError::internal)?;
            Ok(entries.into_iter().map(|e| AuditLine { at_ms: e.at_ms, event: e.event, account_id: e.account_id, detail: e.detail }).collect())
        })
    }
}
