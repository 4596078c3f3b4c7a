//! The gate every channel asks: may this session do this to this document, now? Principals
//! (a session's memberships) and document policies are read from the database and kept for
//! [`FRESH_FOR`], so a role or visibility changed anywhere (API or `server admin` in another
//! process) counts within about that time on connections already open, without a reconnect.
//! When a value goes stale one caller reads it again while the others use the old one a moment
//! longer: hundreds of connections on one document cost one query, not hundreds.

use crate::accounts::Accounts;
use desk_core::access::{may_under, Action, DocPolicy, Principal, Rule};
use desk_core::doc::DocId;
use desk_core::model::Programme;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a principal or policy read from the database is used before reading it again.
pub const FRESH_FOR: Duration = Duration::from_secs(2);

/// Principals and policies kept at once before the oldest are forgotten.
const CACHE_LIMIT: usize = 10_000;

/// A refusal of the same thing to the same principal on the same channel is audited once in
/// this time (a client retrying, a connection rechecked every two seconds).
const AUDIT_REFUSAL_EVERY: Duration = Duration::from_secs(60);
/// At most this many refusals are audited per [`AUDIT_REFUSAL_EVERY`] altogether, so a
/// scanner trying many document ids cannot fill the log; the rest are counted in the next
/// entry.
const AUDIT_REFUSALS_AT_MOST: usize = 100;

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

    /// The session of a request's `Cookie` headers.
    pub fn from_cookies<'a>(cookie_headers: impl Iterator<Item = &'a str>) -> Self {
        Self::session(crate::cookies::token_from_cookies(cookie_headers))
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
    refusals: Mutex<Refusals>,
}

/// Which refusals were audited lately.
#[derive(Default)]
struct Refusals {
    audited: HashMap<String, Instant>,
    window_start: Option<Instant>,
    in_window: usize,
    dropped: usize,
}

impl Refusals {
    /// Whether to audit `key` now, and how many refusals went unrecorded before it.
    fn admit(&mut self, key: String) -> Option<usize> {
        let now = Instant::now();
        if self.audited.get(&key).is_some_and(|at| at.elapsed() < AUDIT_REFUSAL_EVERY) {
            return None;
        }
        if self.window_start.is_none_or(|start| start.elapsed() >= AUDIT_REFUSAL_EVERY) {
            self.window_start = Some(now);
            self.in_window = 0;
            self.audited.retain(|_, at| at.elapsed() < AUDIT_REFUSAL_EVERY);
        }
        if self.in_window >= AUDIT_REFUSALS_AT_MOST {
            self.dropped += 1;
            return None;
        }
        self.in_window += 1;
        self.audited.insert(key, now);
        Some(std::mem::take(&mut self.dropped))
    }
}

struct Entry<V> {
    value: V,
    read_at: Instant,
    /// Set while one caller reads it again; the others go on with the value meanwhile, so a
    /// value going stale sends one query to the database, not one per connection.
    refreshing_since: Option<Instant>,
}

type Cache<K, V> = Mutex<HashMap<K, Entry<V>>>;

/// The cached value to use, or `None`: the caller reads it (and [`keep`]s it).
fn cached<K: Eq + std::hash::Hash, V: Clone>(cache: &Cache<K, V>, key: &K) -> Option<V> {
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    let entry = cache.get_mut(key)?;
    if entry.read_at.elapsed() < FRESH_FOR || entry.refreshing_since.is_some_and(|since| since.elapsed() < FRESH_FOR) {
        return Some(entry.value.clone());
    }
    entry.refreshing_since = Some(Instant::now());
    None
}

fn keep<K: Eq + std::hash::Hash, V>(cache: &Cache<K, V>, key: K, value: V) {
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= CACHE_LIMIT {
        cache.retain(|_, entry| entry.read_at.elapsed() < FRESH_FOR);
    }
    cache.insert(key, Entry { value, read_at: Instant::now(), refreshing_since: None });
}

impl Gate {
    pub fn new(accounts: Accounts, programme: Arc<Programme>, rule: Rule) -> Self {
        Self { inner: Arc::new(Inner { accounts, programme, rule, principals: Mutex::default(), policies: Mutex::default(), refusals: Mutex::default() }) }
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
        if let Some(principal) = cached(&self.inner.principals, &key) {
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
        keep(&self.inner.principals, key, principal.clone());
        principal
    }

    pub async fn policy(&self, doc: &DocId) -> DocPolicy {
        let terms = doc.terms();
        if let Some(policy) = cached(&self.inner.policies, &terms) {
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
        keep(&self.inner.policies, terms, policy.clone());
        policy
    }

    /// Whether `credential` may do `action` on `doc` now.
    pub async fn may(&self, credential: &Credential, doc: &DocId, action: Action) -> bool {
        let principal = self.principal(credential).await;
        let policy = self.policy(doc).await;
        may_under(self.inner.rule, &principal, &policy, action)
    }

    /// Records in the audit log that `credential` was refused `action` on `doc` through
    /// `channel` (once a minute for the same refusal; see [`AUDIT_REFUSALS_AT_MOST`]).
    pub async fn refused(&self, credential: &Credential, doc: &DocId, action: Action, channel: &str) {
        let principal = self.principal(credential).await;
        let (account, who) = match &principal {
            Principal::Account { id, .. } => (Some(*id), format!("account {id}")),
            Principal::SignedOut => (None, "signed out".to_owned()),
        };
        let key = format!("{who}|{doc}|{action:?}|{channel}");
        let admitted = self.inner.refusals.lock().unwrap_or_else(|e| e.into_inner()).admit(key);
        let Some(dropped) = admitted else { return };
        let mut detail = format!("{} of {doc} through {channel}", format!("{action:?}").to_lowercase());
        if dropped > 0 {
            detail.push_str(&format!(" ({dropped} other refusals not recorded before this one)"));
        }
        self.inner.accounts.audit("access refused", account, &detail).await;
    }
}
