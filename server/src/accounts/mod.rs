//! Who is asking: accounts with argon2id passwords, group memberships with roles, sessions
//! behind an HttpOnly cookie, sign-in rate limits, each document's policy (the Secretariat's
//! override, else the default from `desk_core::access`), and the audit log: the rules, over an
//! [`AccountStore`]. The HTTP side (sign in, sign out, who am I, audit) is `crate::http::accounts`;
//! the CLI (`server admin …`) calls [`Accounts`] directly.

pub mod delegations;
pub mod invite;
pub mod limiter;
pub mod password;
pub mod session;
pub mod token;

pub use crate::store::accounts::{Account, AuditEntry};
use crate::store::accounts::{AccountRow, AccountStore, SessionRow};
use crate::store::StoreError;
use desk_core::access::{DocPolicy, GroupId, Principal, Role, SECRETARIAT, STANDING_GROUPS};
use desk_core::doc::DocId;
use desk_core::model::Programme;
use limiter::LoginLimiter;
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0:?} is not an email address")]
    BadEmail(String),
    #[error("a name is needed")]
    NoName,
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error("there is already an account for {0}")]
    Exists(String),
    #[error("there is no account for {0}")]
    NoSuchAccount(String),
    #[error("there is no group {0:?}")]
    NoSuchGroup(String),
    #[error("{0:?} is not a group id (lowercase letters, digits and dashes)")]
    BadGroupId(String),
    #[error("there is already a group {0:?}")]
    GroupExists(String),
    #[error("{0:?} is not a delegation's name (1 to 100 characters, no control or invisible formatting characters)")]
    BadDelegation(String),
    #[error("{0:?} is not on the list of delegations: the Secretariat's managers add it first (on the groups page, or `server admin delegation add`)")]
    UnknownDelegation(String),
    #[error("{1} account(s) or open invitation(s) name the delegation {0:?}: it stays on the list")]
    DelegationInUse(String, i64),
    #[error("{0}")]
    NotAllowed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a sign-in failed. The messages never tell whether the email has an account.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("Wrong email or password.")]
    Wrong,
    #[error("Too many sign-in attempts. Wait a minute and try again.")]
    TooMany,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no randomness for a session id: {0}")]
    Random(String),
}

/// A signed-in account: who, and its memberships as a [`Principal`].
#[derive(Clone, Debug)]
pub struct Signed {
    pub account: Account,
    pub principal: Principal,
}

/// Enough of an email address to be one: something, `@`, something; no spaces; not too long.
pub(crate) fn looks_like_email(email: &str) -> bool {
    email.len() <= 254 && email.contains('@') && !email.starts_with('@') && !email.ends_with('@') && !email.contains(char::is_whitespace)
}

/// A new account's checked details, its password hashed.
pub(crate) struct NewAccount {
    pub email: String,
    pub name: String,
    pub hash: String,
    pub delegation: Option<String>,
}

impl NewAccount {
    /// Trims the email (its case is kept but ignored when looking it up) and the name, and
    /// hashes the password once both are acceptable.
    pub fn checked(email: &str, name: &str, password: &str, delegation: Option<&str>) -> Result<Self, AccountError> {
        let email = email.trim();
        if !looks_like_email(email) {
            return Err(AccountError::BadEmail(email.to_owned()));
        }
        let name = name.trim();
        if name.is_empty() {
            return Err(AccountError::NoName);
        }
        let delegation = delegation.map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
        Ok(Self { email: email.to_owned(), name: name.chars().take(100).collect(), hash: password::hash(password)?, delegation })
    }

    /// The row the store keeps.
    pub fn row(&self) -> AccountRow<'_> {
        AccountRow { email: &self.email, name: &self.name, password_hash: &self.hash, delegation: self.delegation.as_deref() }
    }

    pub fn into_account(self, id: i64) -> Account {
        Account { id, email: self.email, name: self.name, delegation: self.delegation }
    }
}

#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn AccountStore>,
    limiter: Arc<LoginLimiter>,
    /// Server secrets read once per process: written once and never changed, they are asked
    /// for on every questionnaire view and submission and every `/yjs` token.
    secrets: Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>>,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

impl Accounts {
    /// The accounts kept in `store`; adds the standing groups it lacks.
    pub async fn new(store: Arc<dyn AccountStore>) -> Result<Self, AccountError> {
        store.ensure_groups(&STANDING_GROUPS).await?;
        Ok(Self { store, limiter: Arc::new(LoginLimiter::default()), secrets: Arc::default() })
    }

