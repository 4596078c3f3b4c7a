//! Evaluation templates in SQLite (`0009_templates.sql`): a row per format, its versions as
//! JSON (desk_core's `Versions`). Changes take the write lock first, so an edit and a new
//! evaluation made from the same template at once are one after the other.

use super::SqliteStore;
use crate::store::templates::TemplateStore;
use crate::store::StoreError;
use async_trait::async_trait;
use desk_core::evaluation::{EditError, Form, FormVersion, Format, Versions};

impl SqliteStore {
    /// Within `tx`: the template's versions as stored (`start` when none are), the write
    /// lock taken.
    async fn stored_template(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, format: Format, start: &Versions) -> Result<Versions, StoreError> {
        sqlx::query("UPDATE evaluation_templates SET versions = versions WHERE format = ?").bind(format.key()).execute(&mut **tx).await?;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT versions FROM evaluation_templates WHERE format = ?").bind(format.key()).fetch_optional(&mut **tx).await?;
        Ok(match stored {
            Some(json) => serde_json::from_str(&json)?,
            None => start.clone(),
        })
    }

    async fn keep_template(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, format: Format, versions: &Versions) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO evaluation_templates (format, versions, updated_ms) VALUES (?, ?, ?) \
             ON CONFLICT (format) DO UPDATE SET versions = excluded.versions, updated_ms = excluded.updated_ms",
        )
        .bind(format.key())
        .bind(serde_json::to_string(versions)?)
        .bind(crate::accounts::now_ms())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl TemplateStore for SqliteStore {
    async fn template(&self, format: Format) -> Result<Option<Versions>, StoreError> {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT versions FROM evaluation_templates WHERE format = ?").bind(format.key()).fetch_optional(&self.pool).await?;
        Ok(stored.map(|json| serde_json::from_str(&json)).transpose()?)
    }

    async fn edit_template(&self, format: Format, start: &Versions, form: &Form) -> Result<Result<FormVersion, EditError>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut versions = Self::stored_template(&mut tx, format, start).await?;
        let edited = versions.edit(form.clone());
        if edited.is_ok() {
            Self::keep_template(&mut tx, format, &versions).await?;
        }
        tx.commit().await?;
        Ok(edited)
    }

    async fn use_template(&self, format: Format, start: &Versions) -> Result<Option<(FormVersion, Form)>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut versions = Self::stored_template(&mut tx, format, start).await?;
        let used = versions.freeze();
        Self::keep_template(&mut tx, format, &versions).await?;
        tx.commit().await?;
        Ok(used)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_core::evaluation::{template, Localized};

    #[tokio::test]
    async fn a_template_is_edited_in_place_until_used_then_versioned_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        let format = Format::MidTerm;
        let code = template(format).form().cloned().unwrap();
        let start = Versions::new(code.clone()).unwrap();
        assert_eq!(store.template(format).await.unwrap(), None);
        let mut changed = code.clone();
        changed.questions[0].label = Localized::en("Changed once");
        assert_eq!(store.edit_template(format, &start, &changed).await.unwrap(), Ok(FormVersion(1)));
        changed.questions[0].label = Localized::en("Changed twice");
        assert_eq!(store.edit_template(format, &start, &changed).await.unwrap(), Ok(FormVersion(1)), "not used yet: in place");
        assert_eq!(store.use_template(format, &start).await.unwrap(), Some((FormVersion(1), changed.clone())));
        let mut again = changed.clone();
        again.questions[0].label = Localized::en("After use");
        assert_eq!(store.edit_template(format, &start, &again).await.unwrap(), Ok(FormVersion(2)), "used: a new version");
        let kept = store.template(format).await.unwrap().unwrap();
        assert_eq!((kept.len(), kept.get(FormVersion(1))), (2, Some(&changed)));
        assert!(matches!(store.edit_template(format, &start, &Form::default()).await.unwrap(), Err(EditError::Invalid(_))));
        assert_eq!(store.template(format).await.unwrap(), Some(kept), "a refused edit writes nothing");
        assert_eq!(store.template(Format::IndividualInternal).await.unwrap(), None, "other formats untouched");
    }
}
