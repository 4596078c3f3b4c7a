//! The question editor's server half (`app::evaluations::QuestionEditorPage` and
//! `TemplateEditorPage`, issue 15): the editor as the Secretariat opens it, and its plain
//! form's post, `POST /evaluations/{id}/questions` (an evaluation's questions, the Secretariat)
//! and `POST /templates/{format}` (a template, the Secretariat's managers). A save goes through
//! [`crate::evaluations::Evaluations::edit_form`] or `edit_template` (the freezing rules) and
//! comes back to the page with `?saved=<version>`; a step (add, remove, move up) and a refused
//! save render the page again from what was posted, nothing stored, so what was typed is
//! never lost and never half saved.
//!
//! Two people editing at once: the form carries a digest of the questions it started from,
//! and a save whose questions changed meanwhile is refused with the editor's own version kept
//! (saving again then replaces the other's, knowingly).

use super::{ApiError, AppState};
use crate::accounts::{is_secretariat, Accounts, Signed};
use crate::evaluations::{EvaluationError, Evaluations};
use crate::store::evaluations::EvaluationRow;
use app::backend::BackendError;
use app::evaluations::QuestionEditor;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use desk_core::evaluation::{template, EditError, Form, FormFields, FormVersion, Format, Step, Versions};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Renders the editor page for a request, with the editor as the post left it.
pub type Render = Arc<dyn Fn(QuestionEditor, Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// What an editor edits: an evaluation's questions, or the template of a format.
pub enum Subject {
    Evaluation(EvaluationRow),
    Template(Format, Versions),
}

impl Subject {
    fn versions(&self) -> &Versions {
        match self {
            Self::Evaluation(row) => &row.versions,
            Self::Template(_, versions) => versions,
        }
    }

    fn action(&self) -> String {
        match self {
            Self::Evaluation(row) => format!("/evaluations/{}/questions", row.id),
            Self::Template(format, _) => format!("/templates/{}", format.key()),
        }
    }

    /// What saving version `version` will do, frozen or not.
    fn note(&self, version: u32, frozen: bool) -> String {
        let next = version + 1;
        match (self, frozen) {
            (Self::Evaluation(_), false) => format!("Version {version} has no answers yet: saving changes it in place."),
            (Self::Evaluation(_), true) => format!(
                "Version {version} has answers, so its questions stay as they were answered. Saving makes version {next}: answers from then on answer it, and the results show one version at a time."
            ),
            (Self::Template(..), false) => {
                format!("Version {version} of this template has not been used for an evaluation yet: saving changes it in place. Evaluations made from now on start from it.")
            }
            (Self::Template(..), true) => format!(
                "Version {version} of this template was used for an evaluation, so it stays as it was. Saving makes version {next}, which evaluations made from then on start from; those made before keep their own questions."
            ),
        }
    }

    async fn save(&self, evaluations: &Evaluations, form: &Form) -> Result<FormVersion, EvaluationError> {
        match self {
            Self::Evaluation(row) => evaluations.edit_form(&row.id, form).await,
            Self::Template(format, _) => evaluations.edit_template(*format, form).await,
        }
    }
}

/// The signed-in account of `headers`.
async fn signed(accounts: &Accounts, headers: &HeaderMap) -> Result<Signed, BackendError> {
    let token = crate::cookies::token_in(headers).ok_or(BackendError::SignedOut)?;
    accounts.signed(&token).await.map_err(BackendError::internal)?.ok_or(BackendError::SignedOut)
}

/// Evaluation `id` and its Secretariat reader, when the session may edit its questions: the
/// Secretariat only (others: not found, as its results), and a format answered as questions
/// (the collective internal evaluation and the outcome report are documents: refused).
pub async fn evaluation_subject(
    evaluations: &Evaluations,
    accounts: &Accounts,
    gate: &crate::gate::Gate,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Signed, Subject), BackendError> {
    let who = signed(accounts, headers).await?;
    let row = evaluations.get(id).await?;
    let visible = crate::evaluations::activity_visible(gate, &crate::gate::Credential::session(crate::cookies::token_in(headers)), &row.activity).await;
    if !is_secretariat(&who.principal) || !visible {
        return Err(EvaluationError::NotFound.into());
    }
    if template(row.format).form().is_none() {
        return Err(BackendError::Refused(format!("The {} is written as a document: it has no questions to edit.", row.format.name())));
    }
    Ok((who, Subject::Evaluation(row)))
}

/// The template of the format keyed `key`, for a Secretariat manager (others, unknown formats
/// and formats written as documents: not found).
pub async fn template_subject(evaluations: &Evaluations, accounts: &Accounts, headers: &HeaderMap, key: &str) -> Result<(Signed, Subject), BackendError> {
    let who = signed(accounts, headers).await?;
    let format = Format::from_key(key).filter(|f| matches!(template(*f), desk_core::evaluation::Template::Questions { .. }));
    let (true, Some(format)) = (is_secretariat_manager(&who.principal), format) else {
        return Err(BackendError::NotFound(app::evaluations::NO_SUCH_TEMPLATE.into()));
    };
    let versions = evaluations.template_versions(format).await?;
    Ok((who, Subject::Template(format, versions)))
}

/// Whether `principal` manages the Secretariat (and so edits the templates).
pub fn is_secretariat_manager(principal: &desk_core::access::Principal) -> bool {
    principal.role_for(&desk_core::access::GroupId::new(desk_core::access::SECRETARIAT)) == Some(desk_core::access::Role::Manager)
}

/// The editor of `subject` showing `fields` (its saved questions when `None`), the digest
/// `base` (the saved questions' when `None`), `problems` and what a step did.
pub fn editor_of(subject: &Subject, fields: Option<FormFields>, base: Option<String>, problems: Vec<String>, done: Option<String>) -> QuestionEditor {
    let versions = subject.versions();
    let (version, form) = versions.current().map(|(v, f)| (v, f.clone())).unwrap_or_else(|| (FormVersion(0), Form::default()));
    let frozen = versions.is_frozen();
    let (title, results) = match subject {
        Subject::Evaluation(row) => (row.title.clone(), Some(format!("/evaluations/{}", row.id))),
        Subject::Template(format, _) => (format!("{} (template)", format.name()), None),
    };
    QuestionEditor {
        action: subject.action(),
        title,
        results,
        note: subject.note(version.0, frozen),
        version,
        frozen,
        fields: fields.unwrap_or_else(|| FormFields::of(&form)),
        base: base.unwrap_or_else(|| digest(&form)),
        problems,
        done,
    }
}

/// 16 hexadecimal digits of the SHA-256 of the form's JSON: enough to tell two versions of
/// one form apart.
fn digest(form: &Form) -> String {
    let json = serde_json::to_vec(form).unwrap_or_default();
    Sha256::digest(json).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// What a step did, for the page's status line.
fn done(step: Step, count: usize) -> Option<String> {
    match step {
        Step::Save => None,
        Step::Add => Some(format!("Question {count} added at the end, not saved yet.")),
        Step::Remove(at) => Some(format!("Question {} removed, not saved yet: saving removes it from the form.", at + 1)),
        Step::Up(at) => Some(format!("Question {} moved up to {at}, not saved yet.", at + 1)),
    }
}

/// `POST /evaluations/{id}/questions`.
pub async fn post_evaluation(
    State(state): State<AppState>,
    Extension(render): Extension<Render>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let found = evaluation_subject(&state.evaluations, &state.accounts, &state.gate, &headers, &id).await;
    post(&state, headers, uri, body, render, found, &format!("/evaluations/{id}/questions")).await
}

/// `POST /templates/{format}`.
pub async fn post_template(
    State(state): State<AppState>,
    Extension(render): Extension<Render>,
    headers: HeaderMap,
    uri: Uri,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let found = template_subject(&state.evaluations, &state.accounts, &headers, &key).await;
    post(&state, headers, uri, body, render, found, &format!("/templates/{key}")).await
}

/// The editor's post (fields: `desk_core::evaluation::FormFields::posted`, `base`, and
/// `step`: `save`, `add`, `remove-<n>`, `up-<n>`) to `page`, for the subject `found`.
async fn post(
    state: &AppState,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
    render: Render,
    found: Result<(Signed, Subject), BackendError>,
    page: &str,
) -> Result<Response, ApiError> {
    if !crate::cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Edit questions from this site's own page.".into()));
    }
    let (who, subject) = match found {
        Err(BackendError::SignedOut) => return Ok(Redirect::to(&format!("/sign-in?next={page}")).into_response()),
        Err(BackendError::NotFound(why)) => return Err(ApiError::NotFound(why)),
        Err(BackendError::Refused(why)) => return Err(ApiError::Forbidden(why)),
        Err(BackendError::Internal(why)) => return Err(ApiError::Internal(why)),
        Ok(found) => found,
    };
    let posted: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let value = |name: &str| posted.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let step = value("step").as_deref().and_then(Step::parse).unwrap_or(Step::Save);
    let base = value("base").unwrap_or_default();
    let mut fields = FormFields::posted(&posted);
    let editor = match step {
        Step::Save => {
            let current = editor_of(&subject, None, None, vec![], None);
            if base != current.base {
                let why = format!(
                    "Someone else saved these questions while you were editing them (they are version {} now). Yours are below, not saved: open the questions in another tab to compare, and save again to replace theirs with yours.",
                    current.version
                );
                editor_of(&subject, Some(fields), Some(current.base), vec![why], None)
            } else {
                let problems = match fields.form() {
                    Err(problems) => problems,
                    Ok(form) => match subject.save(&state.evaluations, &form).await {
                        Ok(version) => {
                            state.accounts.audit("evaluation-form-edited", Some(who.account.id), &format!("{} version {version}", subject.action())).await;
                            return Ok(Redirect::to(&format!("{}?saved={version}#saved", subject.action())).into_response());
                        }
                        Err(EvaluationError::BadForm(EditError::Invalid(errors))) => errors.iter().map(|e| sentence(&e.to_string())).collect(),
                        Err(other) => return Err(other.into()),
                    },
                };
                editor_of(&subject, Some(fields), Some(base), problems, None)
            }
        }
        step => {
            fields.step(step);
            let count = fields.questions.len();
            editor_of(&subject, Some(fields), Some(base), vec![], done(step, count))
        }
    };
    let refused = !editor.problems.is_empty();
    let mut request = Request::builder().method(Method::GET).uri(uri).body(Body::empty()).map_err(|e| ApiError::Internal(e.to_string()))?;
    *request.headers_mut() = headers;
    request.headers_mut().remove(header::CONTENT_TYPE);
    request.headers_mut().remove(header::CONTENT_LENGTH);
    let mut response = render(editor, request).await;
    if refused && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `text` with a capital first letter.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
