//! Accounts, groups, memberships, sessions, document policies, invitations, secrets and the
//! audit log in SQLite: every query, nothing else (the rules are `crate::accounts`'s).

use super::SqliteStore;
use crate::store::accounts::{Accepted, Account, AccountRow, AccountStore, AuditEntry, InvitationRow, OpenInvitation, SessionRow};
use crate::store::StoreError;
use async_trait::async_trait;
use desk_core::access::{DocPolicy, GroupId, Role, Visibility};
use sqlx::{Row, SqlitePool};

/// The secret called `name`, made from `fresh` and stored the first time it is asked for
/// (the first writer wins if two ask at once).
async fn secret(pool: &SqlitePool, name: &str, fresh: &[u8]) -> sqlx::Result<Vec<u8>> {
    sqlx::query("INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)").bind(name).bind(fresh).execute(pool).await?;
    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = ?").bind(name).fetch_one(pool).await
}

async fn account_by_id(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<Account>> {
    let row = sqlx::query("SELECT id, email, name, delegation FROM accounts WHERE id = ?").bind(id).fetch_optional(pool).await?;
    row.map(|row| read_account(&row)).transpose()
}

async fn ensure_groups(pool: &SqlitePool, groups: &[(&str, &str)]) -> sqlx::Result<()> {
    for (id, name) in groups {
        sqlx::query("INSERT OR IGNORE INTO groups (id, name) VALUES (?, ?)").bind(id).bind(name).execute(pool).await?;
    }
    Ok(())
}

async fn group_exists(pool: &SqlitePool, group: &GroupId) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM groups WHERE id = ?").bind(group.as_str()).fetch_optional(pool).await?;
    Ok(found.is_some())
}

/// Every group: (id, name), by name.
async fn groups(pool: &SqlitePool) -> sqlx::Result<Vec<(String, String)>> {
    let rows = sqlx::query("SELECT id, name FROM groups ORDER BY name").fetch_all(pool).await?;
    rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("name")?))).collect()
}

/// Adds a group; false if its id is taken.
async fn insert_group(pool: &SqlitePool, id: &str, name: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("INSERT OR IGNORE INTO groups (id, name) VALUES (?, ?)").bind(id).bind(name).execute(pool).await?.rows_affected() == 1)
}

async fn insert_account<'e>(pool: impl sqlx::SqliteExecutor<'e>, account: &AccountRow<'_>, now_ms: i64) -> sqlx::Result<i64> {
    let row = sqlx::query("INSERT INTO accounts (email, name, password_hash, delegation, created_ms) VALUES (?, ?, ?, ?, ?) RETURNING id")
        .bind(account.email)
        .bind(account.name)
        .bind(account.password_hash)
        .bind(account.delegation)
        .bind(now_ms)
        .fetch_one(pool)
        .await?;
    row.try_get("id")
}

async fn account_count<'e>(pool: impl sqlx::SqliteExecutor<'e>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(pool).await
}

/// The account with this email (any case) and its password hash.
async fn account_by_email(pool: &SqlitePool, email: &str) -> sqlx::Result<Option<(Account, String)>> {
    let row = sqlx::query("SELECT id, email, name, delegation, password_hash FROM accounts WHERE email = ?").bind(email).fetch_optional(pool).await?;
    row.map(|row| Ok((read_account(&row)?, row.try_get("password_hash")?))).transpose()
}

fn read_account(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Account> {
    Ok(Account { id: row.try_get("id")?, email: row.try_get("email")?, name: row.try_get("name")?, delegation: row.try_get("delegation")? })
}

async fn memberships(pool: &SqlitePool, account: i64) -> sqlx::Result<Vec<(GroupId, Role)>> {
    let rows = sqlx::query("SELECT group_id, role FROM memberships WHERE account_id = ? ORDER BY group_id").bind(account).fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            let role = Role::parse(&role).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role:?}").into()))?;
            Ok((GroupId(row.try_get("group_id")?), role))
        })
        .collect()
}

async fn set_membership<'e>(pool: impl sqlx::SqliteExecutor<'e>, account: i64, group: &GroupId, role: Option<Role>) -> sqlx::Result<()> {
    match role {
        Some(role) => {
            sqlx::query(
                "INSERT INTO memberships (account_id, group_id, role) VALUES (?, ?, ?) ON CONFLICT (account_id, group_id) DO UPDATE SET role = excluded.role",
            )
            .bind(account)
            .bind(group.as_str())
            .bind(role.as_str())
            .execute(pool)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM memberships WHERE account_id = ? AND group_id = ?").bind(account).bind(group.as_str()).execute(pool).await?;
        }
    }
    Ok(())
}

