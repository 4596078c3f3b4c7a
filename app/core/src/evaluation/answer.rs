//! Answers to a form: one value per question id, the questions a set of answers shows
//! (conditions), and the submitted answer as the server records it. What makes an answer
//! acceptable is `validate.rs`.

use super::form::{Form, FormVersion, Question, QuestionKind, NO, YES};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// One answer. JSON is tagged by the kind: `{"text": "…"}`, `{"choice": "option-id"}`,
/// `{"choices": ["a", "b"]}`, `{"rating": 4}`, `{"yes_no": true}`, `{"number": -2.5}`,
/// `{"date": "2020-11-27"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    /// For short and long text.
    Text(String),
    /// An option id, for single choice.
    Choice(String),
    /// Option ids, for multiple choice; order does not matter.
    Choices(Vec<String>),
    /// For a rating, 1 to 5.
    Rating(u8),
    YesNo(bool),
    Number(f64),
    /// `yyyy-mm-dd`.
    Date(String),
}

/// The kind of an answer value, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    Text,
    Choice,
    Choices,
    Rating,
    YesNo,
    Number,
    Date,
}

/// A respondent's answers, by question id; questions left unanswered are absent.
/// JSON: an object, `{"question-id": AnswerValue, …}`, keys in sorted order.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, AnswerValue>);

/// What a respondent submits: the answers and the form version they answer.
/// JSON: `{"form_version": 2, "answers": Answers}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub form_version: FormVersion,
    pub answers: Answers,
}

/// A submission as the server recorded it, the input of results and export.
/// JSON: `{"respondent", "revision", "submitted", "submission": Submission}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Whose answer it is: the browser's random key for an anonymous questionnaire, the
    /// account for an individual evaluation, the delegation for the mid-term evaluation. One
    /// respondent counts once: their latest submission (see [`latest`]).
    pub respondent: String,
    /// Grows with each submission of the same respondent.
    pub revision: u64,
    /// When it was submitted, as the server writes it: a date (`yyyy-mm-dd`) for an
    /// anonymous questionnaire (the time of day could tell who answered), a timestamp else.
    pub submitted: String,
    pub submission: Submission,
}

impl AnswerValue {
    pub fn answer_type(&self) -> AnswerType {
        match self {
            Self::Text(_) => AnswerType::Text,
            Self::Choice(_) => AnswerType::Choice,
            Self::Choices(_) => AnswerType::Choices,
            Self::Rating(_) => AnswerType::Rating,
            Self::YesNo(_) => AnswerType::YesNo,
            Self::Number(_) => AnswerType::Number,
            Self::Date(_) => AnswerType::Date,
        }
    }

    /// Whether it says nothing (blank text, no choices, an empty date): it counts as no
    /// answer, for `required` and in results.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Text(t) | Self::Date(t) | Self::Choice(t) => t.trim().is_empty(),
            Self::Choices(c) => c.is_empty(),
            Self::Rating(_) | Self::YesNo(_) | Self::Number(_) => false,
        }
    }

    /// Whether it is `value` in a condition's terms: the option id chosen, or [`YES`]/[`NO`].
    fn equals(&self, value: &str) -> bool {
        match self {
            Self::Choice(c) => c == value,
            Self::YesNo(b) => value == if *b { YES } else { NO },
            _ => false,
        }
    }
}

impl AnswerType {
    /// What a question of `kind` takes.
    pub fn expected_by(kind: &QuestionKind) -> Self {
        match kind {
            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => Self::Text,
            QuestionKind::SingleChoice { .. } => Self::Choice,
            QuestionKind::MultipleChoice { .. } => Self::Choices,
            QuestionKind::Rating { .. } => Self::Rating,
            QuestionKind::YesNo => Self::YesNo,
            QuestionKind::Number { .. } => Self::Number,
            QuestionKind::Date => Self::Date,
        }
    }

    /// In words, with an article: "a text", "a yes or no".
    pub fn words(self) -> &'static str {
        match self {
            Self::Text => "a text",
            Self::Choice => "one option",
            Self::Choices => "a list of options",
            Self::Rating => "a rating",
            Self::YesNo => "a yes or no",
            Self::Number => "a number",
            Self::Date => "a date",
        }
    }
}

impl Answers {
    pub fn get(&self, question: &str) -> Option<&AnswerValue> {
        self.0.get(question)
    }

    pub fn set(&mut self, question: &str, value: AnswerValue) {
        self.0.insert(question.to_owned(), value);
    }

    /// The answer to `question` unless it is blank.
    pub fn given(&self, question: &str) -> Option<&AnswerValue> {
        self.get(question).filter(|v| !v.is_blank())
    }

    /// Only the answers that count: those to questions of `form` that these answers show. An
    /// answer to a hidden question stays in the draft (the respondent may switch back) but
    /// is dropped here, and so from results and the export.
    pub fn shown_only(&self, form: &Form) -> Answers {
        let shown = shown_ids(form, self);
        Answers(self.0.iter().filter(|(id, _)| shown.contains(id.as_str())).map(|(id, v)| (id.clone(), v.clone())).collect())
    }
}

impl<const N: usize> From<[(&str, AnswerValue); N]> for Answers {
    fn from(pairs: [(&str, AnswerValue); N]) -> Self {
        Answers(pairs.into_iter().map(|(id, v)| (id.to_owned(), v)).collect())
    }
}

/// The questions of `form` these answers show, in form order. A question is shown when it has
/// no condition, or when the question its condition names is shown and its answer equals the
/// condition's value; so hiding a question hides every question that depends on it, whatever
/// their stale answers say. A condition naming a missing or later question hides its
/// question (`Form::check` refuses such forms).
pub fn visible<'f>(form: &'f Form, answers: &Answers) -> Vec<&'f Question> {
    let shown = shown_ids(form, answers);
    form.questions.iter().filter(|q| shown.contains(q.id.as_str())).collect()
}

/// Whether question `id` of `form` is shown by these answers (see [`visible`]).
pub fn is_shown(form: &Form, answers: &Answers, id: &str) -> bool {
    shown_ids(form, answers).contains(id)
}

fn shown_ids<'f>(form: &'f Form, answers: &Answers) -> HashSet<&'f str> {
    let mut shown = HashSet::new();
    for q in &form.questions {
        let is_shown = match &q.show_when {
            None => true,
            Some(cond) => shown.contains(cond.question.as_str()) && answers.get(&cond.question).is_some_and(|a| a.equals(&cond.equals)),
        };
        if is_shown {
            shown.insert(q.id.as_str());
        }
    }
    shown
}

/// Each respondent's latest response (highest `revision`; of equal revisions, the later in
/// `responses`, which are copies of one submission when delivered twice), whatever its form
/// version, in respondent order. Results and the export then keep one version's.
///
/// Sorted by respondent key, so the order says nothing about the order of arrival (for an
/// anonymous questionnaire the keys are random).
pub fn latest(responses: &[Response]) -> Vec<&Response> {
    let mut by_respondent: BTreeMap<&str, &Response> = BTreeMap::new();
    for r in responses {
        let entry = by_respondent.entry(r.respondent.as_str()).or_insert(r);
        if r.revision >= entry.revision {
            *entry = r;
        }
    }
    by_respondent.into_values().collect()
}
