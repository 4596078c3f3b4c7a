//! Evaluations in SQLite (`0006_evaluations.sql`): the form's versions and each submission as
//! JSON (desk_core's serde forms), the rest as columns.

use super::SqliteStore;
use crate::store::evaluations::{EvaluationRow, EvaluationStore, NewSubmission, Recorded, StoredResponse};
use crate::store::StoreError;
use async_trait::async_trait;
use desk_core::evaluation::{Answers, EditError, Form, FormVersion, Format, Response, Versions};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

const COLUMNS: &str = "id, title, activity, format, opens, closes, link_hash, versions, created_ms";

fn evaluation_row(row: &SqliteRow) -> Result<EvaluationRow, StoreError> {
    let format: String = row.try_get("format")?;
    let versions: String = row.try_get("versions")?;
    Ok(EvaluationRow {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        activity: row.try_get("activity")?,
        format: Format::from_key(&format).ok_or_else(|| StoreError::Corrupt(format!("unknown evaluation format {format:?}")))?,
        opens: row.try_get("opens")?,
        closes: row.try_get("closes")?,
        link_hash: row.try_get("link_hash")?,
        versions: serde_json::from_str(&versions)?,
        created_ms: row.try_get("created_ms")?,
    })
}

#[async_trait]
impl EvaluationStore for SqliteStore {
    async fn create_evaluation(&self, e: &EvaluationRow, created_by: Option<i64>) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO evaluations (id, title, activity, format, opens, closes, link_hash, versions, created_by, created_ms) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&e.id)
        .bind(&e.title)
        .bind(&e.activity)
        .bind(e.format.key())
        .bind(&e.opens)
        .bind(&e.closes)
        .bind(&e.link_hash)
        .bind(serde_json::to_string(&e.versions)?)
        .bind(created_by)
        .bind(e.created_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn evaluations(&self) -> Result<Vec<EvaluationRow>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM evaluations ORDER BY created_ms DESC, id")).fetch_all(&self.pool).await?;
        rows.iter().map(evaluation_row).collect()
    }

    async fn evaluation(&self, id: &str) -> Result<Option<EvaluationRow>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM evaluations WHERE id = ?")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(evaluation_row).transpose()
    }

    async fn evaluation_by_link(&self, link_hash: &[u8]) -> Result<Option<EvaluationRow>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM evaluations WHERE link_hash = ?")).bind(link_hash).fetch_optional(&self.pool).await?;
        row.as_ref().map(evaluation_row).transpose()
    }

    async fn record_submission(&self, new: &NewSubmission) -> Result<Recorded, StoreError> {
        let mut tx = self.pool.begin().await?;
        // A write first, so the transaction holds SQLite's write lock before it reads the
        // versions it is about to change (no other submission can freeze them meanwhile).
        let touched = sqlx::query("UPDATE evaluations SET versions = versions WHERE id = ?").bind(&new.evaluation).execute(&mut *tx).await?;
        if touched.rows_affected() == 0 {
            return Ok(Recorded::NoEvaluation);
        }
        let stored: String = sqlx::query_scalar("SELECT versions FROM evaluations WHERE id = ?").bind(&new.evaluation).fetch_one(&mut *tx).await?;
        let mut versions: Versions = serde_json::from_str(&stored)?;
        if let Err(refused) = versions.accept(&new.submission) {
            keep_draft(&mut tx, &new.evaluation, &new.respondent, &new.submission.answers).await?;
            tx.commit().await?;
            return Ok(Recorded::Refused(refused));
        }
        let previous: Option<i64> = sqlx::query_scalar("SELECT MAX(revision) FROM evaluation_submissions WHERE evaluation = ? AND respondent = ?")
            .bind(&new.evaluation)
            .bind(&new.respondent)
            .fetch_one(&mut *tx)
            .await?;
        let revision = previous.unwrap_or(0) + 1;
        sqlx::query("INSERT INTO evaluation_submissions (evaluation, respondent, revision, submitted, late, submission) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(&new.evaluation)
            .bind(&new.respondent)
            .bind(revision)
            .bind(&new.submitted)
            .bind(new.late)
            .bind(serde_json::to_string(&new.submission)?)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE evaluations SET versions = ? WHERE id = ?").bind(serde_json::to_string(&versions)?).bind(&new.evaluation).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM evaluation_drafts WHERE evaluation = ? AND respondent = ?")
            .bind(&new.evaluation)
            .bind(&new.respondent)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Recorded::Accepted { revision: revision as u64 })
    }

    async fn edit_form(&self, evaluation: &str, form: &Form) -> Result<Option<Result<FormVersion, EditError>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The write lock first, as in `record_submission`: a submission cannot freeze the
        // versions between this read and this write.
        let touched = sqlx::query("UPDATE evaluations SET versions = versions WHERE id = ?").bind(evaluation).execute(&mut *tx).await?;
        if touched.rows_affected() == 0 {
            return Ok(None);
        }
        let stored: String = sqlx::query_scalar("SELECT versions FROM evaluations WHERE id = ?").bind(evaluation).fetch_one(&mut *tx).await?;
        let mut versions: Versions = serde_json::from_str(&stored)?;
        let edited = versions.edit(form.clone());
        if edited.is_ok() {
            sqlx::query("UPDATE evaluations SET versions = ? WHERE id = ?").bind(serde_json::to_string(&versions)?).bind(evaluation).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(Some(edited))
    }

    async fn save_draft(&self, evaluation: &str, respondent: &str, answers: &Answers) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        keep_draft(&mut tx, evaluation, respondent, answers).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn draft(&self, evaluation: &str, respondent: &str) -> Result<Option<Answers>, StoreError> {
        let answers: Option<String> = sqlx::query_scalar("SELECT answers FROM evaluation_drafts WHERE evaluation = ? AND respondent = ?")
            .bind(evaluation)
            .bind(respondent)
            .fetch_optional(&self.pool)
            .await?;
        Ok(answers.map(|a| serde_json::from_str(&a)).transpose()?)
    }

    async fn responses(&self, evaluation: &str) -> Result<Vec<StoredResponse>, StoreError> {
        let rows = sqlx::query("SELECT respondent, revision, submitted, late, submission FROM evaluation_submissions WHERE evaluation = ? ORDER BY rowid")
            .bind(evaluation)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let submission: String = row.try_get("submission")?;
                let revision: i64 = row.try_get("revision")?;
                Ok(StoredResponse {
                    response: Response {
                        respondent: row.try_get("respondent")?,
                        revision: revision as u64,
                        submitted: row.try_get("submitted")?,
                        submission: serde_json::from_str(&submission)?,
                    },
                    late: row.try_get("late")?,
                })
            })
            .collect()
    }

    async fn latest_revision(&self, evaluation: &str, respondent: &str) -> Result<Option<u64>, StoreError> {
        let latest: Option<i64> = sqlx::query_scalar("SELECT MAX(revision) FROM evaluation_submissions WHERE evaluation = ? AND respondent = ?")
            .bind(evaluation)
            .bind(respondent)
            .fetch_one(&self.pool)
            .await?;
        Ok(latest.map(|r| r as u64))
    }
}

async fn keep_draft(tx: &mut sqlx::SqliteConnection, evaluation: &str, respondent: &str, answers: &Answers) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO evaluation_drafts (evaluation, respondent, answers, saved_ms) VALUES (?, ?, ?, ?) \
         ON CONFLICT (evaluation, respondent) DO UPDATE SET answers = excluded.answers, saved_ms = excluded.saved_ms",
    )
    .bind(evaluation)
    .bind(respondent)
    .bind(serde_json::to_string(answers)?)
    .bind(crate::accounts::now_ms())
    .execute(tx)
    .await?;
    Ok(())
}
