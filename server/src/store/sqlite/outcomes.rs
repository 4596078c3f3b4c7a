//! Outcome reports in SQLite (`0007_outcomes.sql`): each saved revision a row, the report as
//! JSON (desk_core's serde form).

use super::SqliteStore;
use crate::store::outcomes::{NewOutcome, OutcomeRevision, OutcomeStore, SavedOutcome};
use crate::store::StoreError;
use async_trait::async_trait;
use desk_core::evaluation::{merge, OutcomeReport};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// How many times a save is tried again when another save took its revision number first
/// (each try reads the latest again and merges with it).
const SAVE_TRIES: usize = 8;

fn revision_row(row: &SqliteRow) -> Result<OutcomeRevision, StoreError> {
    let report: String = row.try_get("report")?;
    let revision: i64 = row.try_get("revision")?;
    Ok(OutcomeRevision {
        activity: row.try_get("activity")?,
        revision: revision as u64,
        report: serde_json::from_str(&report)?,
        saved_by: row.try_get("saved_by")?,
        saved_ms: row.try_get("saved_ms")?,
    })
}

fn is_taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

#[async_trait]
impl OutcomeStore for SqliteStore {
    async fn latest_outcomes(&self) -> Result<Vec<OutcomeRevision>, StoreError> {
        let rows = sqlx::query(
            "SELECT activity, revision, report, saved_by, saved_ms FROM outcome_revisions o \
             WHERE revision = (SELECT MAX(revision) FROM outcome_revisions WHERE activity = o.activity)",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(revision_row).collect()
    }

    async fn outcome(&self, activity: &str, revision: Option<u64>) -> Result<Option<OutcomeRevision>, StoreError> {
        let row = match revision {
            Some(revision) => {
                sqlx::query("SELECT activity, revision, report, saved_by, saved_ms FROM outcome_revisions WHERE activity = ? AND revision = ?")
                    .bind(activity)
                    .bind(revision as i64)
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT activity, revision, report, saved_by, saved_ms FROM outcome_revisions WHERE activity = ? ORDER BY revision DESC LIMIT 1")
                    .bind(activity)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        row.as_ref().map(revision_row).transpose()
    }

    async fn save_outcome(&self, new: &NewOutcome<'_>) -> Result<Option<SavedOutcome>, StoreError> {
        // The primary key (activity, revision) lets one save take a revision number: a save
        // that finds its number taken reads the new latest and merges again.
        for _ in 0..SAVE_TRIES {
            let latest = self.outcome(new.activity, None).await?;
            let latest_revision = latest.as_ref().map_or(0, |l| l.revision);
            let (report, merged, both_changed) = match latest {
                Some(latest) if latest.revision > new.base => {
                    let base = match new.base {
                        0 => OutcomeReport::default(),
                        n => self.outcome(new.activity, Some(n)).await?.map(|r| r.report).unwrap_or_default(),
                    };
                    let merged = merge(&base, &latest.report, new.report);
                    (merged.report, true, merged.both_changed)
                }
                _ => (new.report.clone(), false, Vec::new()),
            };
            let revision = latest_revision + 1;
            let written = sqlx::query("INSERT INTO outcome_revisions (activity, revision, report, saved_by, saved_ms) VALUES (?, ?, ?, ?, ?)")
                .bind(new.activity)
                .bind(revision as i64)
                .bind(serde_json::to_string(&report)?)
                .bind(new.saved_by)
                .bind(new.saved_ms)
                .execute(&self.pool)
                .await;
            match written {
                Ok(_) => return Ok(Some(SavedOutcome { revision, merged, both_changed })),
                Err(e) if is_taken(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(None)
    }
}