async fn insert_session<'e>(pool: impl sqlx::SqliteExecutor<'e>, session: &SessionRow<'_>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, account_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)")
        .bind(session.token_hash)
        .bind(session.account)
        .bind(session.created_ms)
        .bind(session.expires_ms)
        .execute(pool)
        .await?;
    Ok(())
}

/// The account of a live (unexpired) session.
async fn session_account(pool: &SqlitePool, token_hash: &[u8], now_ms: i64) -> sqlx::Result<Option<Account>> {
    let row = sqlx::query(
        "SELECT a.id, a.email, a.name, a.delegation FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ? AND s.expires_ms > ?",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(pool)
    .await?;
    row.map(|row| read_account(&row)).transpose()
}

/// Deletes a session; returns its account, if it existed.
async fn delete_session(pool: &SqlitePool, token_hash: &[u8]) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = ? RETURNING account_id").bind(token_hash).fetch_optional(pool).await
}

async fn delete_expired_sessions(pool: &SqlitePool, now_ms: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_ms <= ?").bind(now_ms).execute(pool).await?.rows_affected())
}

async fn doc_policy(pool: &SqlitePool, doc_id: &str) -> sqlx::Result<Option<DocPolicy>> {
    let row = sqlx::query("SELECT owner, visibility FROM doc_policies WHERE doc_id = ?").bind(doc_id).fetch_optional(pool).await?;
    row.map(|row| {
        let visibility: String = row.try_get("visibility")?;
        let visibility = Visibility::parse(&visibility).ok_or_else(|| sqlx::Error::Decode(format!("unknown visibility {visibility:?}").into()))?;
        Ok(DocPolicy { owner: GroupId(row.try_get("owner")?), visibility })
    })
    .transpose()
}

async fn set_doc_policy(pool: &SqlitePool, doc_id: &str, policy: &DocPolicy) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO doc_policies (doc_id, owner, visibility) VALUES (?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET owner = excluded.owner, visibility = excluded.visibility")
        .bind(doc_id)
        .bind(policy.owner.as_str())
        .bind(policy.visibility.as_str())
        .execute(pool)
        .await?;
    Ok(())
}

async fn insert_audit(pool: &SqlitePool, at_ms: i64, event: &str, account: Option<i64>, detail: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_log (at_ms, event, account_id, detail) VALUES (?, ?, ?, ?)")
        .bind(at_ms)
        .bind(event)
        .bind(account)
        .bind(detail)
        .execute(pool)
        .await?;
    Ok(())
}

