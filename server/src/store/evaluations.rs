//! What the server asks of its database for evaluations (issue 15): the evaluations, each
//! with its form's versions, the accepted submissions and the refused drafts kept. The rules
//! (who may, what is valid, freezing) are `crate::evaluations`' and `desk_core::evaluation`'s;
//! a store only keeps rows and does each change in one transaction.

use super::StoreError;
use async_trait::async_trait;
use desk_core::evaluation::{Answers, EditError, Form, FormVersion, Format, Response, Submission, SubmissionError, Versions};

/// One evaluation as stored. Dates are `yyyy-mm-dd`.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationRow {
    /// A slug (`desk_core::model::is_slug`).
    pub id: String,
    pub title: String,
    /// The action or permanent activity evaluated (its programme id).
    pub activity: String,
    pub format: Format,
    pub opens: String,
    pub closes: String,
    /// SHA-256 of the participants' link secret, for a post-activity questionnaire.
    pub link_hash: Option<Vec<u8>>,
    pub versions: Versions,
    /// Milliseconds since the Unix epoch.
    pub created_ms: i64,
}

/// A submission to record: `accept` runs inside the store's transaction on the versions as
/// stored then (the freezing rule, `Versions::accept`), so two first submissions cannot both
/// see an unfrozen form.
pub struct NewSubmission {
    pub evaluation: String,
    pub respondent: String,
    /// A date (`yyyy-mm-dd`) for an anonymous questionnaire, else a timestamp (RFC 3339, UTC).
    pub submitted: String,
    pub late: bool,
    pub submission: Submission,
}

/// What recording a submission came to.
#[derive(Debug)]
pub enum Recorded {
    /// Accepted as this revision of the respondent's answer.
    Accepted { revision: u64 },
    /// Refused by the form's versions as stored (the draft was kept).
    Refused(SubmissionError),
    /// No such evaluation.
    NoEvaluation,
}

/// A recorded response and whether it arrived after the evaluation closed.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredResponse {
    pub response: Response,
    pub late: bool,
}

#[async_trait]
pub trait EvaluationStore: super::outcomes::OutcomeStore + super::templates::TemplateStore + Send + Sync + 'static {
    /// Adds `evaluation`; `false` (nothing written) when its id is taken.
    async fn create_evaluation(&self, evaluation: &EvaluationRow, created_by: Option<i64>) -> Result<bool, StoreError>;
    /// Every evaluation, newest first.
    async fn evaluations(&self) -> Result<Vec<EvaluationRow>, StoreError>;
    async fn evaluation(&self, id: &str) -> Result<Option<EvaluationRow>, StoreError>;
    /// The evaluation whose participants' link secret has this SHA-256 digest.
    async fn evaluation_by_link(&self, link_hash: &[u8]) -> Result<Option<EvaluationRow>, StoreError>;
    /// Checks and records `new` in one transaction (see [`NewSubmission`]); an accepted one
    /// removes the respondent's draft, a refused one keeps `new`'s answers as the draft.
    async fn record_submission(&self, new: &NewSubmission) -> Result<Recorded, StoreError>;
    /// Makes `form` the evaluation's current form in one transaction (`Versions::edit` on the
    /// versions as stored then: it replaces the current version until a submission froze it,
    /// else it becomes a new version); `None` when there is no such evaluation.
    async fn edit_form(&self, evaluation: &str, form: &Form) -> Result<Option<Result<FormVersion, EditError>>, StoreError>;
    /// Keeps `answers` as the respondent's draft (answers that could not be read as a
    /// submission at all, e.g. a rating of "abc").
    async fn save_draft(&self, evaluation: &str, respondent: &str, answers: &Answers) -> Result<(), StoreError>;
    /// The respondent's draft, if one is kept.
    async fn draft(&self, evaluation: &str, respondent: &str) -> Result<Option<Answers>, StoreError>;
    /// Every revision of every response, in arrival order: only to cut the published batches
    /// (`desk_core::evaluation::published`); nothing shown follows it (for an anonymous
    /// questionnaire, arrival order could tell who answered).
    async fn responses(&self, evaluation: &str) -> Result<Vec<StoredResponse>, StoreError>;
    /// The respondent's latest revision, if any (so a browser sees it already answered).
    async fn latest_revision(&self, evaluation: &str, respondent: &str) -> Result<Option<u64>, StoreError>;
}
