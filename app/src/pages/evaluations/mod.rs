//! Evaluations (issue 15): the list with its filters and, for the Secretariat, the form that
//! creates one (`/evaluations`, `list.rs`); one evaluation's results, charts drawn on the
//! server with their data tables, the CSV and the participants' link and QR code
//! (`/evaluations/{id}`, `report.rs`, `chart.rs`); and the questionnaire a participant answers
//! through its link (`/answer/{secret}`, `answer.rs`, `field.rs`); the Secretariat's editor of
//! an evaluation's questions and of the templates (`/evaluations/{id}/questions`,
//! `/templates/{format}`, `questions.rs`); the outcome evaluation,
//! one report per activity (`/outcomes/{activity}`, `outcome.rs`) and the compliance view
//! over all of them (`/compliance`, `compliance.rs`). Every page is rendered on
//! the server and its forms post plainly, so all of it works without JavaScript and adds
//! nothing to the browser's wasm (these are not islands). The server answers through
//! [`EvaluationDesk`], checked against the request like its JSON API.

mod activity;
mod answer;
mod chart;
mod compliance;
mod field;
mod list;
mod outcome;
mod own;
mod questions;
mod report;
mod unsent;

pub use activity::{ActivityEvaluations, PriorityEvaluated, SharedEvaluations};
pub use answer::{get_questionnaire, AnswerPage};
pub use compliance::{get_compliance, Cell, CompliancePage, CompliancePriority, ComplianceRow, ComplianceView};
pub use list::{get_evaluations, EvaluationsPage};
pub use outcome::{get_outcome, OutcomePage, OutcomeView, NO_SUCH_OUTCOME};
pub use own::{get_own_answer, OwnAnswerPage};
pub use questions::{get_question_editor, get_template_editor, PostedEditor, QuestionEditor, QuestionEditorPage, TemplateEditorPage};
pub use report::{get_evaluation, EvaluationPage};
pub use unsent::UnsentAnswers;

use crate::evaluation::{Answers, Form, FormVersion, Results};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The evaluation pages' own stylesheet (`public/evaluations.css`), linked from their head
/// only: the stylesheet every page loads first does not grow with them.
#[component]
fn EvaluationStyles() -> impl IntoView {
    view! { <leptos_meta::Stylesheet id="evaluations" href="/evaluations.css"/> }
}

/// What the server says of an evaluation id or a participants' link that opens nothing the
/// session may see (the pages answer 404 with it).
pub const NO_SUCH_EVALUATION: &str = "There is no such evaluation, or it is not yours to see.";
/// What the template editor says of a template that is none, or not the session's to edit.
pub const NO_SUCH_TEMPLATE: &str = "There is no such template, or it is not yours to edit: the Secretariat's managers edit the templates.";
pub const NO_SUCH_LINK: &str = "This link opens no questionnaire: check that it was copied whole.";

/// Why a questionnaire's plain form came back refused (`?refused=<code>`): its answers need
/// attention (shown from the kept draft), some could not be read (`&q=<ids>`), it is not open
/// yet, the form changed, or too many new respondents from one address just now.
/// `account`: a signed-in form opened by another account than the one signed in now.
pub const REFUSED_CODES: [&str; 6] = ["answers", "unreadable", "early", "version", "busy", "account"];

/// "1 answer", "3 answers".
fn answers(count: u32) -> String {
    match count {
        1 => "1 answer".to_owned(),
        n => format!("{n} answers"),
    }
}

/// Where an evaluation stands today: not open yet, open, or closed (answers written offline
/// before still arrive, marked late).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Upcoming,
    Open,
    Closed,
}

impl Status {
    /// `today`, `opens` and `closes` as `yyyy-mm-dd` (they compare as text).
    pub fn of(today: &str, opens: &str, closes: &str) -> Self {
        if today < opens {
            Self::Upcoming
        } else if today > closes {
            Self::Closed
        } else {
            Self::Open
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::Upcoming => "not open yet",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

/// One evaluation in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationItem {
    pub id: String,
    pub title: String,
    /// The action or permanent activity (its id and name) and, for an action, its priority's id.
    pub activity: String,
    pub activity_name: String,
    pub priority: Option<String>,
    /// A `Format` key, and its name.
    pub format: String,
    pub format_name: String,
    pub opens: String,
    pub closes: String,
    pub status: Status,
    /// Respondents counted (their latest submission to the current version).
    pub responses: u32,
    /// Its latest results in a line ("“Overall usefulness”: 4.2 of 5 (12 answered)", see
    /// `desk_core::evaluation::headline`), when they may be shown and a rating was answered.
    pub headline: Option<String>,
}

/// What the evaluations page shows: the evaluations the session may read, and whether it may
/// create one (the Secretariat).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationList {
    pub items: Vec<EvaluationItem>,
    pub may_create: bool,
    /// The programme's thematic priorities (id, "1. Good governance"), for the filter.
    pub priorities: Vec<(String, String)>,
    /// Every action and permanent activity (id, name), for the creation form.
    pub activities: Vec<(String, String)>,
    /// Each activity's outcome report in a line, for those who read them (the Secretariat
    /// and the PCs; empty for others), saved ones only.
    pub outcomes: Vec<OutcomeLine>,
    /// The templates the session edits (the Secretariat's managers; empty for others):
    /// (format key, format name, current version).
    #[serde(default)]
    pub templates: Vec<(String, String, u32)>,
}

/// An activity's outcome report in a line: "2 of 3 expected outputs delivered, 1 partly".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeLine {
    pub activity: String,
    pub words: String,
}

