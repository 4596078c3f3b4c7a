//! Whether a form is well made ([`Form::check`]): ids, labels, options, limits and
//! conditions. A template, an edited form and a form read back from storage all pass here
//! before anyone answers them.

use super::form::{is_id, Form, Question, QuestionKind, LONG_TEXT_MAX_CHARS, SHORT_TEXT_MAX_CHARS};
use super::text::Localized;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The most questions a form may have.
pub const MAX_QUESTIONS: usize = 200;
/// The most options a choice question may have.
pub const MAX_OPTIONS: usize = 50;
/// The most characters a label (question, option, rating end, section heading) may have, in
/// each language.
pub const MAX_LABEL_CHARS: usize = 1_000;
/// The most characters help text may have, in each language.
pub const MAX_HELP_CHARS: usize = 4_000;

/// What is wrong with a form, in words; `question` is the id of the question concerned.
/// JSON: `{"problem": "duplicate_question", …fields}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FormError {
    #[error("the form has no questions")]
    NoQuestions,
    #[error("the form has {count} questions; at most {MAX_QUESTIONS} are allowed")]
    TooManyQuestions { count: usize },
    #[error("{id:?} is not a valid id: use 1 to 40 lowercase letters, digits and inner hyphens")]
    BadId { id: String },
    #[error("two questions have the id {question:?}")]
    DuplicateQuestion { question: String },
    #[error("question {question:?} has no {what}")]
    Empty { question: String, what: String },
    #[error("question {question:?}: the {what} is longer than {max} characters")]
    TooLong { question: String, what: String, max: usize },
    #[error("question {question:?} needs at least {} to choose from", if *.min == 1 { "one option".to_owned() } else { format!("{} options", .min) })]
    TooFewOptions { question: String, min: usize },
    #[error("question {question:?} has more than {MAX_OPTIONS} options")]
    TooManyOptions { question: String },
    #[error("question {question:?} has the option {option:?} twice")]
    DuplicateOption { question: String, option: String },
    #[error("question {question:?}: option {option:?} is not a valid id (1 to 40 lowercase letters, digits and inner hyphens)")]
    BadOptionId { question: String, option: String },
    #[error("question {question:?} allows at most {max} choices, which must be between 1 and its {options} options")]
    BadMaxChoices { question: String, max: u32, options: usize },
    #[error("question {question:?}: a text limit of {max_chars} characters must be between 1 and {limit}")]
    BadTextLimit { question: String, max_chars: u32, limit: u32 },
    #[error("question {question:?}: the bounds must be numbers with the minimum not above the maximum")]
    BadBounds { question: String },
    #[error("question {question:?} is shown depending on {on:?}, which is not a question of this form")]
    ConditionUnknown { question: String, on: String },
    #[error("question {question:?} is shown depending on {on:?}, which must come before it")]
    ConditionNotEarlier { question: String, on: String },
    #[error("question {question:?} is shown depending on {on:?}, which is neither single choice nor yes/no")]
    ConditionWrongKind { question: String, on: String },
    #[error("question {question:?} is shown when {on:?} is {value:?}, which is not one of its answers ({allowed})")]
    ConditionBadValue { question: String, on: String, value: String, allowed: String },
}

