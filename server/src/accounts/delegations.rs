//! The managed list of delegations (issue 15): the member States' delegations, kept by the
//! Secretariat's managers, so that an account's delegation (set by whoever invites it, or by
//! `server admin account --delegation`) is one of a list nobody can extend by typing, and
//! "23 of 41 delegations" counts a real list.
//!
//! Decision: the list starts empty on a new installation (the seed names no member States)
//! and the Secretariat fills it (`server admin delegation add NAME`, or the groups page);
//! upgrading an installation puts the delegations its accounts already name on it.

use super::{now_ms, AccountError, Accounts, Signed};
use crate::store::delegations::Removed;
use desk_core::access::{may_manage_group, GroupId, SECRETARIAT};

/// The most characters of a delegation's name ("The former Yugoslav Republic of Macedonia" is 42).
pub const MAX_DELEGATION_CHARS: usize = 100;

/// Whether `by` keeps the list: the Secretariat's managers (`None`: the server's own CLI).
pub fn may_keep_delegations(by: Option<&Signed>) -> bool {
    by.is_none_or(|by| may_manage_group(&by.principal, &GroupId::new(SECRETARIAT)))
}

/// `name` trimmed, if it can be a delegation's name: not empty, at most
/// [`MAX_DELEGATION_CHARS`] characters, no control characters or bidirectional overrides.
pub fn checked_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    let bad = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if name.is_empty() || name.chars().count() > MAX_DELEGATION_CHARS || name.chars().any(bad) {
        return Err(AccountError::BadDelegation(name.chars().take(MAX_DELEGATION_CHARS).collect()));
    }
    Ok(name.to_owned())
}

impl Accounts {
    /// Every delegation, by name.
    pub async fn delegations(&self) -> Result<Vec<String>, AccountError> {
        Ok(self.store.delegations().await?)
    }

    /// `name` as the list writes it (case aside), `None` for none or blank, or an error
    /// saying it is not listed.
    pub async fn listed_delegation(&self, name: Option<&str>) -> Result<Option<String>, AccountError> {
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else { return Ok(None) };
        match self.store.delegation(name).await? {
            Some(listed) => Ok(Some(listed)),
            None => Err(AccountError::UnknownDelegation(name.chars().take(MAX_DELEGATION_CHARS).collect())),
        }
    }

    /// Adds `name` to the list, as `by` (`None`: the CLI); the name as stored. Adding one
    /// listed already (under any case) changes nothing and is not an error.
    pub async fn add_delegation(&self, name: &str, by: Option<&Signed>) -> Result<String, AccountError> {
        if !may_keep_delegations(by) {
            return Err(AccountError::NotAllowed("Only the Secretariat's managers keep the list of delegations.".into()));
        }
        let name = checked_name(name)?;
        if self.store.add_delegation(&name, now_ms()).await? {
            self.audit("delegation added", by.map(|b| b.account.id), &name).await;
            return Ok(name);
        }
        Ok(self.store.delegation(&name).await?.unwrap_or(name))
    }

    /// Removes `name` from the list, as `by`, unless an account or an open invitation names it
    /// (an invitation accepted later would otherwise make an account of a delegation no
    /// longer listed).
    pub async fn remove_delegation(&self, name: &str, by: Option<&Signed>) -> Result<(), AccountError> {
        if !may_keep_delegations(by) {
            return Err(AccountError::NotAllowed("Only the Secretariat's managers keep the list of delegations.".into()));
        }
        match self.store.remove_delegation(name.trim(), now_ms()).await? {
            Removed::Done => {
                self.audit("delegation removed", by.map(|b| b.account.id), name.trim()).await;
                Ok(())
            }
            Removed::Unknown => Err(AccountError::UnknownDelegation(name.trim().to_owned())),
            Removed::InUse(n) => Err(AccountError::DelegationInUse(name.trim().to_owned(), n)),
        }
    }
}
