//! The managed list of delegations (issue 15): the member States' delegations, kept by the
//! Secretariat's managers, so that an account's delegation (set by whoever invites it, or by
//! `server admin account --delegation`) is one of a list nobody can extend by typing, and
//! "23 of 41 delegations" counts a real list.
//!
//! Decision: the list starts empty on a new installation (the seed names no member States)
//! and the Secretariat fills it (`server admin delegation add NAME`, or the groups page);
//! upgrading an installation puts the delegations its accounts already name on it.
//!
//! Names are written in NFC with single spaces ([`checked_name`]) and compare by
//! [`delegation_key`] (the search's fold: case, accents, compatibility forms and spacing
//! aside), so "Türkiye" typed, pasted decomposed, in capitals or with a no-break space is one
//! delegation, never two that "23 of 41 delegations" would count twice. Adding is checked and
//! written under one lock, so two managers adding lookalikes at once still make one.

use super::{now_ms, AccountError, Accounts, Signed};
use crate::store::delegations::Removed;
use desk_core::access::{may_manage_group, GroupId, SECRETARIAT};
use desk_core::model::fold::fold;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The most characters of a delegation's name ("The former Yugoslav Republic of Macedonia" is 42).
pub const MAX_DELEGATION_CHARS: usize = 100;

/// Whether `by` keeps the list: the Secretariat's managers (`None`: the server's own CLI).
pub fn may_keep_delegations(by: Option<&Signed>) -> bool {
    by.is_none_or(|by| may_manage_group(&by.principal, &GroupId::new(SECRETARIAT)))
}

/// `name` as the list writes it, if it can be a delegation's name: in NFC, every run of white
/// space (a no-break space too) one space, trimmed; then not empty, at most
/// [`MAX_DELEGATION_CHARS`] characters, no control characters and no format characters
/// (General Category Cf: bidirectional overrides, zero-width spaces and joiners, soft
/// hyphens), which would make a name look like another.
pub fn checked_name(name: &str) -> Result<String, AccountError> {
    let name: String = name.split_whitespace().collect::<Vec<_>>().join(" ").nfc().collect();
    let bad = |c: char| c.is_control() || c.general_category() == GeneralCategory::Format;
    if name.is_empty() || name.chars().count() > MAX_DELEGATION_CHARS || name.chars().any(bad) {
        return Err(AccountError::BadDelegation(name.chars().filter(|c| !bad(*c)).take(MAX_DELEGATION_CHARS).collect()));
    }
    Ok(name)
}

/// What two delegations' names compare by: [`fold`] of the name with its white space made
/// single spaces. Equal keys are one delegation.
pub fn delegation_key(name: &str) -> String {
    fold(&name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Serialises additions to the list within this server (check, then insert).
static ADDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Accounts {
    /// Every delegation, in the order people read a list of names: by [`delegation_key`]
    /// (case and accents aside: "İceland" before "Malta", "Österreich" beside "Osterreich"),
    /// then as written.
    pub async fn delegations(&self) -> Result<Vec<String>, AccountError> {
        let mut names = self.store.delegations().await?;
        names.sort_by_cached_key(|name| (delegation_key(name), name.clone()));
        Ok(names)
    }

    /// `name` as the list writes it (compared by [`delegation_key`]), `None` for none or
    /// blank, or an error saying it is not listed.
    pub async fn listed_delegation(&self, name: Option<&str>) -> Result<Option<String>, AccountError> {
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else { return Ok(None) };
        if let Some(listed) = self.store.delegation(name).await? {
            return Ok(Some(listed));
        }
        match self.lookalike(name).await? {
            Some(listed) => Ok(Some(listed)),
            None => Err(AccountError::UnknownDelegation(name.chars().take(MAX_DELEGATION_CHARS).collect())),
        }
    }

    /// The listed delegation whose [`delegation_key`] is `name`'s, if any.
    async fn lookalike(&self, name: &str) -> Result<Option<String>, AccountError> {
        let key = delegation_key(name);
        Ok(self.store.delegations().await?.into_iter().find(|listed| delegation_key(listed) == key))
    }

    /// Adds `name` to the list, as `by` (`None`: the CLI); the name as stored. Adding one
    /// listed already (by [`delegation_key`]: under any case, accents or spacing) changes
    /// nothing and is not an error: the listed name is returned.
    pub async fn add_delegation(&self, name: &str, by: Option<&Signed>) -> Result<String, AccountError> {
        if !may_keep_delegations(by) {
            return Err(AccountError::NotAllowed("Only the Secretariat's managers keep the list of delegations.".into()));
        }
        let name = checked_name(name)?;
        let _adding = ADDING.lock().await;
        if let Some(listed) = self.lookalike(&name).await? {
            return Ok(listed);
        }
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
