//! The gate every channel asks: may this session do this to this document, now? Principals
//! (a session's memberships) and document policies are read from the database and kept for
//! [`FRESH_FOR`], so a role or visibility changed anywhere (API or `server admin` in another
//! process) counts within about that time on connections already open, without a reconnect.
//! When a value goes stale one caller reads it again while the others use the old one a moment
//! longer: hundreds of connections on one document cost one query, not hundreds (`cache.rs`).
//! Refusals go into the audit log, rate-limited (`refusals.rs`).

mod cache;
mod refusals;

pub use cache::FRESH_FOR;

use crate::accounts::Accounts;
use cache::Cache;
use desk_core::access::{may_under, Action, DocPolicy, Principal, Rule};
use desk_core::doc::DocId;
use desk_core::model::Programme;
use refusals::Refusals;
use std::sync::Arc;

/// What a request or connection presents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    SignedOut,
    /// A session cookie's token.
    Session(String),
    /// A document token's account, until the token expires.
    Token {
        account: i64,
        expires_ms: i64,
    },
}

impl Credential {
    pub fn session(token: Option<String>) -> Self {
        token.map_or(Credential::SignedOut, Credential::Session)
    }
}

#[derive(Clone)]
pub struct Gate {
    inner: Arc<Inner>,
}

struct Inner {
    accounts: Accounts,
    programme: Arc<Programme>,
    rule: Rule,
    principals: Cache<String, Principal>,
    policies: Cache<DocId, DocPolicy>,
    refusals: Refusals,
}

impl Gate {
    pub fn new(accounts: Accounts, programme: Arc<Programme>, rule: Rule) -> Self {
        Self { inner: Arc::new(Inner { accounts, programme, rule, principals: Cache::default(), policies: Cache::default(), refusals: Refusals::default() }) }
    }

    pub fn accounts(&self) -> &Accounts {
        &self.inner.accounts
    }

    /// Who presents `credential` (signed out: nothing, a session that is no more, an
    /// expired token).
    pub async fn principal(&self, credential: &Credential) -> Principal {
        let key = match credential {
            Credential::SignedOut => return Principal::SignedOut,
            Credential::Token { expires_ms, .. } if *expires_ms <= crate::accounts::now_ms() => return Principal::SignedOut,
            Credential::Session(token) => format!("session:{token}"),
            Credential::Token { account, .. } => format!("account:{account}"),
        };
        if let Some(principal) = self.inner.principals.get(&key) {
            return principal;
        }
        let read = match credential {
            Credential::Session(token) => self.inner.accounts.signed(token).await.map(|s| s.map_or(Principal::SignedOut, |s| s.principal)),
            Credential::Token { account, .. } => self.inner.accounts.principal_of_account(*account).await,
            Credential::SignedOut => Ok(Principal::SignedOut),
        };
        let principal = read.unwrap_or_else(|e| {
            // Refusing is the safe side of a database error.
            tracing::error!("reading who is asking: {e}");
            Principal::SignedOut
        });
        self.inner.principals.keep(key, principal.clone());
        principal
    }

    pub async fn policy(&self, doc: &DocId) -> DocPolicy {
        let terms = doc.terms();
        if let Some(policy) = self.inner.policies.get(&terms) {
            return policy;
        }
        let policy = match self.inner.accounts.policy(&terms, &self.inner.programme).await {
            Ok(policy) => policy,
            Err(e) => {
                tracing::error!("reading the policy of {terms}: {e}");
                // The strictest policy: nobody but the Secretariat.
                DocPolicy { owner: desk_core::access::GroupId::new(desk_core::access::SECRETARIAT), visibility: desk_core::access::Visibility::Group }
            }
        };
        self.inner.policies.keep(terms, policy.clone());
        policy
    }

    /// Whether `credential` may do `action` on `doc` now.
    pub async fn may(&self, credential: &Credential, doc: &DocId, action: Action) -> bool {
        let principal = self.principal(credential).await;
        let policy = self.policy(doc).await;
        may_under(self.inner.rule, &principal, &policy, action)
    }

    /// Records in the audit log that `credential` was refused `action` on `doc` through
    /// `channel` (once a minute for the same refusal, a hundred a minute altogether: `refusals.rs`).
    pub async fn refused(&self, credential: &Credential, doc: &DocId, action: Action, channel: &str) {
        let principal = self.principal(credential).await;
        let (account, who) = match &principal {
            Principal::Account { id, .. } => (Some(*id), format!("account {id}")),
            Principal::SignedOut => (None, "signed out".to_owned()),
        };
        let key = format!("{who}|{doc}|{action:?}|{channel}");
        let admitted = self.inner.refusals.admit(key);
        let Some(dropped) = admitted else { return };
        let mut detail = format!("{} of {doc} through {channel}", format!("{action:?}").to_lowercase());
        if dropped > 0 {
            detail.push_str(&format!(" ({dropped} other refusals not recorded before this one)"));
        }
        self.inner.accounts.audit("access refused", account, &detail).await;
    }
}
