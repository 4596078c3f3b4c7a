//! Accounts, groups, memberships, sessions, document policies and the audit log in SQLite:
//! the schema and every query, nothing else.

use desk_core::access::{DocPolicy, GroupId, Role, Visibility, STANDING_GROUPS};
use sqlx::{Row, SqlitePool};

/// The secret called `name`, made from `fresh` and stored the first time it is asked for
/// (the first writer wins if two ask at once).
pub async fn secret(pool: &SqlitePool, name: &str, fresh: &[u8]) -> sqlx::Result<Vec<u8>> {
    sqlx::query("INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)").bind(name).bind(fresh).execute(pool).await?;
    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = ?").bind(name).fetch_one(pool).await
}

pub async fn account_by_id(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<Account>> {
    let row = sqlx::query("SELECT id, email, name, delegation FROM accounts WHERE id = ?").bind(id).fetch_optional(pool).await?;
    row.map(|row| read_account(&row)).transpose()
}

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

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    pub event: String,
    pub account_id: Option<i64>,
    pub detail: String,
}

pub async fn ensure_standing_groups(pool: &SqlitePool) -> sqlx::Result<()> {
    for (id, name) in STANDING_GROUPS {
        sqlx::query("INSERT OR IGNORE INTO groups (id, name) VALUES (?, ?)").bind(id).bind(name).execute(pool).await?;
    }
    Ok(())
}

pub async fn group_exists(pool: &SqlitePool, group: &GroupId) -> sqlx::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM groups WHERE id = ?").bind(group.as_str()).fetch_optional(pool).await?;
    Ok(found.is_some())
}

/// Every group: (id, name), by name.
pub async fn groups(pool: &SqlitePool) -> sqlx::Result<Vec<(String, String)>> {
    let rows = sqlx::query("SELECT id, name FROM groups ORDER BY name").fetch_all(pool).await?;
    rows.iter().map(|row| Ok((row.try_get("id")?, row.try_get("name")?))).collect()
}

/// Adds a group; false if its id is taken.
pub async fn insert_group(pool: &SqlitePool, id: &str, name: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("INSERT OR IGNORE INTO groups (id, name) VALUES (?, ?)").bind(id).bind(name).execute(pool).await?.rows_affected() == 1)
}

pub async fn insert_account<'e>(
    pool: impl sqlx::SqliteExecutor<'e>,
    email: &str,
    name: &str,
    hash: &str,
    delegation: Option<&str>,
    now_ms: i64,
) -> sqlx::Result<i64> {
    let row = sqlx::query("INSERT INTO accounts (email, name, password_hash, delegation, created_ms) VALUES (?, ?, ?, ?, ?) RETURNING id")
        .bind(email)
        .bind(name)
        .bind(hash)
        .bind(delegation)
        .bind(now_ms)
        .fetch_one(pool)
        .await?;
    row.try_get("id")
}

pub async fn account_count<'e>(pool: impl sqlx::SqliteExecutor<'e>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(pool).await
}

/// The account with this email (any case) and its password hash.
pub async fn account_by_email(pool: &SqlitePool, email: &str) -> sqlx::Result<Option<(Account, String)>> {
    let row = sqlx::query("SELECT id, email, name, delegation, password_hash FROM accounts WHERE email = ?").bind(email).fetch_optional(pool).await?;
    row.map(|row| Ok((read_account(&row)?, row.try_get("password_hash")?))).transpose()
}

fn read_account(row: &sqlx::sqlite::SqliteRow) -> sqlx::Result<Account> {
    Ok(Account { id: row.try_get("id")?, email: row.try_get("email")?, name: row.try_get("name")?, delegation: row.try_get("delegation")? })
}

pub async fn memberships(pool: &SqlitePool, account: i64) -> sqlx::Result<Vec<(GroupId, Role)>> {
    let rows = sqlx::query("SELECT group_id, role FROM memberships WHERE account_id = ? ORDER BY group_id").bind(account).fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            let role = Role::parse(&role).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role:?}").into()))?;
            Ok((GroupId(row.try_get("group_id")?), role))
        })
        .collect()
}

pub async fn set_membership<'e>(pool: impl sqlx::SqliteExecutor<'e>, account: i64, group: &GroupId, role: Option<Role>) -> sqlx::Result<()> {
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

pub async fn insert_session<'e>(pool: impl sqlx::SqliteExecutor<'e>, token_hash: &[u8], account: i64, now_ms: i64, expires_ms: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, account_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(account)
        .bind(now_ms)
        .bind(expires_ms)
        .execute(pool)
        .await?;
    Ok(())
}

/// The account of a live (unexpired) session.
pub async fn session_account(pool: &SqlitePool, token_hash: &[u8], now_ms: i64) -> sqlx::Result<Option<Account>> {
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
pub async fn delete_session(pool: &SqlitePool, token_hash: &[u8]) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = ? RETURNING account_id").bind(token_hash).fetch_optional(pool).await
}

pub async fn delete_expired_sessions(pool: &SqlitePool, now_ms: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_ms <= ?").bind(now_ms).execute(pool).await?.rows_affected())
}

pub async fn doc_policy(pool: &SqlitePool, doc_id: &str) -> sqlx::Result<Option<DocPolicy>> {
    let row = sqlx::query("SELECT owner, visibility FROM doc_policies WHERE doc_id = ?").bind(doc_id).fetch_optional(pool).await?;
    row.map(|row| {
        let visibility: String = row.try_get("visibility")?;
        let visibility = Visibility::parse(&visibility).ok_or_else(|| sqlx::Error::Decode(format!("unknown visibility {visibility:?}").into()))?;
        Ok(DocPolicy { owner: GroupId(row.try_get("owner")?), visibility })
    })
    .transpose()
}

pub async fn set_doc_policy(pool: &SqlitePool, doc_id: &str, policy: &DocPolicy) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO doc_policies (doc_id, owner, visibility) VALUES (?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET owner = excluded.owner, visibility = excluded.visibility")
        .bind(doc_id)
        .bind(policy.owner.as_str())
        .bind(policy.visibility.as_str())
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn insert_audit(pool: &SqlitePool, at_ms: i64, event: &str, account: Option<i64>, detail: &str) -> sqlx::Result<()> {
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
pub async fn audit_entries(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<AuditEntry>> {
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
