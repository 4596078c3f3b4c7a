//! Invitations: a link that lets one person make an account with a role in a group. Single
//! use, valid for [`INVITATION_DAYS`]. A group's manager (or a Secretariat manager) makes one
//! for an email address; the setup link printed when an installation has no account yet is
//! one without an address, for the first Secretariat manager, and stops working as soon as
//! any account exists. Only a hash of the link's secret is stored.

use super::{now_ms, session, AccountError, Accounts, NewAccount, Signed};
use desk_core::access::{may_manage_group, GroupId, Role, SECRETARIAT};
use sqlx::Row;

pub const INVITATION_DAYS: i64 = 7;
const INVITATION_MS: i64 = INVITATION_DAYS * 24 * 60 * 60 * 1000;

/// A link just made: its secret (the last part of `/invite/{secret}`) and when it expires.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Invitation {
    pub secret: String,
    pub email: Option<String>,
    pub group: GroupId,
    pub role: Role,
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

impl From<sqlx::Error> for AcceptError {
    fn from(e: sqlx::Error) -> Self {
        AcceptError::Account(AccountError::Sql(e))
    }
}

impl Accounts {
    /// Makes an invitation into `group` with `role` for `email`, if `by` may manage the group.
    pub async fn invite(&self, by: &Signed, email: &str, group: &GroupId, role: Role) -> Result<Invitation, InviteError> {
        if !may_manage_group(&by.principal, group) {
            return Err(InviteError::NotAllowed(group.clone()));
        }
        let email = email.trim();
        if !super::looks_like_email(email) {
            return Err(AccountError::BadEmail(email.to_owned()).into());
        }
        if !super::store::group_exists(&self.pool, group).await.map_err(AccountError::Sql)? {
            return Err(AccountError::NoSuchGroup(group.to_string()).into());
        }
        if super::store::account_by_email(&self.pool, email).await.map_err(AccountError::Sql)?.is_some() {
            return Err(InviteError::HasAccount(email.to_owned()));
        }
        let invitation = self.store_invitation(Some(email), group, role, Some(by.account.id)).await?;
        self.audit("invitation created", Some(by.account.id), &format!("{email} as {} in {group}", role.as_str())).await;
        Ok(invitation)
    }

    /// With no account yet: a new setup link for the first Secretariat manager (any earlier
    /// unused one stops working). With accounts: none.
    pub async fn setup_link(&self) -> Result<Option<Invitation>, AccountError> {
        if self.count().await? > 0 {
            return Ok(None);
        }
        sqlx::query("DELETE FROM invitations WHERE email IS NULL AND used_ms IS NULL").execute(&self.pool).await?;
        let invitation = self.store_invitation(None, &GroupId::new(SECRETARIAT), Role::Manager, None).await?;
        self.audit("setup link created", None, "").await;
        Ok(Some(invitation))
    }

    async fn store_invitation(&self, email: Option<&str>, group: &GroupId, role: Role, by: Option<i64>) -> Result<Invitation, AccountError> {
        let secret = session::new_token().map_err(|e| AccountError::Sql(sqlx::Error::Protocol(format!("no randomness: {e}"))))?;
        let now = now_ms();
        let expires_ms = now + INVITATION_MS;
        sqlx::query("INSERT INTO invitations (token_hash, email, group_id, role, created_by, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(session::token_hash(&secret))
            .bind(email)
            .bind(group.as_str())
            .bind(role.as_str())
            .bind(by)
            .bind(now)
            .bind(expires_ms)
            .execute(&self.pool)
            .await?;
        Ok(Invitation { secret, email: email.map(str::to_owned), group: group.clone(), role, expires_ms })
    }

    /// Uses an invitation: makes the account (the invitation's email, or `email` for the
    /// setup link), gives it the role and opens a session. Either all of it happens or none,
    /// and a link works once however many people try it at the same moment.
    pub async fn accept(
        &self,
        secret: &str,
        email: Option<&str>,
        name: &str,
        password: &str,
        delegation: Option<&str>,
    ) -> Result<(String, super::Account), AcceptError> {
        let hash = session::token_hash(secret);
        let now = now_ms();
        let row = sqlx::query("SELECT email, group_id, role FROM invitations WHERE token_hash = ? AND used_ms IS NULL AND expires_ms > ?")
            .bind(&hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(AcceptError::Invalid)?;
        let invited: Option<String> = row.try_get("email")?;
        let setup = invited.is_none();
        let email = match (invited, email) {
            (Some(invited), _) => invited,
            (None, Some(given)) if !given.trim().is_empty() => given.to_owned(),
            (None, _) => return Err(AcceptError::NoEmail),
        };
        let group = GroupId(row.try_get("group_id")?);
        let role: String = row.try_get("role")?;
        let role = Role::parse(&role).ok_or(AcceptError::Invalid)?;
        let (email_owned, name, password, delegation) = (email, name.to_owned(), password.to_owned(), delegation.map(str::to_owned));
        // argon2 takes tens of milliseconds of CPU: off the async workers.
        let new = tokio::task::spawn_blocking(move || NewAccount::checked(&email_owned, &name, &password, delegation.as_deref()))
            .await
            .map_err(|e| AcceptError::Internal(format!("hashing the password: {e}")))??;
        let token = session::new_token().map_err(|e| AcceptError::Internal(format!("no randomness for a session id: {e}")))?;

        let mut tx = self.pool.begin().await?;
        let used = sqlx::query("UPDATE invitations SET used_ms = ? WHERE token_hash = ? AND used_ms IS NULL AND expires_ms > ?")
            .bind(now)
            .bind(&hash)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if used != 1 || (setup && super::store::account_count(&mut *tx).await? > 0) {
            return Err(AcceptError::Invalid);
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?").bind(&new.email).fetch_optional(&mut *tx).await?;
        if exists.is_some() {
            return Err(AccountError::Exists(new.email).into());
        }
        let id = super::store::insert_account(&mut *tx, &new.email, &new.name, &new.hash, new.delegation.as_deref(), now).await?;
        super::store::set_membership(&mut *tx, id, &group, Some(role)).await?;
        super::store::insert_session(&mut *tx, &session::token_hash(&token), id, now, now + session::SESSION_MS).await?;
        tx.commit().await?;
        let account = new.into_account(id);
        let event = if setup { "setup link used" } else { "invitation accepted" };
        self.audit(event, Some(id), &format!("{} as {} in {group}", account.email, role.as_str())).await;
        Ok((token, account))
    }
}
