//! The pure part of the CSV export: stable columns and typed cells. The server writes them
//! with the `csv` crate (quoting, UTF-8 with a byte-order mark); this says what goes where.
//!
//! Columns: `form-version`, `submitted`, then per question in form order its id; a multiple
//! choice question has instead one column per option, `question-id:option-id`, holding 1
//! (chosen) or 0 (not chosen), so a spreadsheet sums each option. Ids never hold `:` nor begin
//! with `-`, so column ids are unambiguous and never look like formulas. A cell is empty when
//! the question was not answered or was hidden by its condition (for multiple choice: every
//! option's cell), so "not chosen" (0) differs from "not answered" (empty).
//!
//! Values: a choice is its option id (stable whatever the labels' wording or language), yes/no
//! is `yes` or `no`, a date `yyyy-mm-dd`; ratings, numbers and the form version are numbers.
//!
//! Formulas: a spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return. Text cells beginning so are written with a `'` before them ([`neutralise`],
//! the OWASP advice), whoever wrote them; number cells are numbers, so a negative number is
//! written `-5`, never neutralised. The typed [`Cell`] carries the difference.

use super::answer::{latest, AnswerValue, Response};
use super::form::{Form, FormVersion, QuestionKind, NO, YES};
use super::validate::check_value;
use serde::{Deserialize, Serialize};

/// One CSV column. JSON: `{"id", "question"?, "option"?}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// The header: `form-version`, `submitted`, `question-id` or `question-id:option-id`.
    pub id: String,
    /// The question it holds, `None` for the first two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The option it counts, for a multiple choice question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
}

/// One cell, typed so that numbers stay numbers and only text is neutralised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Empty,
    /// Written as Rust writes an `f64` (`-5`, `2.5`, never an exponent).
    Number(f64),
    /// Text as it will be written: [`Cell::text`] neutralises it.
    Text(String),
}

/// The characters a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` made safe to open in a spreadsheet: a `'` before it when it begins with one of
/// [`FORMULA_STARTS`], unchanged otherwise. Applying it twice changes nothing more.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

impl Cell {
    /// A text cell, neutralised.
    pub fn text(text: &str) -> Self {
        Self::Text(neutralise(text))
    }

    /// The field the CSV writer writes (it quotes commas, quotes and line breaks): a number
    /// as a number, a non-finite one as empty, text neutralised (again: harmless).
    pub fn field(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Number(n) if n.is_finite() => n.to_string(),
            Self::Number(_) => String::new(),
            Self::Text(t) => neutralise(t),
        }
    }
}

/// The columns of `form`'s export, in order (see the module documentation).
pub fn columns(form: &Form) -> Vec<Column> {
    let mut columns = vec![fixed("form-version"), fixed("submitted")];
    for q in &form.questions {
        match &q.kind {
            QuestionKind::MultipleChoice { options, .. } => {
                columns.extend(options.iter().map(|o| Column { id: format!("{}:{}", q.id, o.id), question: Some(q.id.clone()), option: Some(o.id.clone()) }))
            }
            _ => columns.push(Column { id: q.id.clone(), question: Some(q.id.clone()), option: None }),
        }
    }
    columns
}

fn fixed(id: &str) -> Column {
    Column { id: id.to_owned(), question: None, option: None }
}

/// One response's row, one cell per column of [`columns`]`(form)`. `form` must be the
/// version `response` answers ([`rows`] sees to it).
pub fn row(form: &Form, response: &Response) -> Vec<Cell> {
    let answers = response.submission.answers.shown_only(form);
    let mut cells = vec![Cell::Number(f64::from(response.submission.form_version.0)), Cell::text(&response.submitted)];
    for q in &form.questions {
        let value = answers.given(&q.id).filter(|v| check_value(q, v).is_none());
        match (&q.kind, value) {
            (QuestionKind::MultipleChoice { options, .. }, Some(AnswerValue::Choices(chosen))) => {
                cells.extend(options.iter().map(|o| Cell::Number(if chosen.contains(&o.id) { 1.0 } else { 0.0 })))
            }
            (QuestionKind::MultipleChoice { options, .. }, _) => cells.extend(options.iter().map(|_| Cell::Empty)),
            (_, Some(value)) => cells.push(cell(value)),
            (_, None) => cells.push(Cell::Empty),
        }
    }
    cells
}

fn cell(value: &AnswerValue) -> Cell {
    match value {
        AnswerValue::Text(t) | AnswerValue::Choice(t) | AnswerValue::Date(t) => Cell::text(t),
        AnswerValue::Choices(cs) => Cell::text(&cs.join(" ")),
        AnswerValue::Rating(r) => Cell::Number(f64::from(*r)),
        AnswerValue::YesNo(b) => Cell::text(if *b { YES } else { NO }),
        AnswerValue::Number(n) => Cell::Number(*n),
    }
}

/// The rows of `version` (whose questions are `form`): one per respondent whose latest
/// response answers it, in respondent key order (random keys for an anonymous questionnaire,
/// so not the order of arrival; the server shuffles them too).
pub fn rows(form: &Form, version: FormVersion, responses: &[Response]) -> Vec<Vec<Cell>> {
    latest(responses).into_iter().filter(|r| r.submission.form_version == version).map(|r| row(form, r)).collect()
}
