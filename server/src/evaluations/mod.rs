//! Evaluations on the server (issue 15): creating one for an activity from its format's
//! template, the participants' link of a post-activity questionnaire, respondents and
//! submissions checked again here (`submit.rs`), and results and the CSV export
//! (`export.rs`). The rules of forms, answers and results are `desk_core::evaluation`'s; the
//! rows are an [`EvaluationStore`]'s.
//!
//! Decisions: an evaluation's id is a slug chosen by the Secretariat (it names the
//! evaluation in addresses); the participants' link secret is derived from the evaluation's
//! id under a server secret (HMAC), so the Secretariat can show it again (on a slide, as a QR
//! code) while the database keeps only its digest; the collective internal evaluation and the
//! outcome evaluation are documents (sections, the outcome report), not questionnaires: the
//! collective one is not built yet; the outcome report is one per activity, kept in
//! revisions (`outcome.rs`).

mod export;
pub mod live;
pub mod outcome;
pub mod respondent;
pub mod submit;

pub use export::{csv_of, results_of, ResultsView};
pub use submit::{today_and_now, Respondent, SubmitOutcome};

use crate::accounts::Accounts;
use crate::store::evaluations::{EvaluationRow, EvaluationStore};
use crate::store::StoreError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use desk_core::evaluation::{check_occasion, template, Format, OccasionProblem, Versions};
use desk_core::model::{is_slug, Programme};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Why an evaluation could not be made, found or answered. Texts are for the person.
#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    #[error("{0}")]
    Invalid(OccasionProblem),
    #[error("there is no such evaluation")]
    NotFound,
    #[error("{0}")]
    Refused(String),
    /// An outcome report that cannot be kept as it is (rows the activity does not expect).
    #[error("{0}")]
    BadReport(String),
    /// A form that cannot be used (each problem in words).
    #[error("{0}")]
    BadForm(desk_core::evaluation::EditError),
    /// Others kept saving the same report at the same moment.
    #[error("several people saved this report at the same moment: save again (what you typed is still in the form; go back to it)")]
    Contended,
    #[error("too many new respondents from this address just now: wait a minute and try again")]
    TooManyNewRespondents,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the Secretariat asks for: JSON `{"id", "title", "activity", "format", "opens", "closes"}`,
/// `format` a [`Format`] key, the dates `yyyy-mm-dd`.
#[derive(Clone, Debug, Deserialize)]
pub struct NewEvaluation {
    pub id: String,
    pub title: String,
    pub activity: String,
    pub format: String,
    pub opens: String,
    pub closes: String,
}

/// An evaluation as the API shows it. JSON: `{"id", "title", "activity", "format", "opens",
/// "closes", "version", "frozen"}`.
#[derive(Clone, Debug, Serialize)]
pub struct EvaluationSummary {
    pub id: String,
    pub title: String,
    pub activity: String,
    pub format: Format,
    pub opens: String,
    pub closes: String,
    /// The current form version.
    pub version: u32,
    /// Whether a submission to it was accepted (its questions can no longer change).
    pub frozen: bool,
}

impl From<&EvaluationRow> for EvaluationSummary {
    fn from(row: &EvaluationRow) -> Self {
        Self {
            id: row.id.clone(),
            title: row.title.clone(),
            activity: row.activity.clone(),
            format: row.format,
            opens: row.opens.clone(),
            closes: row.closes.clone(),
            version: row.versions.current().map_or(0, |(v, _)| v.0),
            frozen: row.versions.is_frozen(),
        }
    }
}

/// The evaluations: their store, the programme (activities must exist) and the accounts
/// (the server secret behind participants' links).
#[derive(Clone)]
pub struct Evaluations {
    store: Arc<dyn EvaluationStore>,
    programme: Arc<Programme>,
    accounts: Accounts,
    keys: Arc<respondent::KeyLimiter>,
    live: live::Live,
}

impl Evaluations {
    pub fn new(store: Arc<dyn EvaluationStore>, programme: Arc<Programme>, accounts: Accounts) -> Self {
        Self { store, programme, accounts, keys: Arc::new(respondent::KeyLimiter::default()), live: live::Live::default() }
    }

    /// Checks `new` and stores it with its format's template as version 1 of its form
    /// (editable until the first submission). The caller checked that the Secretariat asks.
    pub async fn create(&self, new: NewEvaluation, created_by: Option<i64>) -> Result<EvaluationSummary, EvaluationError> {
        let (format, title) =
            check_occasion(&self.programme, &new.id, &new.title, &new.activity, &new.format, &new.opens, &new.closes).map_err(EvaluationError::Invalid)?;
        let start = Self::code_template(format).ok_or(EvaluationError::Invalid(OccasionProblem::Document))??;
        let (_, form) =
            self.store.use_template(format, &start).await?.ok_or_else(|| StoreError::Corrupt(format!("the {} template has no version", format.name())))?;
        let versions = Versions::new(form).map_err(|e| EvaluationError::Store(StoreError::Corrupt(format!("the {} template: {e}", format.name()))))?;
        let link_hash = match format.respondents().anonymous() {
            true => Some(link_hash(&self.link_secret(&new.id).await?)),
            false => None,
        };
        let row = EvaluationRow {
            id: new.id.clone(),
            title,
            activity: new.activity,
            format,
            opens: new.opens,
            closes: new.closes,
            link_hash,
            versions,
            created_ms: crate::accounts::now_ms(),
        };
        if !self.store.create_evaluation(&row, created_by).await? {
            return Err(EvaluationError::Invalid(OccasionProblem::Taken));
        }
        Ok(EvaluationSummary::from(&row))
    }

