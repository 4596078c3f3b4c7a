//! The list of delegations in SQLite (`0008_delegations.sql`): names compare without case.

use super::SqliteStore;
use crate::store::delegations::{DelegationStore, Removed};
use crate::store::StoreError;
use async_trait::async_trait;

#[async_trait]
impl DelegationStore for SqliteStore {
    async fn delegations(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT name FROM delegations ORDER BY name").fetch_all(&self.pool).await?)
    }

    async fn delegation(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT name FROM delegations WHERE name = ?").bind(name).fetch_optional(&self.pool).await?)
    }

    async fn add_delegation(&self, name: &str, now_ms: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("INSERT INTO delegations (name, added_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_delegation(&self, name: &str, now_ms: i64) -> Result<Removed, StoreError> {
        let done = sqlx::query(
            "DELETE FROM delegations WHERE name = ? \
             AND NOT EXISTS (SELECT 1 FROM accounts WHERE delegation = delegations.name COLLATE NOCASE) \
             AND NOT EXISTS (SELECT 1 FROM invitations WHERE delegation = delegations.name COLLATE NOCASE AND used_ms IS NULL AND expires_ms > ?)",
        )
        .bind(name)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(Removed::Done);
        }
        let users: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM accounts WHERE delegation = ?1 COLLATE NOCASE) \
             + (SELECT COUNT(*) FROM invitations WHERE delegation = ?1 COLLATE NOCASE AND used_ms IS NULL AND expires_ms > ?2)",
        )
        .bind(name)
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(if users > 0 && self.delegation(name).await?.is_some() { Removed::InUse(users) } else { Removed::Unknown })
    }
}
