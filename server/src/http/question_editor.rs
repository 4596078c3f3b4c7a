//! The question editor's server half (`app::evaluations::QuestionEditorPage`, issue 15): the
//! editor as the Secretariat opens it, and `POST /evaluations/{id}/questions`, its plain form.
//! A save goes through [`crate::evaluations::Evaluations::edit_form`] (the freezing rule) and
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
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use desk_core::evaluation::{template, EditError, Form, FormFields, Step};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Renders the editor page for a request, with the editor as the post left it.
pub type Render = Arc<dyn Fn(QuestionEditor, Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// Evaluation `id` and its Secretariat reader, when the session may edit its questions: the
/// Secretariat only (others: not found, as its results), and a format answered as questions
/// (the collective internal evaluation and the outcome report are documents: refused).
pub async fn editable(
    evaluations: &Evaluations,
    accounts: &Accounts,
    gate: &crate::gate::Gate,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Signed, EvaluationRow), BackendError> {
    let token = crate::cookies::token_in(headers).ok_or(BackendError::SignedOut)?;
    let who = accounts.signed(&token).await.map_err(BackendError::internal)?.ok_or(BackendError::SignedOut)?;
    let row = evaluations.get(id).await?;
    let visible = crate::evaluations::activity_visible(gate, &crate::gate::Credential::session(Some(token)), &row.activity).await;
    if !is_secretariat(&who.principal) || !visible {
        return Err(EvaluationError::NotFound.into());
    }
    if template(row.format).form().is_none() {
        return Err(BackendError::Refused(format!("The {} is written as a document: it has no questions to edit.", row.format.name())));
    }
    Ok((who, row))
}

/// The editor of `row` showing `fields` (its saved questions when `None`), the digest `base`
/// (the saved questions' when `None`), `problems` and what a step did.
pub fn editor_of(row: &EvaluationRow, fields: Option<FormFields>, base: Option<String>, problems: Vec<String>, done: Option<String>) -> QuestionEditor {
    let (version, form) = row.versions.current().map(|(v, f)| (v, f.clone())).unwrap_or_else(|| (desk_core::evaluation::FormVersion(0), Form::default()));
    QuestionEditor {
        id: row.id.clone(),
        title: row.title.clone(),
        version,
        frozen: row.versions.is_frozen(),
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

/// `POST /evaluations/{id}/questions` (fields: `desk_core::evaluation::FormFields::posted`,
/// `base`, and `step`: `save`, `add`, `remove-<n>`, `up-<n>`).
pub async fn post(state: AppState, headers: HeaderMap, uri: Uri, id: String, body: Bytes, render: Render) -> Result<Response, ApiError> {
    if !crate::cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Edit questions from this site's own page.".into()));
    }
    let (who, row) = match editable(&state.evaluations, &state.accounts, &state.gate, &headers, &id).await {
        Err(BackendError::SignedOut) => return Ok(Redirect::to(&format!("/sign-in?next=/evaluations/{id}/questions")).into_response()),
        Err(BackendError::NotFound(_)) => return Err(EvaluationError::NotFound.into()),
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
            let current = editor_of(&row, None, None, vec![], None);
            if base != current.base {
                let why = format!(
                    "Someone else saved these questions while you were editing them (they are version {} now). Yours are below, not saved: open the questions in another tab to compare, and save again to replace theirs with yours.",
                    current.version
                );
                editor_of(&row, Some(fields), Some(current.base), vec![why], None)
            } else {
                let problems = match fields.form() {
                    Err(problems) => problems,
                    Ok(form) => match state.evaluations.edit_form(&id, &form).await {
                        Ok(version) => {
                            state.accounts.audit("evaluation-form-edited", Some(who.account.id), &format!("{id} version {version}")).await;
                            return Ok(Redirect::to(&format!("/evaluations/{id}/questions?saved={version}#saved")).into_response());
                        }
                        Err(EvaluationError::BadForm(EditError::Invalid(errors))) => errors.iter().map(|e| sentence(&e.to_string())).collect(),
                        Err(other) => return Err(other.into()),
                    },
                };
                editor_of(&row, Some(fields), Some(base), problems, None)
            }
        }
        step => {
            fields.step(step);
            let count = fields.questions.len();
            editor_of(&row, Some(fields), Some(base), vec![], done(step, count))
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