    /// Creates an account. The email is trimmed; its case is kept but ignored when looking
    /// it up.
    /// The delegation must be on the list ([`Accounts::listed_delegation`]).
    pub async fn create(&self, email: &str, name: &str, password: &str, delegation: Option<&str>) -> Result<Account, AccountError> {
        let delegation = self.listed_delegation(delegation).await?;
        let new = NewAccount::checked(email, name, password, delegation.as_deref())?;
        if self.store.account_by_email(&new.email).await?.is_some() {
            return Err(AccountError::Exists(new.email));
        }
        let id = self.store.insert_account(&new.row(), now_ms()).await?;
        self.audit("account created", Some(id), &new.email).await;
        Ok(new.into_account(id))
    }

    pub async fn count(&self) -> Result<i64, AccountError> {
        Ok(self.store.account_count().await?)
    }

    /// Gives `email` the role `role` in `group` (`None`: removes the membership).
    pub async fn set_role(&self, email: &str, group: &GroupId, role: Option<Role>, by: Option<i64>) -> Result<(), AccountError> {
        let (account, _) = self.store.account_by_email(email.trim()).await?.ok_or_else(|| AccountError::NoSuchAccount(email.to_owned()))?;
        if !self.store.group_exists(group).await? {
            return Err(AccountError::NoSuchGroup(group.to_string()));
        }
        self.store.set_membership(account.id, group, role).await?;
        let detail =
            format!("{} in {group}: {}{}", account.email, role.map_or("removed", Role::as_str), by.map_or(String::new(), |by| format!(" (by account {by})")));
        self.audit("role changed", Some(account.id), &detail).await;
        Ok(())
    }

    /// Every group: (id, name).
    pub async fn groups(&self) -> Result<Vec<(String, String)>, AccountError> {
        Ok(self.store.groups().await?)
    }

    /// Adds a group (an expert group the Secretariat sets up).
    pub async fn create_group(&self, id: &str, name: &str, by: Option<i64>) -> Result<(), AccountError> {
        let name = name.trim();
        if !desk_core::model::is_slug(id) {
            return Err(AccountError::BadGroupId(id.to_owned()));
        }
        if name.is_empty() {
            return Err(AccountError::NoName);
        }
        if !self.store.insert_group(id, name).await? {
            return Err(AccountError::GroupExists(id.to_owned()));
        }
        self.audit("group created", by, &format!("{id}: {name}")).await;
        Ok(())
    }

    /// Checks the password and opens a session: returns its token (for the cookie). Always a
    /// new token: a session id the client brought along is never reused.
    pub async fn sign_in(&self, email: &str, password: &str, from: IpAddr) -> Result<(String, Account), SignInError> {
        if !self.limiter.allow(email, from) {
            self.audit("sign-in refused (rate limit)", None, &format!("{email} from {from}")).await;
            return Err(SignInError::TooMany);
        }
        let found = self.store.account_by_email(email.trim()).await?;
        let hash = found.as_ref().map(|(_, hash)| hash.clone());
        let password = password.to_owned();
        // argon2 takes tens of milliseconds of CPU: off the async workers.
        let matches = tokio::task::spawn_blocking(move || password::verify(&password, hash.as_deref())).await.unwrap_or(false);
        let account = match (found, matches) {
            (Some((account, _)), true) => account,
            (found, _) => {
                let account = found.map(|(a, _)| a.id);
                self.audit("sign-in failed", account, &format!("{email} from {from}")).await;
                return Err(SignInError::Wrong);
            }
        };
        let token = session::new_token().map_err(|e| SignInError::Random(e.to_string()))?;
        let now = now_ms();
        self.store
            .insert_session(&SessionRow {
                token_hash: &session::token_hash(&token),
                account: account.id,
                created_ms: now,
                expires_ms: now + session::SESSION_MS,
            })
            .await?;
        self.audit("signed in", Some(account.id), &format!("from {from}")).await;
        Ok((token, account))
    }

    /// The account behind a session token, with its memberships now (so a role changed or
    /// removed counts from the next request on).
    pub async fn signed(&self, token: &str) -> Result<Option<Signed>, StoreError> {
        let Some(account) = self.store.session_account(&session::token_hash(token), now_ms()).await? else { return Ok(None) };
        let principal = self.principal_of(account.id).await?;
        Ok(Some(Signed { account, principal }))
    }

    /// An account's memberships as a principal.
    pub async fn principal_of(&self, account: i64) -> Result<Principal, StoreError> {
        let memberships = self.store.memberships(account).await?.into_iter().collect();
        Ok(Principal::Account { id: account, memberships })
    }

    /// Ends a session (server-side: the token opens nothing afterwards).
    pub async fn sign_out(&self, token: &str) -> Result<(), StoreError> {
        if let Some(account) = self.store.delete_session(&session::token_hash(token)).await? {
            self.audit("signed out", Some(account), "").await;
        }
        Ok(())
    }

    /// Ends every session of an account (a lost laptop, a person leaving); returns how many.
    pub async fn sign_out_everywhere(&self, email: &str) -> Result<u64, AccountError> {
        let (account, _) = self.store.account_by_email(email.trim()).await?.ok_or_else(|| AccountError::NoSuchAccount(email.to_owned()))?;
        let ended = self.store.delete_sessions_of(account.id).await?;
        self.audit("signed out everywhere", Some(account.id), &format!("{ended} sessions")).await;
        Ok(ended)
    }

