//! What the server asks of its database for the evaluation templates the Secretariat's
//! managers edit (issue 15): one [`Versions`] per format answered as questions. A format
//! nobody edited or used yet has no row; its template is then the one in the code, which the
//! caller passes in as `start`. Each change is one transaction.

use super::StoreError;
use async_trait::async_trait;
use desk_core::evaluation::{EditError, Form, FormVersion, Format, Versions};

#[async_trait]
pub trait TemplateStore: Send + Sync + 'static {
    /// The template's versions as stored, `None` when none are.
    async fn template(&self, format: Format) -> Result<Option<Versions>, StoreError>;
    /// `Versions::edit` of `form` on the template as stored then (`start` when none is):
    /// the current version replaced while no evaluation was made from it, else a new one.
    async fn edit_template(&self, format: Format, start: &Versions, form: &Form) -> Result<Result<FormVersion, EditError>, StoreError>;
    /// The template's current version for a new evaluation, frozen from now on
    /// (`Versions::freeze` on the template as stored then, `start` when none is).
    async fn use_template(&self, format: Format, start: &Versions) -> Result<Option<(FormVersion, Form)>, StoreError>;
}
