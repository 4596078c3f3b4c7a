//! Evaluation forms, UI-free and I/O-free: forms and their checks, answers and their
//! validation, the five formats' templates, versions (the freezing rule), the outcome report,
//! results and the pure part of the CSV export, the outcome report as a plain form's fields
//! and two saves of it merged. The server and the pages speak these types;
//! storing, syncing and drawing them is theirs.
//!
//! Decisions, each documented where it is made: an answer to a question its condition hides is
//! ignored, not refused (`validate.rs`); a submission is accepted only for the current version
//! (`version.rs`); each respondent counts once, by their latest revision (`answer::latest`);
//! percentages round to one decimal, halves up (`results.rs`); the CSV gives multiple choice a
//! 1/0 column per option and neutralises text only (`export.rs`).

mod answer;
mod check;
mod export;
mod fields;
mod form;
mod form_edit;
mod headline;
mod occasion;
mod outcome;
mod outcome_fields;
mod outcome_merge;
mod results;
mod template;
mod text;
mod validate;
mod version;

pub use answer::{is_shown, latest, visible, AnswerType, AnswerValue, Answers, Response, Submission};
pub use check::{FormError, MAX_HELP_CHARS, MAX_LABEL_CHARS, MAX_OPTIONS, MAX_QUESTIONS};
pub use export::{columns, neutralise, row, rows, Cell, Column, FORMULA_STARTS};
pub use fields::{field_name, from_fields, is_chosen, shown_value, FIELD_PREFIX};
pub use form::{
    is_id, Choice, Form, FormVersion, Question, QuestionKind, ShowWhen, LONG_TEXT_MAX_CHARS, MAX_ID_CHARS, NO, RATING_MAX, RATING_MIN, SHORT_TEXT_MAX_CHARS,
    YES,
};
pub use form_edit::{editor_field, FormFields, QuestionFields, Step, KINDS, LANGUAGES_SEPARATOR};
pub use headline::{headline, Headline};
pub use occasion::{activity_name, check_occasion, OccasionProblem, MAX_TITLE_CHARS};
pub use outcome::{
    is_web_address, Contribution, Delivery, Evidence, Expected, ExpectedReport, OutcomeProblem, OutcomeReport, OutcomeScope, PriorityJudgement, Tally,
    UnexpectedReport, MAX_LINK_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS,
};
pub use outcome_fields::{outcome_field, outcome_from_fields, MAX_ROWS};
pub use outcome_merge::{merge, Merged};
pub use results::{
    may_show, percent, published, results, tenths, DateCount, OptionCount, QuestionResult, ResponseRate, Results, Share, Summary, ValueCount, LIVE_BATCH,
    MIN_ANONYMOUS_RESPONSES,
};
pub use template::{check_sections, template, EvaluationKind, Format, Respondents, Section, Template};
pub use text::{Lang, Localized};
pub use validate::{is_date, validate, Problem, ProblemKind};
pub use version::{EditError, SubmissionError, Versions};

#[cfg(test)]
mod answer_tests;
#[cfg(test)]
mod export_tests;
#[cfg(test)]
mod fields_tests;
#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod outcome_save_tests;
#[cfg(test)]
mod outcome_tests;
#[cfg(test)]
mod results_proptest;
#[cfg(test)]
mod results_tests;
#[cfg(test)]
mod version_tests;