/// One evaluation's results page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationReport {
    pub item: EvaluationItem,
    pub version: FormVersion,
    pub form: Form,
    /// Of the responses counted, how many arrived after the closing date.
    pub late: u32,
    /// Respondents the figures count, and submissions they do not count yet: an open
    /// anonymous questionnaire's figures move 3 submissions at a time
    /// (`desk_core::evaluation::published`); otherwise `item.responses` and 0.
    pub figures_from: u32,
    pub waiting: u32,
    /// "2 of 10 delegations answered." where it is known how many could answer (the mid-term
    /// evaluation, out of the Secretariat's list of delegations).
    pub rate: Option<String>,
    /// `None` while hidden (an anonymous questionnaire under 3 answers).
    pub results: Option<Results>,
    /// The participants' link (a path) for the Secretariat, for a questionnaire.
    pub link: Option<String>,
    /// Whether the session may download the CSV (the Secretariat).
    pub may_export: bool,
    /// Whether the session answers this evaluation (`/evaluations/{id}/answer`).
    pub may_answer: bool,
    /// Whether the session may adjust its questions (`/evaluations/{id}/questions`: the
    /// Secretariat, for a format answered as questions).
    #[serde(default)]
    pub may_edit_questions: bool,
}

/// A questionnaire as its participant sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionnaireView {
    pub title: String,
    pub activity_name: String,
    pub opens: String,
    pub closes: String,
    pub status: Status,
    pub version: FormVersion,
    pub form: Form,
    /// What this browser posted last and was refused, kept.
    pub draft: Option<Answers>,
    /// Whether this respondent's answer is recorded.
    pub answered: bool,
    /// Who answers, for a signed-in respondent ("your delegation, Malta"); `None` for an
    /// anonymous questionnaire.
    pub answering_as: Option<String>,
    /// The signed-in account answering (the form names it, so that an answer kept offline is
    /// never recorded for another account signed in later); `None` for a questionnaire.
    pub account: Option<i64>,
}

/// The server's answers to the evaluation pages. Server-only.
#[cfg(feature = "ssr")]
pub trait EvaluationDesk: Send + Sync + 'static {
    /// The evaluations `request`'s session may read; [`crate::backend::BackendError::SignedOut`]
    /// without a session.
    fn evaluations(&self, request: http::HeaderMap) -> crate::backend::BoxFuture<Result<EvaluationList, crate::backend::BackendError>>;
    /// Evaluation `id`'s results, if the session may read them (else not found).
    fn evaluation(&self, request: http::HeaderMap, id: String) -> crate::backend::BoxFuture<Result<EvaluationReport, crate::backend::BackendError>>;
    /// The questionnaire behind a participants' link, as the request's browser (its
    /// respondent key) sees it.
    fn questionnaire(&self, request: http::HeaderMap, secret: String) -> crate::backend::BoxFuture<Result<QuestionnaireView, crate::backend::BackendError>>;
    /// Evaluation `id`'s form as the signed-in session answers it (a Secretariat member the
    /// individual internal evaluation, a PC the mid-term one for its delegation), or why not.
    fn own_answer(&self, request: http::HeaderMap, id: String) -> crate::backend::BoxFuture<Result<QuestionnaireView, crate::backend::BackendError>>;
    /// Activity `activity`'s outcome report (revision `revision` of it, read-only, when given),
    /// if the session may read it (else not found, with [`NO_SUCH_OUTCOME`]).
    fn outcome(
        &self,
        request: http::HeaderMap,
        activity: String,
        revision: Option<u64>,
    ) -> crate::backend::BoxFuture<Result<OutcomeView, crate::backend::BackendError>>;
    /// The compliance view of the activities the session may see, for the Secretariat and
    /// the PCs ([`crate::backend::BackendError::Refused`] for others).
    fn compliance(&self, request: http::HeaderMap) -> crate::backend::BoxFuture<Result<ComplianceView, crate::backend::BackendError>>;
    /// Evaluation `id`'s questions as the editor shows them, for the Secretariat (others: not
    /// found; a format written as a document: [`crate::backend::BackendError::Refused`]).
    fn question_editor(&self, request: http::HeaderMap, id: String) -> crate::backend::BoxFuture<Result<QuestionEditor, crate::backend::BackendError>>;
    /// The template of `format` (a `Format` key) as the editor shows it, for the
    /// Secretariat's managers (others, and formats written as documents: not found).
    fn template_editor(&self, request: http::HeaderMap, format: String) -> crate::backend::BoxFuture<Result<QuestionEditor, crate::backend::BackendError>>;
}

/// The server's [`EvaluationDesk`], provided as context to server functions and rendering.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct EvaluationDeskContext(pub std::sync::Arc<dyn EvaluationDesk>);

/// The desk and the request's headers a server function starts from.
#[cfg(feature = "ssr")]
fn desk() -> Result<(std::sync::Arc<dyn EvaluationDesk>, http::HeaderMap), crate::backend::BackendError> {
    use leptos::prelude::use_context;
    let desk = use_context::<EvaluationDeskContext>().ok_or_else(|| crate::backend::BackendError::internal("no evaluation desk in the rendering context"))?.0;
    let headers = use_context::<http::request::Parts>().map(|parts| parts.headers).unwrap_or_default();
    Ok((desk, headers))
}