    /// A token that opens `doc` as `email` for `ttl_ms` (see [`token`]).
    pub async fn issue_token(&self, email: &str, doc: &DocId, ttl_ms: i64) -> Result<String, AccountError> {
        let (account, _) = self.store.account_by_email(email.trim()).await?.ok_or_else(|| AccountError::NoSuchAccount(email.to_owned()))?;
        let claims = token::Claims { account: account.id, doc: doc.to_string(), expires_ms: now_ms() + ttl_ms };
        let issued = token::issue(&self.token_secret().await?, &claims);
        self.audit("token issued", Some(account.id), &format!("{doc} until {}", claims.expires_ms)).await;
        Ok(issued)
    }

    /// The account and expiry of a token valid now for `doc`, if it is one.
    pub async fn check_token(&self, presented: &str, doc: &DocId) -> Result<Option<(i64, i64)>, StoreError> {
        let secret = self.token_secret().await?;
        Ok(token::verify(&secret, presented, now_ms()).ok().filter(|claims| claims.doc == doc.to_string()).map(|c| (c.account, c.expires_ms)))
    }

    async fn token_secret(&self) -> Result<Vec<u8>, StoreError> {
        self.server_secret("document-token-key").await
    }

    /// The server's random secret called `name` (32 bytes, made at its first use and kept in
    /// the database, so it survives restarts). Read from the database once per process: the
    /// first one written is kept there for good (by every instance sharing the database), so
    /// the copy kept here never goes stale.
    pub async fn server_secret(&self, name: &str) -> Result<Vec<u8>, StoreError> {
        let known = |secrets: &std::collections::HashMap<String, Vec<u8>>| secrets.get(name).cloned();
        if let Some(secret) = known(&self.secrets.lock().unwrap_or_else(std::sync::PoisonError::into_inner)) {
            return Ok(secret);
        }
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| StoreError::Database(format!("no randomness for the secret {name}: {e}").into()))?;
        let secret = self.store.secret(name, &fresh).await?;
        self.secrets.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(name.to_owned(), secret.clone());
        Ok(secret)
    }

    /// The name others see for an account in presence: its name, and its delegation in
    /// brackets when it has one; `None` for an account that no longer exists.
    pub async fn display_name(&self, account: i64) -> Result<Option<String>, StoreError> {
        Ok(self.store.account_by_id(account).await?.map(|a| a.shown_as()))
    }

    /// An account's principal if the account still exists (else signed out).
    pub async fn principal_of_account(&self, account: i64) -> Result<Principal, StoreError> {
        match self.store.account_by_id(account).await? {
            Some(_) => self.principal_of(account).await,
            None => Ok(Principal::SignedOut),
        }
    }

    /// A document's policy: the Secretariat's choice if it made one, else the default.
    pub async fn policy(&self, doc: &DocId, programme: &Programme) -> Result<DocPolicy, StoreError> {
        let terms = doc.terms();
        Ok(self.store.doc_policy(&terms.to_string()).await?.unwrap_or_else(|| desk_core::access::default_policy(&terms, programme)))
    }

    /// Sets a ToR's owner and visibility (its comments follow). The caller checks that the
    /// principal may (`Action::Manage`).
    pub async fn set_policy(&self, doc: &DocId, policy: &DocPolicy, by: Option<i64>) -> Result<(), AccountError> {
        if !self.store.group_exists(&policy.owner).await? {
            return Err(AccountError::NoSuchGroup(policy.owner.to_string()));
        }
        let terms = doc.terms().to_string();
        self.store.set_doc_policy(&terms, policy).await?;
        self.audit("visibility changed", by, &format!("{terms}: {} / {}", policy.owner, policy.visibility.as_str())).await;
        Ok(())
    }

    /// Records an event. A failure to record is logged, never fatal to the request.
    pub async fn audit(&self, event: &str, account: Option<i64>, detail: &str) {
        if let Err(e) = self.store.insert_audit(now_ms(), event, account, detail).await {
            tracing::error!("audit log: {e} ({event}: {detail})");
        }
    }

    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.store.audit_entries(limit).await
    }

    /// Housekeeping: drops expired sessions and idle rate-limit keys.
    pub async fn tidy(&self) {
        self.limiter.forget_idle();
        if let Err(e) = self.store.delete_expired_sessions(now_ms()).await {
            tracing::warn!("dropping expired sessions: {e}");
        }
    }
}

/// Whether a principal belongs to the Secretariat (any role).
pub fn is_secretariat(principal: &Principal) -> bool {
    principal.role_for(&GroupId::new(SECRETARIAT)).is_some()
}
