//! The accounts store: accounts, groups, memberships, sessions, document policies,
//! invitations, server secrets and the audit log, as records. The rules around them
//! (passwords, rate limits, who may invite whom) are `crate::accounts`'s; this is only what a
//! database keeps and finds.

use super::StoreError;
use async_trait::async_trait;
use desk_core::access::{DocPolicy, GroupId, Role};

/// An account as stored, without its password hash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub delegation: Option<String>,
}

impl Account {
    /// How others see this account in presence: the name, and the delegation in brackets
    /// unless the name already says it ("Pierre Editor (France)" stays as it is).
    pub fn shown_as(&self) -> String {
        match &self.delegation {
            Some(delegation) if !self.name.contains(&format!("({delegation})")) => format!("{} ({delegation})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// A new account's row: its checked email, name, delegation and argon2id password hash.
#[derive(Clone, Debug)]
pub struct AccountRow<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub delegation: Option<&'a str>,
}

/// A session's row: the SHA-256 of its token (never the token), whose it is and its times
/// (milliseconds since the Unix epoch).
#[derive(Clone, Copy, Debug)]
pub struct SessionRow<'a> {
    pub token_hash: &'a [u8],
    pub account: i64,
    pub created_ms: i64,
    pub expires_ms: i64,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub event: String,
    pub account_id: Option<i64>,
    pub detail: String,
}

/// An invitation's row: the SHA-256 of its secret, for whom (`None`: the setup link), into
/// which group with which role, made by whom, and its times.
#[derive(Clone, Debug)]
pub struct InvitationRow<'a> {
    pub token_hash: &'a [u8],
    pub email: Option<&'a str>,
    pub group: &'a GroupId,
    pub role: Role,
    pub created_by: Option<i64>,
    pub created_ms: i64,
    pub expires_ms: i64,
    /// The delegation (a listed name) the account it makes belongs to.
    pub delegation: Option<&'a str>,
}

/// An unused, unexpired invitation as found: its email (`None`: the setup link), group and
/// role (as stored: the caller parses it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenInvitation {
    pub email: Option<String>,
    pub group: GroupId,
    pub role: String,
    pub delegation: Option<String>,
}

/// What using an invitation did ([`AccountStore::accept_invitation`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted {
    /// The account made, with its membership and session: its id.
    Created(i64),
    /// Used already, expired, never made, or a setup link when an account exists.
    Invalid,
    /// An account with that email exists already.
    EmailTaken,
}

/// Accounts and everything attached to them. Emails compare without case.
#[async_trait]
pub trait AccountStore: super::delegations::DelegationStore + Send + Sync + 'static {
    /// Adds the groups `(id, name)` that are missing.
    async fn ensure_groups(&self, groups: &[(&str, &str)]) -> Result<(), StoreError>;
    /// The secret called `name`, stored as `fresh` the first time it is asked for (the first
    /// writer wins if two ask at once).
    async fn secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError>;

    async fn account_by_id(&self, id: i64) -> Result<Option<Account>, StoreError>;
    /// The account and its password hash.
    async fn account_by_email(&self, email: &str) -> Result<Option<(Account, String)>, StoreError>;
    async fn account_count(&self) -> Result<i64, StoreError>;
    /// Adds an account; its id. (The caller checked that the email is free.)
    async fn insert_account(&self, account: &AccountRow<'_>, now_ms: i64) -> Result<i64, StoreError>;

    async fn group_exists(&self, group: &GroupId) -> Result<bool, StoreError>;
    /// Every group: (id, name), by name.
    async fn groups(&self) -> Result<Vec<(String, String)>, StoreError>;
    /// Adds a group; `false` if the id is taken.
    async fn insert_group(&self, id: &str, name: &str) -> Result<bool, StoreError>;
    /// An account's memberships, by group id.
    async fn memberships(&self, account: i64) -> Result<Vec<(GroupId, Role)>, StoreError>;
    /// Sets an account's role in a group (`None`: removes the membership).
    async fn set_membership(&self, account: i64, group: &GroupId, role: Option<Role>) -> Result<(), StoreError>;

    async fn insert_session(&self, session: &SessionRow<'_>) -> Result<(), StoreError>;
    /// The account of a live (unexpired at `now_ms`) session.
    async fn session_account(&self, token_hash: &[u8], now_ms: i64) -> Result<Option<Account>, StoreError>;
    /// Deletes a session; its account, if it existed.
    async fn delete_session(&self, token_hash: &[u8]) -> Result<Option<i64>, StoreError>;
    /// Deletes every session of an account; how many.
    async fn delete_sessions_of(&self, account: i64) -> Result<u64, StoreError>;
    /// Deletes sessions expired at `now_ms`; how many.
    async fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError>;

    /// The Secretariat's choice of owner and visibility for a ToR (by its document id).
    async fn doc_policy(&self, doc_id: &str) -> Result<Option<DocPolicy>, StoreError>;
    async fn set_doc_policy(&self, doc_id: &str, policy: &DocPolicy) -> Result<(), StoreError>;

    async fn insert_audit(&self, at_ms: i64, event: &str, account: Option<i64>, detail: &str) -> Result<(), StoreError>;
    /// The newest `limit` entries, newest first.
    async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;

    async fn insert_invitation(&self, invitation: &InvitationRow<'_>) -> Result<(), StoreError>;
    /// Deletes setup links (invitations without an email) not used yet.
    async fn delete_unused_setup_links(&self) -> Result<(), StoreError>;
    /// The invitation with this secret's hash if it is unused and unexpired at `now_ms`.
    async fn open_invitation(&self, token_hash: &[u8], now_ms: i64) -> Result<Option<OpenInvitation>, StoreError>;
    /// Uses the invitation and makes the account with its membership and first session,
    /// all or nothing: exactly one of any number of simultaneous calls for one invitation
    /// gets `Created`. A setup link (`setup`) only works while there is no account at all.
    async fn accept_invitation(
        &self,
        token_hash: &[u8],
        now_ms: i64,
        setup: bool,
        account: &AccountRow<'_>,
        membership: (&GroupId, Role),
        session: (&[u8], i64),
    ) -> Result<Accepted, StoreError>;
}

#[cfg(test)]
mod shown_as_tests {
    use super::Account;

    fn account(name: &str, delegation: Option<&str>) -> Account {
        Account { id: 1, email: "a@example.org".into(), name: name.into(), delegation: delegation.map(str::to_owned) }
    }

    #[test]
    fn the_delegation_is_said_once() {
        assert_eq!(account("Pierre Editor", Some("France")).shown_as(), "Pierre Editor (France)");
        assert_eq!(account("Pierre Editor (France)", Some("France")).shown_as(), "Pierre Editor (France)");
        assert_eq!(account("Sofia", None).shown_as(), "Sofia");
    }
}
