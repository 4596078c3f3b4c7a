//! Invitations: a link that lets one person make an account with a role in a group. Single
//! use, valid for [`INVITATION_DAYS`]. A group's manager (or a Secretariat manager) makes one
//! for an email address; the setup link printed when an installation has no account yet is
//! one without an address, for the first Secretariat manager, and stops working as soon as
//! any account exists. Only a hash of the link's secret is stored.

use super::{now_ms, session, AccountError, Accounts, NewAccount, Signed};
use crate::store::accounts::{Accepted, InvitationRow, OpenInvitation};
use crate::store::StoreError;
use desk_core::access::{may_manage_group, GroupId, Role, SECRETARIAT};

pub const INVITATION_DAYS: i64 = 7;
const INVITATION_MS: i64 = INVITATION_DAYS * 24 * 60 * 60 * 1000;

/// A link just made: its secret (the last part of `/invite/{secret}`) and when it expires.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Invitation {
    pub secret: String,
    pub email: Option<String>,
    pub group: GroupId,
    pub role: Role,
    /// The delegation the account it makes belongs to (a listed name).
    pub delegation: Option<String>,
    pub expires_ms: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("Only the group's managers and the Secretariat's managers invite people into {0}.")]
    NotAllowed(GroupId),
    #[error("{0} already has an account: give it the role instead.")]
    HasAccount(String),
    #[error(transparent)]
    Account(#[from] AccountError),
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("This invitation link does not work: it was used already, has expired, or was never made. Ask for a new one.")]
    Invalid,
    #[error("The setup link needs an email address.")]
    NoEmail,
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("{0}")]
    Internal(String),
}

impl From<StoreError> for AcceptError {
    fn from(e: StoreError) -> Self {
        AcceptError::Account(AccountError::Store(e))
    }
}

impl Accounts {
    /// Makes an invitation into `group` with `role` for `email`, of `delegation` (one on the
    /// list, or none), if `by` may manage the group.
    pub async fn invite(&self, by: &Signed, email: &str, group: &GroupId, role: Role, delegation: Option<&str>) -> Result<Invitation, InviteError> {
        if !may_manage_group(&by.principal, group) {
            return Err(InviteError::NotAllowed(group.clone()));
        }
        let email = email.trim();
        if !super::looks_like_email(email) {
            return Err(AccountError::BadEmail(email.to_owned()).into());
        }
        if !self.store.group_exists(group).await.map_err(AccountError::Store)? {
            return Err(AccountError::NoSuchGroup(group.to_string()).into());
        }
        if self.store.account_by_email(email).await.map_err(AccountError::Store)?.is_some() {
            return Err(InviteError::HasAccount(email.to_owned()));
        }
        let delegation = self.listed_delegation(delegation).await?;
        let invitation = self.store_invitation(Some(email), group, role, delegation, Some(by.account.id)).await?;
        self.audit("invitation created", Some(by.account.id), &format!("{email} as {} in {group}", role.as_str())).await;
        Ok(invitation)
    }

    /// With no account yet: a new setup link for the first Secretariat manager (any earlier
    /// unused one stops working). With accounts: none.
    pub async fn setup_link(&self) -> Result<Option<Invitation>, AccountError> {
        if self.count().await? > 0 {
            return Ok(None);
        }
        self.store.delete_unused_setup_links().await?;
        let invitation = self.store_invitation(None, &GroupId::new(SECRETARIAT), Role::Manager, None, None).await?;
        self.audit("setup link created", None, "").await;
        Ok(Some(invitation))
    }

    async fn store_invitation(
        &self,
        email: Option<&str>,
        group: &GroupId,
        role: Role,
        delegation: Option<String>,
        by: Option<i64>,
    ) -> Result<Invitation, AccountError> {
        let secret = session::new_token().map_err(|e| AccountError::Store(StoreError::Database(format!("no randomness: {e}").into())))?;
        let now = now_ms();
        let expires_ms = now + INVITATION_MS;
        let row = InvitationRow {
            token_hash: &session::token_hash(&secret),
            email,
            group,
            role,
            created_by: by,
            created_ms: now,
            expires_ms,
            delegation: delegation.as_deref(),
        };
        self.store.insert_invitation(&row).await?;
        Ok(Invitation { secret, email: email.map(str::to_owned), group: group.clone(), role, delegation, expires_ms })
    }

    /// Uses an invitation: makes the account (the invitation's email, or `email` for the
    /// setup link, and the invitation's delegation), gives it the role and opens a session.
    /// Either all of it happens or none, and a link works once however many people try it at
    /// the same moment.
    pub async fn accept(&self, secret: &str, email: Option<&str>, name: &str, password: &str) -> Result<(String, super::Account), AcceptError> {
        let hash = session::token_hash(secret);
        let now = now_ms();
        let OpenInvitation { email: invited, group, role, delegation } = self.store.open_invitation(&hash, now).await?.ok_or(AcceptError::Invalid)?;
        let setup = invited.is_none();
        let email = match (invited, email) {
            (Some(invited), _) => invited,
            (None, Some(given)) if !given.trim().is_empty() => given.to_owned(),
            (None, _) => return Err(AcceptError::NoEmail),
        };
        let role = Role::parse(&role).ok_or(AcceptError::Invalid)?;
        let (email_owned, name, password) = (email, name.to_owned(), password.to_owned());
        // argon2 takes tens of milliseconds of CPU: off the async workers.
        let new = tokio::task::spawn_blocking(move || NewAccount::checked(&email_owned, &name, &password, delegation.as_deref()))
            .await
            .map_err(|e| AcceptError::Internal(format!("hashing the password: {e}")))??;
        let token = session::new_token().map_err(|e| AcceptError::Internal(format!("no randomness for a session id: {e}")))?;

        let session = (&session::token_hash(&token)[..], now + session::SESSION_MS);
        let id = match self.store.accept_invitation(&hash, now, setup, &new.row(), (&group, role), session).await? {
            Accepted::Created(id) => id,
            Accepted::Invalid => return Err(AcceptError::Invalid),
            Accepted::EmailTaken => return Err(AccountError::Exists(new.email).into()),
        };
        let account = new.into_account(id);
        let event = if setup { "setup link used" } else { "invitation accepted" };
        self.audit(event, Some(id), &format!("{} as {} in {group}", account.email, role.as_str())).await;
        Ok((token, account))
    }
}
