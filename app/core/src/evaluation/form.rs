//! A form: the ordered questions an evaluation asks, each with a stable id, a kind and an
//! optional condition. Whether a form is well made is `check.rs`; what an answer to it must be
//! is `answer.rs`.

use super::text::Localized;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most characters (Unicode scalar values) a question or option id may have.
pub const MAX_ID_CHARS: usize = 40;
/// The ceiling of a short text's `max_chars`, and the default a template uses.
pub const SHORT_TEXT_MAX_CHARS: u32 = 500;
/// The ceiling of a long text's `max_chars`, and the default a template uses.
pub const LONG_TEXT_MAX_CHARS: u32 = 20_000;
/// A rating scale runs from 1 to 5 (the "rating scale (1–5 with end labels)").
pub const RATING_MIN: u8 = 1;
pub const RATING_MAX: u8 = 5;
/// What a yes/no question's condition value is for each answer (see [`ShowWhen`]).
pub const YES: &str = "yes";
pub const NO: &str = "no";

/// The version of an evaluation's form, from 1. Every answer records the version it answers.
/// JSON: a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FormVersion(pub u32);

impl fmt::Display for FormVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The questions of a form, in the order they are asked.
///
/// JSON: `{"questions": [Question, …]}`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Form {
    pub questions: Vec<Question>,
}

/// One question.
///
/// JSON: `{"id", "label": Localized, "help"?: Localized, "required"?: bool, "show_when"?:
/// {"question", "equals"}, "kind": {"type": "short_text", …}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable: answers, results and CSV columns refer to it. 1 to [`MAX_ID_CHARS`] of
    /// `a-z`, `0-9` and inner hyphens ([`is_id`]); unique in its form.
    pub id: String,
    pub label: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Localized>,
    /// Whether an answer is needed, when the question is shown (see [`ShowWhen`]).
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_when: Option<ShowWhen>,
    pub kind: QuestionKind,
}

/// "Show only when question `question`'s answer is `equals`." The question must be an earlier
/// single-choice question (`equals` is one of its option ids) or yes/no question (`equals` is
/// [`YES`] or [`NO`]). A question is shown when it has no condition, or when the question its
/// condition names is itself shown and answered with `equals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowWhen {
    pub question: String,
    pub equals: String,
}

/// What kind of answer a question takes, with its limits.
///
/// JSON is tagged by `type`: `{"type": "short_text", "max_chars": 500}`, `"long_text"`,
/// `{"type": "single_choice", "options": [Choice, …]}`, `{"type": "multiple_choice",
/// "options": […], "max"?: 3}`, `{"type": "rating", "low_label", "high_label"}`,
/// `{"type": "yes_no"}`, `{"type": "number", "min"?, "max"?, "integer"?: bool}`,
/// `{"type": "date"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One line; at most `max_chars` characters (Unicode scalar values; 1 to
    /// [`SHORT_TEXT_MAX_CHARS`]). A page's `maxlength` counts UTF-16 units, which is never
    /// looser.
    ShortText {
        max_chars: u32,
    },
    /// Paragraphs; at most `max_chars` characters (1 to [`LONG_TEXT_MAX_CHARS`]).
    LongText {
        max_chars: u32,
    },
    /// One option (at least two to choose from).
    SingleChoice {
        options: Vec<Choice>,
    },
    /// Any number of options, at most `max` when set (at least one to choose from).
    MultipleChoice {
        options: Vec<Choice>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u32>,
    },
    /// A whole number from [`RATING_MIN`] to [`RATING_MAX`], the ends labelled.
    Rating {
        low_label: Localized,
        high_label: Localized,
    },
    YesNo,
    /// A number within the bounds (inclusive) where set; a whole number if `integer`.
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(default)]
        integer: bool,
    },
    /// A calendar date, written `yyyy-mm-dd` (ISO 8601).
    Date,
}

/// One option of a choice question: a stable id (the same rule as question ids) and its words.
///
/// JSON: `{"id", "label": Localized}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: Localized,
}

/// Whether `id` is a well-formed question, option or section id: 1 to [`MAX_ID_CHARS`]
/// characters of `a-z`, `0-9` and `-`, not starting or ending with `-`. So no id holds `:` (a
/// CSV column `question:option` is unambiguous) and no CSV header begins with `-`.
pub fn is_id(id: &str) -> bool {
    crate::model::is_slug(id) && id.len() <= MAX_ID_CHARS
}

impl Form {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Where question `id` is asked, from 0.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }
}

impl QuestionKind {
    /// A short text of the default length.
    pub fn short_text() -> Self {
        Self::ShortText { max_chars: SHORT_TEXT_MAX_CHARS }
    }

    /// A long text of the default length.
    pub fn long_text() -> Self {
        Self::LongText { max_chars: LONG_TEXT_MAX_CHARS }
    }

    /// The options of a choice question; empty for other kinds.
    pub fn options(&self) -> &[Choice] {
        match self {
            Self::SingleChoice { options } | Self::MultipleChoice { options, .. } => options,
            _ => &[],
        }
    }

    /// The values a condition on this question may test: option ids, or [`YES`] and [`NO`];
    /// `None` for kinds a condition may not name.
    pub fn condition_values(&self) -> Option<Vec<&str>> {
        match self {
            Self::SingleChoice { options } => Some(options.iter().map(|o| o.id.as_str()).collect()),
            Self::YesNo => Some(vec![YES, NO]),
            _ => None,
        }
    }
}

impl Choice {
    pub fn new(id: &str, label: Localized) -> Self {
        Self { id: id.to_owned(), label }
    }
}

impl Question {
    /// A question that is not required, has no help and no condition.
    pub fn new(id: &str, label: Localized, kind: QuestionKind) -> Self {
        Self { id: id.to_owned(), label, help: None, required: false, show_when: None, kind }
    }

    /// The same, required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The same, with help text.
    pub fn help(mut self, help: Localized) -> Self {
        self.help = Some(help);
        self
    }

    /// The same, shown only when `question`'s answer is `equals`.
    pub fn when(mut self, question: &str, equals: &str) -> Self {
        self.show_when = Some(ShowWhen { question: question.to_owned(), equals: equals.to_owned() });
        self
    }
}
