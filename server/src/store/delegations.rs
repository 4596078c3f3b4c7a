//! What the server asks of its database for the managed list of delegations (the member
//! States, kept by the Secretariat). The rules (who keeps it, what a name may be) are
//! `crate::accounts::delegations`'.

use super::StoreError;
use async_trait::async_trait;

/// What removing a delegation came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removed {
    Done,
    /// Not in the list.
    Unknown,
    /// This many accounts and open invitations name it: nothing removed.
    InUse(i64),
}

#[async_trait]
pub trait DelegationStore: Send + Sync + 'static {
    /// Every delegation, by name (case-insensitive order).
    async fn delegations(&self) -> Result<Vec<String>, StoreError>;
    /// The listed name equal to `name` without regard to case.
    async fn delegation(&self, name: &str) -> Result<Option<String>, StoreError>;
    /// Adds `name`; `false` when it is listed already (under any case).
    async fn add_delegation(&self, name: &str, now_ms: i64) -> Result<bool, StoreError>;
    /// Removes `name` unless an account or an invitation still open at `now_ms` names it
    /// (checked and done in one statement).
    async fn remove_delegation(&self, name: &str, now_ms: i64) -> Result<Removed, StoreError>;
}