    /// Makes `form` evaluation `id`'s current form (the Secretariat adjusting its questions):
    /// it replaces the current version until the first submission, and becomes a new version
    /// after (answers to the old one keep it, and results show one version at a time). Returns
    /// the version `form` now is. Only forms answered as questionnaires have one: the
    /// collective internal and outcome evaluations are documents.
    pub async fn edit_form(&self, id: &str, form: &desk_core::evaluation::Form) -> Result<desk_core::evaluation::FormVersion, EvaluationError> {
        let row = self.get(id).await?;
        if template(row.format).form().is_none() {
            return Err(Self::no_questions(row.format));
        }
        match self.store.edit_form(id, form).await? {
            None => Err(EvaluationError::NotFound),
            Some(edited) => edited.map_err(EvaluationError::BadForm),
        }
    }

    /// The template in the code for `format`, as version 1; `None` for a format written as a
    /// document (the collective internal evaluation, the outcome report).
    fn code_template(format: Format) -> Option<Result<Versions, EvaluationError>> {
        let form = match template(format) {
            desk_core::evaluation::Template::Questions { form } => form,
            _ => return None,
        };
        Some(Versions::new(form).map_err(|e| EvaluationError::Store(StoreError::Corrupt(format!("the {} template: {e}", format.name())))))
    }

    /// `format`'s template as new evaluations start from it: its versions as the Secretariat's
    /// managers left them (the code's until the first edit or use). Refused for a format
    /// written as a document.
    pub async fn template_versions(&self, format: Format) -> Result<Versions, EvaluationError> {
        let start = Self::code_template(format).ok_or_else(|| Self::no_questions(format))??;
        Ok(self.store.template(format).await?.unwrap_or(start))
    }

    /// Makes `form` `format`'s template (the caller checked that a Secretariat manager asks):
    /// it replaces the current version while no evaluation was made from it, else it becomes
    /// the next version. Returns the version `form` now is.
    pub async fn edit_template(&self, format: Format, form: &desk_core::evaluation::Form) -> Result<desk_core::evaluation::FormVersion, EvaluationError> {
        let start = Self::code_template(format).ok_or_else(|| Self::no_questions(format))??;
        self.store.edit_template(format, &start, form).await?.map_err(EvaluationError::BadForm)
    }

    fn no_questions(format: Format) -> EvaluationError {
        EvaluationError::Refused(format!("the {} is written as a document and has no questions to edit", format.name()))
    }

    /// Every evaluation, newest first.
    pub async fn rows(&self) -> Result<Vec<EvaluationRow>, EvaluationError> {
        Ok(self.store.evaluations().await?)
    }

    pub async fn get(&self, id: &str) -> Result<EvaluationRow, EvaluationError> {
        if !is_slug(id) {
            return Err(EvaluationError::NotFound);
        }
        self.store.evaluation(id).await?.ok_or(EvaluationError::NotFound)
    }

    /// The evaluation a participants' link secret opens.
    pub async fn by_link(&self, secret: &str) -> Result<EvaluationRow, EvaluationError> {
        if secret.is_empty() || secret.len() > 64 {
            return Err(EvaluationError::NotFound);
        }
        self.store.evaluation_by_link(&link_hash(secret)).await?.ok_or(EvaluationError::NotFound)
    }

    /// The participants' link secret of evaluation `id` (for the Secretariat to share; only
    /// a post-activity questionnaire's opens anything): base64url of HMAC-SHA256 of the id
    /// under the server's `evaluation-link-key`, 43 characters.
    pub async fn link_secret(&self, id: &str) -> Result<String, EvaluationError> {
        let key = self.accounts.server_secret("evaluation-link-key").await?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes keys of any length");
        mac.update(format!("evaluation-link:{id}").as_bytes());
        Ok(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    /// Where recorded answers are announced to the results pages following them.
    pub fn live(&self) -> &live::Live {
        &self.live
    }

    pub(crate) fn store(&self) -> &dyn EvaluationStore {
        self.store.as_ref()
    }
}

/// Whether `principal` may read the results of an evaluation of `format`: the Secretariat
/// every one; the Permanent Correspondents the mid-term evaluation's, aggregated (the issue's
/// rule). Callers also check [`activity_visible`].
pub fn may_read_results(principal: &desk_core::access::Principal, format: Format) -> bool {
    crate::accounts::is_secretariat(principal) || (format == Format::MidTerm && is_pc(principal))
}

/// Whether `principal` is a Permanent Correspondent: any role in that group (the Secretariat's
/// members count too, as everywhere in the access rule).
pub fn is_pc(principal: &desk_core::access::Principal) -> bool {
    principal.role_for(&desk_core::access::GroupId::new(desk_core::access::PERMANENT_CORRESPONDENTS)).is_some()
}

/// Whether the session behind `credential` may read evaluations of `activity` at all: an
/// evaluation follows its activity's ToR's visibility (the Airports Group's and the Precursor
/// network's are group material), on every channel.
pub async fn activity_visible(gate: &crate::gate::Gate, credential: &crate::gate::Credential, activity: &str) -> bool {
    match desk_core::doc::DocId::terms_of_reference(activity) {
        Ok(tor) => gate.may(credential, &tor, desk_core::access::Action::Read).await,
        Err(_) => false,
    }
}

/// What the database keeps of a link secret: its SHA-256.
fn link_hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// `address` as a QR code, an SVG document (black on white, at least 240 px, with the quiet
/// zone scanners need), for the participants' link on a slide.
pub fn link_qr(address: &str) -> Result<String, qrcode::types::QrError> {
    let code = qrcode::QrCode::new(address.as_bytes())?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build())
}
