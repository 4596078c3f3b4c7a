//! A form's answers as the fields of a plain HTML form, for a questionnaire answered with
//! JavaScript off (the lowest-end phone): the field each question posts ([`field_name`]) and
//! the answers read back from what the browser posted ([`from_fields`]). What the fields
//! cannot say (a rating of "abc", a number of "1,2,3") is a [`Problem`] in words, the same as
//! `validate`'s; what they leave empty is no answer.

use super::answer::{AnswerValue, Answers};
use super::form::{Form, Question, QuestionKind, NO, YES};
use super::validate::{Problem, ProblemKind};

/// The prefix of every question's field name: `q-<question id>`. Other fields (the form
/// version) are not answers.
pub const FIELD_PREFIX: &str = "q-";

/// The name of `question`'s field(s): `q-<id>` (a multiple choice posts it once per option
/// ticked).
pub fn field_name(question: &str) -> String {
    format!("{FIELD_PREFIX}{question}")
}

/// The answers in a posted form's `fields` (name, value; in the order posted), and what could
/// not be read as an answer of its question's kind. Rules: blank text (spaces only) is no
/// answer; a number may use a decimal comma (`2,5`, as French and Arabic respondents write
/// it); `yes`/`no` for yes/no; a field naming no question of `form` is an unknown question
/// (the check that follows refuses it); a question other than a multiple choice given twice is
/// a problem (its second value is not taken).
pub fn from_fields(form: &Form, fields: &[(String, String)]) -> (Answers, Vec<Problem>) {
    let mut answers = Answers::default();
    let mut problems = Vec::new();
    for (name, value) in fields {
        let Some(id) = name.strip_prefix(FIELD_PREFIX) else { continue };
        let Some(question) = form.question(id) else {
            if !problems.iter().any(|p: &Problem| p.question == id) {
                problems.push(Problem { question: id.to_owned(), label: String::new(), problem: ProblemKind::UnknownQuestion });
            }
            continue;
        };
        let value = value.trim();
        let single = !matches!(question.kind, QuestionKind::MultipleChoice { .. });
        if single && answers.get(id).is_some() {
            // One answer per question: a second value (a tampered or doubled form) is refused,
            // not silently preferred.
            let expected = super::AnswerType::expected_by(&question.kind);
            problems.push(Problem {
                question: id.to_owned(),
                label: question.label.en.clone(),
                problem: ProblemKind::WrongType { expected, got: super::AnswerType::Choices },
            });
            continue;
        }
        if value.is_empty() && !matches!(question.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. }) {
            continue;
        }
        match read(question, value, answers.get(id)) {
            Ok(Some(answer)) => answers.set(id, answer),
            Ok(None) => {}
            Err(problem) => problems.push(Problem { question: id.to_owned(), label: question.label.en.clone(), problem }),
        }
    }
    (answers, problems)
}

/// One posted value as an answer to `question`; `so_far` is what earlier fields of the same
/// name gave (a multiple choice's other ticks).
fn read(question: &Question, value: &str, so_far: Option<&AnswerValue>) -> Result<Option<AnswerValue>, ProblemKind> {
    Ok(Some(match &question.kind {
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
            if value.is_empty() {
                return Ok(None);
            }
            AnswerValue::Text(value.to_owned())
        }
        QuestionKind::SingleChoice { .. } => AnswerValue::Choice(value.to_owned()),
        QuestionKind::MultipleChoice { .. } => {
            let mut chosen = match so_far {
                Some(AnswerValue::Choices(chosen)) => chosen.clone(),
                _ => Vec::new(),
            };
            chosen.push(value.to_owned());
            AnswerValue::Choices(chosen)
        }
        QuestionKind::Rating { .. } => AnswerValue::Rating(value.parse().map_err(|_| ProblemKind::NotANumber)?),
        QuestionKind::YesNo => match value {
            YES => AnswerValue::YesNo(true),
            NO => AnswerValue::YesNo(false),
            _ => return Err(ProblemKind::WrongType { expected: super::AnswerType::YesNo, got: super::AnswerType::Text }),
        },
        QuestionKind::Number { .. } => AnswerValue::Number(number(value).ok_or(ProblemKind::NotANumber)?),
        QuestionKind::Date => AnswerValue::Date(value.to_owned()),
    }))
}

/// A number as typed: `-2.5`, `2,5`, `1e3`; not `1,2,3`, `2.5.1`, `inf` or `NaN`.
fn number(text: &str) -> Option<f64> {
    let text = if text.matches(',').count() == 1 && !text.contains('.') { text.replace(',', ".") } else { text.to_owned() };
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The value a field shows for `answer` (the form filled in again after a refusal): text,
/// option id, `yes`/`no`, the number or the date; a multiple choice's options are ticked one
/// by one ([`is_chosen`]).
pub fn shown_value(answer: Option<&AnswerValue>) -> String {
    match answer {
        Some(AnswerValue::Text(text) | AnswerValue::Choice(text) | AnswerValue::Date(text)) => text.clone(),
        Some(AnswerValue::Rating(value)) => value.to_string(),
        Some(AnswerValue::YesNo(yes)) => if *yes { YES } else { NO }.to_owned(),
        Some(AnswerValue::Number(n)) => n.to_string(),
        Some(AnswerValue::Choices(_)) | None => String::new(),
    }
}

/// Whether `option` is chosen in `answer` (single or multiple choice).
pub fn is_chosen(answer: Option<&AnswerValue>, option: &str) -> bool {
    match answer {
        Some(AnswerValue::Choice(chosen)) => chosen == option,
        Some(AnswerValue::Choices(chosen)) => chosen.iter().any(|c| c == option),
        _ => false,
    }
}
