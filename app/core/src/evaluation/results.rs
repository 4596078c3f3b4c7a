//! Results of one form version, computed from the submitted responses: per question, counts
//! and percentages per option, mean, median and distribution of ratings and numbers, the
//! free-text answers; the response rate; and whether anonymous results may be shown yet.
//!
//! What counts: each respondent once, by their latest response ([`latest`]), and only if that
//! response answers this version (so results never mix versions); only answers to questions
//! that response shows ([`Answers::shown_only`]); a blank answer or one that does not fit its
//! question (which validation refuses, so only damaged storage has one) counts nowhere.
//!
//! **Percentages** are of the respondents who answered the question, rounded to one decimal
//! place, halves up, computed exactly in integers (1 of 3 is 33.3, 2 of 3 is 66.7, 1 of 16
//! is 6.3); 0 when nobody answered. For multiple choice each option is counted on its own,
//! so they may add up to more than 100.

use super::answer::{latest, AnswerValue, Response};
use super::form::{Form, FormVersion, QuestionKind, RATING_MAX, RATING_MIN};
use super::validate::check_value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Anonymous results are shown only from this many responses, so that nobody's answer can be
/// picked out (the "at least 3 answers").
pub const MIN_ANONYMOUS_RESPONSES: u32 = 3;

/// Whether results of `responses` responses may be shown: always when the evaluation is not
/// anonymous, else from [`MIN_ANONYMOUS_RESPONSES`].
pub fn may_show(anonymous: bool, responses: u32) -> bool {
    !anonymous || responses >= MIN_ANONYMOUS_RESPONSES
}

/// While an anonymous questionnaire is open its figures move this many submissions at a time
/// (see [`published`]).
pub const LIVE_BATCH: usize = 3;

/// How many of an evaluation's `submissions` (every accepted submission, revisions included,
/// in arrival order) its figures and its export count: all of them, unless the evaluation is
/// `anonymous` and not `closed`; then only whole batches of [`LIVE_BATCH`], so that each change
/// of the figures people watch live is the work of at least three submissions and the order
/// of arrival does not tell who answered what (the issue: "live results move in batches").
/// Once the evaluation has closed every submission counts, late ones as they arrive.
pub fn published(submissions: usize, anonymous: bool, closed: bool) -> usize {
    match anonymous && !closed {
        true => submissions - submissions % LIVE_BATCH,
        false => submissions,
    }
}

/// The results of one version. JSON: `{"version", "responses", "questions": […]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub version: FormVersion,
    /// Respondents whose latest response answers this version.
    pub responses: u32,
    pub questions: Vec<QuestionResult>,
}

/// One question's results. JSON: `{"question", "answered", "summary": {"type", …}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question: String,
    /// Responses that answered it (the base of its percentages).
    pub answered: u32,
    pub summary: Summary,
}

