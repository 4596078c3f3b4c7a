//! The freezing rule: a form can be edited until its first submission; after that its
//! questions are frozen, and a change makes a new version. Every answer records the version it
//! answers, and a submission is accepted only for the current version, so results (one
//! version at a time) never mix versions.

use super::answer::Submission;
use super::check::FormError;
use super::form::{Form, FormVersion};
use super::validate::{validate, Problem};
use serde::{Deserialize, Serialize};

/// Every version of one evaluation's (or template's) form, oldest first: version `n` is the
/// `n`th. Only the last, the current one, may still change, and only until it is frozen.
///
/// JSON: `{"versions": [{"form": Form, "frozen": bool}, …]}` (version numbers are
/// positions, so they cannot disagree).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Versions {
    versions: Vec<Stored>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Stored {
    form: Form,
    /// Whether a submission to it was accepted.
    #[serde(default)]
    frozen: bool,
}

/// Why a form could not be saved as a version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "problems", rename_all = "snake_case")]
pub enum EditError {
    #[error("the form cannot be used: {}", join(.0))]
    Invalid(Vec<FormError>),
    #[error("there is no form version to edit")]
    Empty,
}

/// Why a submission was refused. The respondent's draft is kept in every case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum SubmissionError {
    #[error(
        "these answers were written for version {answered} of the form, which has changed since (it is now version {current}); \
         your answers are kept: check them against the current questions and submit again"
    )]
    OldVersion { answered: FormVersion, current: FormVersion },
    #[error("version {answered} of this form does not exist (the current one is version {current})")]
    UnknownVersion { answered: FormVersion, current: FormVersion },
    #[error("some answers need attention: {}", join(.problems))]
    Invalid { problems: Vec<Problem> },
    #[error("this form has no version yet")]
    NoForm,
}

fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join("; ")
}

impl Versions {
    /// Version 1, still editable.
    pub fn new(form: Form) -> Result<Self, EditError> {
        form.check().map_err(EditError::Invalid)?;
        Ok(Self { versions: vec![Stored { form, frozen: false }] })
    }

    /// The current version and its form; `None` only for a stored value with no version.
    pub fn current(&self) -> Option<(FormVersion, &Form)> {
        let last = self.versions.last()?;
        Some((FormVersion(self.versions.len() as u32), &last.form))
    }

    /// Version `version`'s form.
    pub fn get(&self, version: FormVersion) -> Option<&Form> {
        let at = (version.0 as usize).checked_sub(1)?;
        self.versions.get(at).map(|s| &s.form)
    }

    /// How many versions there are.
    pub fn len(&self) -> usize {
        self.versions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// Whether the current version is frozen (a submission to it was accepted).
    pub fn is_frozen(&self) -> bool {
        self.versions.last().is_some_and(|s| s.frozen)
    }

    /// Makes `form` the current form: it replaces the current version while nobody has
    /// submitted to it, else it becomes a new version. The same form as the current one
    /// changes nothing. Returns the version `form` now is; a form that fails
    /// [`Form::check`] is refused and nothing changes.
    pub fn edit(&mut self, form: Form) -> Result<FormVersion, EditError> {
        form.check().map_err(EditError::Invalid)?;
        let Some(last) = self.versions.last_mut() else { return Err(EditError::Empty) };
        if last.form != form {
            if last.frozen {
                self.versions.push(Stored { form, frozen: false });
            } else {
                last.form = form;
            }
        }
        Ok(FormVersion(self.versions.len() as u32))
    }

    /// Whether `submission` may be accepted: it answers the current version, and its answers
    /// pass [`validate`] against it.
    pub fn check(&self, submission: &Submission) -> Result<(), SubmissionError> {
        let (current, form) = self.current().ok_or(SubmissionError::NoForm)?;
        let answered = submission.form_version;
        if answered < current && answered.0 >= 1 {
            return Err(SubmissionError::OldVersion { answered, current });
        }
        if answered != current {
            return Err(SubmissionError::UnknownVersion { answered, current });
        }
        validate(form, &submission.answers).map_err(|problems| SubmissionError::Invalid { problems })
    }

    /// Freezes the current version without a submission, and returns it with its form: a
    /// template's version once an evaluation was made from it (the server's rule), so that
    /// what an evaluation started from is never changed in place. `None` with no version.
    pub fn freeze(&mut self) -> Option<(FormVersion, Form)> {
        let last = self.versions.last_mut()?;
        last.frozen = true;
        let form = last.form.clone();
        Some((FormVersion(self.versions.len() as u32), form))
    }

    /// [`Versions::check`], and on success freezes the current version: the server calls
    /// this as it records a submission, in the same transaction. Returns the version answered.
    pub fn accept(&mut self, submission: &Submission) -> Result<FormVersion, SubmissionError> {
        self.check(submission)?;
        if let Some(last) = self.versions.last_mut() {
            last.frozen = true;
        }
        Ok(submission.form_version)
    }
}