impl Form {
    /// Every problem with the form itself, in question order; `Ok` when it may be answered.
    pub fn check(&self) -> Result<(), Vec<FormError>> {
        let mut errors = Vec::new();
        if self.questions.is_empty() {
            errors.push(FormError::NoQuestions);
        }
        if self.questions.len() > MAX_QUESTIONS {
            errors.push(FormError::TooManyQuestions { count: self.questions.len() });
        }
        let mut seen = HashSet::new();
        for (at, question) in self.questions.iter().enumerate() {
            if !is_id(&question.id) {
                errors.push(FormError::BadId { id: question.id.clone() });
            } else if !seen.insert(question.id.as_str()) {
                errors.push(FormError::DuplicateQuestion { question: question.id.clone() });
            }
            check_question(question, &mut errors);
            check_condition(self, at, question, &mut errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn check_question(q: &Question, errors: &mut Vec<FormError>) {
    check_text(&q.id, "label", &q.label, MAX_LABEL_CHARS, errors);
    if let Some(help) = &q.help {
        check_length(&q.id, "help text", help, MAX_HELP_CHARS, errors);
    }
    match &q.kind {
        QuestionKind::ShortText { max_chars } => check_text_limit(&q.id, *max_chars, SHORT_TEXT_MAX_CHARS, errors),
        QuestionKind::LongText { max_chars } => check_text_limit(&q.id, *max_chars, LONG_TEXT_MAX_CHARS, errors),
        QuestionKind::SingleChoice { .. } => check_options(q, 2, errors),
        QuestionKind::MultipleChoice { options, max } => {
            check_options(q, 1, errors);
            if let Some(max) = *max {
                if max == 0 || max as usize > options.len() {
                    errors.push(FormError::BadMaxChoices { question: q.id.clone(), max, options: options.len() });
                }
            }
        }
        QuestionKind::Rating { low_label, high_label } => {
            check_text(&q.id, "label for the low end of the scale", low_label, MAX_LABEL_CHARS, errors);
            check_text(&q.id, "label for the high end of the scale", high_label, MAX_LABEL_CHARS, errors);
        }
        QuestionKind::Number { min, max, .. } => {
            let finite = min.is_none_or(f64::is_finite) && max.is_none_or(f64::is_finite);
            let ordered = match (min, max) {
                (Some(min), Some(max)) => min <= max,
                _ => true,
            };
            if !finite || !ordered {
                errors.push(FormError::BadBounds { question: q.id.clone() });
            }
        }
        QuestionKind::YesNo | QuestionKind::Date => {}
    }
}

fn check_options(q: &Question, min: usize, errors: &mut Vec<FormError>) {
    let options = q.kind.options();
    if options.len() < min {
        errors.push(FormError::TooFewOptions { question: q.id.clone(), min });
    }
    if options.len() > MAX_OPTIONS {
        errors.push(FormError::TooManyOptions { question: q.id.clone() });
    }
    let mut seen = HashSet::new();
    for option in options {
        if !is_id(&option.id) {
            errors.push(FormError::BadOptionId { question: q.id.clone(), option: option.id.clone() });
        } else if !seen.insert(option.id.as_str()) {
            errors.push(FormError::DuplicateOption { question: q.id.clone(), option: option.id.clone() });
        }
        check_text(&q.id, &format!("label for option {:?}", option.id), &option.label, MAX_LABEL_CHARS, errors);
    }
}

fn check_condition(form: &Form, at: usize, q: &Question, errors: &mut Vec<FormError>) {
    let Some(cond) = &q.show_when else { return };
    let (question, on) = (q.id.clone(), cond.question.clone());
    let Some(target_at) = form.position(&cond.question) else {
        errors.push(FormError::ConditionUnknown { question, on });
        return;
    };
    if target_at >= at {
        errors.push(FormError::ConditionNotEarlier { question, on });
        return;
    }
    let Some(allowed) = form.questions[target_at].kind.condition_values() else {
        errors.push(FormError::ConditionWrongKind { question, on });
        return;
    };
    if !allowed.contains(&cond.equals.as_str()) {
        errors.push(FormError::ConditionBadValue { question, on, value: cond.equals.clone(), allowed: allowed.join(", ") });
    }
}

fn check_text_limit(question: &str, max_chars: u32, limit: u32, errors: &mut Vec<FormError>) {
    if max_chars == 0 || max_chars > limit {
        errors.push(FormError::BadTextLimit { question: question.to_owned(), max_chars, limit });
    }
}

/// A label: its English must not be blank, and no version may pass `max` characters.
pub(super) fn check_text(question: &str, what: &str, text: &Localized, max: usize, errors: &mut Vec<FormError>) {
    if text.en.trim().is_empty() {
        errors.push(FormError::Empty { question: question.to_owned(), what: what.to_owned() });
    }
    check_length(question, what, text, max, errors);
}

fn check_length(question: &str, what: &str, text: &Localized, max: usize, errors: &mut Vec<FormError>) {
    if text.versions().any(|(_, t)| t.chars().count() > max) {
        errors.push(FormError::TooLong { question: question.to_owned(), what: what.to_owned(), max });
    }
}