/// What one question's answers come to, by kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Summary {
    /// Single and multiple choice: every option, in form order, zeros included.
    Choices {
        options: Vec<OptionCount>,
    },
    YesNo {
        yes: Share,
        no: Share,
    },
    /// Ratings (every value of the scale, zeros included) and numbers (each value given, in
    /// increasing order). `mean` and `median` are `None` when nobody answered; the median of
    /// an even count is the mean of the two middle values.
    Scale {
        distribution: Vec<ValueCount>,
        mean: Option<f64>,
        median: Option<f64>,
    },
    /// Short and long texts, sorted (so their order does not follow arrival).
    Texts {
        texts: Vec<String>,
    },
    /// Dates given, with counts, earliest first.
    Dates {
        dates: Vec<DateCount>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub count: u32,
    pub percent: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionCount {
    pub option: String,
    pub count: u32,
    pub percent: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    pub value: f64,
    pub count: u32,
    pub percent: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DateCount {
    pub date: String,
    pub count: u32,
}

/// `count` of `base` in percent, rounded to one decimal place, halves up (see the module
/// documentation); 0 when `base` is 0.
pub fn percent(count: u32, base: u32) -> f64 {
    if base == 0 {
        return 0.0;
    }
    let tenths = (2000 * u64::from(count) + u64::from(base)) / (2 * u64::from(base));
    tenths as f64 / 10.0
}

/// `x` rounded to one decimal place, halves away from zero, as [`percent`] rounds: a mean of
/// 3.25 is shown 3.3 wherever it is shown. A half that a quotient computed a hair below (a
/// mean's binary error, at most ~1e-15 here) still counts as a half.
pub fn tenths(x: f64) -> f64 {
    let scaled = x * 10.0;
    (scaled + scaled.signum() * 1e-9).round() / 10.0
}

/// Computes the results of `version` (whose questions are `form`) from every recorded
/// response, of any version, duplicates and superseded revisions included.
pub fn results(form: &Form, version: FormVersion, responses: &[Response]) -> Results {
    let counted: Vec<_> =
        latest(responses).into_iter().filter(|r| r.submission.form_version == version).map(|r| r.submission.answers.shown_only(form)).collect();
    let questions = form
        .questions
        .iter()
        .map(|q| {
            let values: Vec<&AnswerValue> = counted.iter().filter_map(|a| a.given(&q.id)).filter(|v| check_value(q, v).is_none()).collect();
            QuestionResult { question: q.id.clone(), answered: values.len() as u32, summary: summarise(&q.kind, &values) }
        })
        .collect();
    Results { version, responses: counted.len() as u32, questions }
}

fn summarise(kind: &QuestionKind, values: &[&AnswerValue]) -> Summary {
    let base = values.len() as u32;
    match kind {
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            let options = options
                .iter()
                .map(|o| {
                    let count = values.iter().filter(|v| chose(v, &o.id)).count() as u32;
                    OptionCount { option: o.id.clone(), count, percent: percent(count, base) }
                })
                .collect();
            Summary::Choices { options }
        }
        QuestionKind::YesNo => {
            let yes = values.iter().filter(|v| matches!(v, AnswerValue::YesNo(true))).count() as u32;
            let no = base - yes;
            Summary::YesNo { yes: Share { count: yes, percent: percent(yes, base) }, no: Share { count: no, percent: percent(no, base) } }
        }
        QuestionKind::Rating { .. } => {
            let scale = (RATING_MIN..=RATING_MAX).map(f64::from);
            scale_summary(values.iter().filter_map(|v| number(v)).collect(), scale.collect())
        }
        QuestionKind::Number { .. } => scale_summary(values.iter().filter_map(|v| number(v)).collect(), Vec::new()),
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
            let mut texts: Vec<String> = values.iter().filter_map(|v| text(v)).map(str::to_owned).collect();
            texts.sort();
            Summary::Texts { texts }
        }
        QuestionKind::Date => {
            let mut dates = BTreeMap::<&str, u32>::new();
            for date in values.iter().filter_map(|v| text(v)) {
                *dates.entry(date).or_default() += 1;
            }
            Summary::Dates { dates: dates.into_iter().map(|(date, count)| DateCount { date: date.to_owned(), count }).collect() }
        }
    }
}

/// Whether `value` chose `option` (each option once per response, however often listed).
fn chose(value: &AnswerValue, option: &str) -> bool {
    match value {
        AnswerValue::Choice(c) => c == option,
        AnswerValue::Choices(cs) => cs.iter().any(|c| c == option),
        _ => false,
    }
}

fn number(value: &AnswerValue) -> Option<f64> {
    match value {
        AnswerValue::Rating(r) => Some(f64::from(*r)),
        AnswerValue::Number(n) => Some(*n),
        _ => None,
    }
}

fn text(value: &AnswerValue) -> Option<&str> {
    match value {
        AnswerValue::Text(t) | AnswerValue::Date(t) => Some(t),
        _ => None,
    }
}

/// The distribution over `scale` (plus any other value given), mean and median of `values`.
fn scale_summary(mut values: Vec<f64>, scale: Vec<f64>) -> Summary {
    values.sort_by(f64::total_cmp);
    let base = values.len() as u32;
    let mut distribution: Vec<ValueCount> = scale.into_iter().map(|value| ValueCount { value, count: 0, percent: 0.0 }).collect();
    for v in &values {
        match distribution.iter_mut().find(|d| d.value == *v) {
            Some(d) => d.count += 1,
            None => distribution.push(ValueCount { value: *v, count: 1, percent: 0.0 }),
        }
    }
    distribution.sort_by(|a, b| a.value.total_cmp(&b.value));
    for d in &mut distribution {
        d.percent = percent(d.count, base);
    }
    let n = values.len();
    let mean = (n > 0).then(|| values.iter().sum::<f64>() / n as f64);
    let median = match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    };
    Summary::Scale { distribution, mean, median }
}

/// How many answered of how many were expected. JSON: `{"responses", "expected"?}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRate {
    pub responses: u32,
    /// How many could answer (the member States' delegations, the participants, the
    /// Secretariat's members), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u32>,
}

impl ResponseRate {
    /// [`percent`] of the expected, when known and not 0.
    pub fn percent(&self) -> Option<f64> {
        self.expected.filter(|e| *e > 0).map(|e| percent(self.responses, e))
    }

    /// "23 of 41 delegations"; "1 delegation" when nobody knows how many were expected.
    /// `one` and `many` are the noun's singular and plural (see `Respondents::noun`).
    pub fn describe(&self, one: &str, many: &str) -> String {
        match self.expected {
            Some(expected) => format!("{} of {expected} {}", self.responses, if expected == 1 { one } else { many }),
            None => format!("{} {}", self.responses, if self.responses == 1 { one } else { many }),
        }
    }
}
