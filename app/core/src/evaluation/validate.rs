//! What an answer must be to be submitted ([`validate`]): every shown required question
//! answered, each answer of its question's type and within its limits, no unknown question.
//! The browser asks it before submitting, the server again on every submission.
//!
//! An answer to a question its condition hides is **ignored, not refused**: the respondent
//! may have answered it and then changed the answer that shows it; the page hides it, so
//! refusing would ask them to fix what they cannot see. It is not checked, and results and
//! the export drop it ([`Answers::shown_only`]).

use super::answer::{visible, AnswerType, AnswerValue, Answers};
use super::form::{Form, Question, QuestionKind, RATING_MAX, RATING_MIN};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// One thing wrong with a set of answers: the question (its id, and its English label, empty
/// for an unknown id) and what is wrong, in words when displayed:
/// `“How useful was it?”: choose at most 2 (you chose 3)`.
///
/// JSON: `{"question", "label", "problem": {"kind": "too_many_choices", …}}`; the server adds
/// the displayed message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub question: String,
    pub label: String,
    pub problem: ProblemKind,
}

/// What is wrong with one answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    #[error("an answer is required")]
    Missing,
    #[error("the answer should be {}, not {}", .expected.words(), .got.words())]
    WrongType { expected: AnswerType, got: AnswerType },
    #[error("{option:?} is not one of the options")]
    UnknownOption { option: String },
    #[error("{option:?} is chosen twice")]
    RepeatedOption { option: String },
    #[error("choose at most {max} (you chose {chosen})")]
    TooManyChoices { max: u32, chosen: usize },
    #[error("choose a rating between {RATING_MIN} and {RATING_MAX}")]
    RatingOutOfScale { value: u8 },
    #[error("give a number")]
    NotANumber,
    #[error("give a whole number")]
    NotInteger,
    #[error("give a number {}", bounds_words(*.min, *.max))]
    OutOfBounds { min: Option<f64>, max: Option<f64> },
    #[error("{value:?} is not a date: write it as yyyy-mm-dd, e.g. 2020-11-27")]
    BadDate { value: String },
    #[error("the text is too long: {len} characters, at most {max}")]
    TooLong { max: u32, len: usize },
    #[error("there is no such question in this form")]
    UnknownQuestion,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label.is_empty() {
            write!(f, "{:?}: {}", self.question, self.problem)
        } else {
            write!(f, "“{}”: {}", self.label, self.problem)
        }
    }
}

/// "between 0 and 100", "of at least 0", "of at most 100".
fn bounds_words(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("of at least {min}"),
        (None, Some(max)) => format!("of at most {max}"),
        (None, None) => "within bounds".to_owned(),
    }
}

/// Checks `answers` against `form`; every problem found, unknown question ids first (in id
/// order), then in question order. Hidden questions are ignored (see the module
/// documentation); a blank answer (see [`AnswerValue::is_blank`]) counts as none.
pub fn validate(form: &Form, answers: &Answers) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let known: HashSet<&str> = form.questions.iter().map(|q| q.id.as_str()).collect();
    for id in answers.0.keys().filter(|id| !known.contains(id.as_str())) {
        problems.push(Problem { question: id.clone(), label: String::new(), problem: ProblemKind::UnknownQuestion });
    }
    for question in visible(form, answers) {
        let found = match answers.given(&question.id) {
            Some(value) => check_value(question, value),
            None if question.required => Some(ProblemKind::Missing),
            None => None,
        };
        if let Some(problem) = found {
            problems.push(Problem { question: question.id.clone(), label: question.label.en.clone(), problem });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The first thing wrong with `value` as an answer to `question`, if any.
pub(super) fn check_value(question: &Question, value: &AnswerValue) -> Option<ProblemKind> {
    let expected = AnswerType::expected_by(&question.kind);
    match (&question.kind, value) {
        (QuestionKind::ShortText { max_chars } | QuestionKind::LongText { max_chars }, AnswerValue::Text(text)) => {
            let len = text.chars().count();
            (len > *max_chars as usize).then_some(ProblemKind::TooLong { max: *max_chars, len })
        }
        (QuestionKind::SingleChoice { options }, AnswerValue::Choice(choice)) => {
            (!options.iter().any(|o| &o.id == choice)).then(|| ProblemKind::UnknownOption { option: choice.clone() })
        }
        (QuestionKind::MultipleChoice { options, max }, AnswerValue::Choices(chosen)) => {
            let mut seen = HashSet::new();
            for choice in chosen {
                if !options.iter().any(|o| &o.id == choice) {
                    return Some(ProblemKind::UnknownOption { option: choice.clone() });
                }
                if !seen.insert(choice) {
                    return Some(ProblemKind::RepeatedOption { option: choice.clone() });
                }
            }
            max.filter(|max| chosen.len() > *max as usize).map(|max| ProblemKind::TooManyChoices { max, chosen: chosen.len() })
        }
        (QuestionKind::Rating { .. }, AnswerValue::Rating(value)) => {
            (!(RATING_MIN..=RATING_MAX).contains(value)).then_some(ProblemKind::RatingOutOfScale { value: *value })
        }
        (QuestionKind::YesNo, AnswerValue::YesNo(_)) => None,
        (QuestionKind::Number { min, max, integer }, AnswerValue::Number(n)) => {
            if !n.is_finite() {
                Some(ProblemKind::NotANumber)
            } else if *integer && n.fract() != 0.0 {
                Some(ProblemKind::NotInteger)
            } else if min.is_some_and(|min| *n < min) || max.is_some_and(|max| *n > max) {
                Some(ProblemKind::OutOfBounds { min: *min, max: *max })
            } else {
                None
            }
        }
        (QuestionKind::Date, AnswerValue::Date(date)) => (!is_date(date)).then(|| ProblemKind::BadDate { value: date.clone() }),
        _ => Some(ProblemKind::WrongType { expected, got: value.answer_type() }),
    }
}

/// Whether `text` is a calendar date written `yyyy-mm-dd` (years 0001 to 9999, the Gregorian
/// calendar's leap years): "2020-02-29" is one, "2019-02-29", "2020-2-3" and "2020-02-03 "
/// are not.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range.clone()).filter(|d| d.iter().all(u8::is_ascii_digit))?;
        text.get(range)?.parse().ok()
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else { return false };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day)
}