/// The newest `limit` entries, newest first.
async fn audit_entries(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<AuditEntry>> {
    let rows = sqlx::query("SELECT at_ms, event, account_id, detail FROM audit_log ORDER BY id DESC LIMIT ?").bind(limit).fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                at_ms: row.try_get("at_ms")?,
                event: row.try_get("event")?,
                account_id: row.try_get("account_id")?,
                detail: row.try_get("detail")?,
            })
        })
        .collect()
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn ensure_groups(&self, groups: &[(&str, &str)]) -> Result<(), StoreError> {
        Ok(ensure_groups(&self.pool, groups).await?)
    }

    async fn secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError> {
        Ok(secret(&self.pool, name, fresh).await?)
    }

    async fn account_by_id(&self, id: i64) -> Result<Option<Account>, StoreError> {
        Ok(account_by_id(&self.pool, id).await?)
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<(Account, String)>, StoreError> {
        Ok(account_by_email(&self.pool, email).await?)
    }

    async fn account_count(&self) -> Result<i64, StoreError> {
        Ok(account_count(&self.pool).await?)
    }

    async fn insert_account(&self, account: &AccountRow<'_>, now_ms: i64) -> Result<i64, StoreError> {
        Ok(insert_account(&self.pool, account, now_ms).await?)
    }

    async fn group_exists(&self, group: &GroupId) -> Result<bool, StoreError> {
        Ok(group_exists(&self.pool, group).await?)
    }

    async fn groups(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(groups(&self.pool).await?)
    }

    async fn insert_group(&self, id: &str, name: &str) -> Result<bool, StoreError> {
        Ok(insert_group(&self.pool, id, name).await?)
    }

    async fn memberships(&self, account: i64) -> Result<Vec<(GroupId, Role)>, StoreError> {
        Ok(memberships(&self.pool, account).await?)
    }

    async fn set_membership(&self, account: i64, group: &GroupId, role: Option<Role>) -> Result<(), StoreError> {
        Ok(set_membership(&self.pool, account, group, role).await?)
    }

    async fn insert_session(&self, session: &SessionRow<'_>) -> Result<(), StoreError> {
        Ok(insert_session(&self.pool, session).await?)
    }

    async fn session_account(&self, token_hash: &[u8], now_ms: i64) -> Result<Option<Account>, StoreError> {
        Ok(session_account(&self.pool, token_hash, now_ms).await?)
    }

    async fn delete_session(&self, token_hash: &[u8]) -> Result<Option<i64>, StoreError> {
        Ok(delete_session(&self.pool, token_hash).await?)
    }

    async fn delete_sessions_of(&self, account: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE account_id = ?").bind(account).execute(&self.pool).await?.rows_affected())
    }

    async fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        Ok(delete_expired_sessions(&self.pool, now_ms).await?)
    }

    async fn doc_policy(&self, doc_id: &str) -> Result<Option<DocPolicy>, StoreError> {
        Ok(doc_policy(&self.pool, doc_id).await?)
    }

    async fn set_doc_policy(&self, doc_id: &str, policy: &DocPolicy) -> Result<(), StoreError> {
        Ok(set_doc_policy(&self.pool, doc_id, policy).await?)
    }

    async fn insert_audit(&self, at_ms: i64, event: &str, account: Option<i64>, detail: &str) -> Result<(), StoreError> {
        Ok(insert_audit(&self.pool, at_ms, event, account, detail).await?)
    }

    async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(audit_entries(&self.pool, limit).await?)
    }

    async fn insert_invitation(&self, invitation: &InvitationRow<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO invitations (token_hash, email, group_id, role, created_by, created_ms, expires_ms, delegation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(invitation.token_hash)
        .bind(invitation.email)
        .bind(invitation.group.as_str())
        .bind(invitation.role.as_str())
        .bind(invitation.created_by)
        .bind(invitation.created_ms)
        .bind(invitation.expires_ms)
        .bind(invitation.delegation)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn delete_unused_setup_links(&self) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM invitations WHERE email IS NULL AND used_ms IS NULL").execute(&self.pool).await?;
        Ok(())
    }

    async fn open_invitation(&self, token_hash: &[u8], now_ms: i64) -> Result<Option<OpenInvitation>, StoreError> {
        let row = sqlx::query("SELECT email, group_id, role, delegation FROM invitations WHERE token_hash = ? AND used_ms IS NULL AND expires_ms > ?")
            .bind(token_hash)
            .bind(now_ms)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(OpenInvitation {
            email: row.try_get("email")?,
            group: GroupId(row.try_get("group_id")?),
            role: row.try_get("role")?,
            delegation: row.try_get("delegation")?,
        }))
    }

    async fn accept_invitation(
        &self,
        token_hash: &[u8],
        now_ms: i64,
        setup: bool,
        account: &AccountRow<'_>,
        (group, role): (&GroupId, Role),
        (session_hash, session_expires_ms): (&[u8], i64),
    ) -> Result<Accepted, StoreError> {
        let mut tx = self.pool.begin().await?;
        let used = sqlx::query("UPDATE invitations SET used_ms = ? WHERE token_hash = ? AND used_ms IS NULL AND expires_ms > ?")
            .bind(now_ms)
            .bind(token_hash)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if used != 1 || (setup && account_count(&mut *tx).await? > 0) {
            return Ok(Accepted::Invalid);
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE email = ?").bind(account.email).fetch_optional(&mut *tx).await?;
        if exists.is_some() {
            return Ok(Accepted::EmailTaken);
        }
        let id = insert_account(&mut *tx, account, now_ms).await?;
        set_membership(&mut *tx, id, group, Some(role)).await?;
        insert_session(&mut *tx, &SessionRow { token_hash: session_hash, account: id, created_ms: now_ms, expires_ms: session_expires_ms }).await?;
        tx.commit().await?;
        Ok(Accepted::Created(id))
    }
}
