//! A form as the question editor's plain fields (issue 15: the Secretariat adjusts an
//! evaluation's questions on `/evaluations/{id}/questions`, a page that works without
//! JavaScript). Every field is kept as typed, so a form that cannot be saved yet comes back
//! with its problems in words and nothing typed is lost; the editor's steps (add a question,
//! remove one, move one up) work on the fields alone, before anything is saved.
//!
//! Decisions: a question's id may be left blank and is then made from its English label
//! (`"How useful was it?"` → `how-useful-was-it`), made unique in the form; choices are
//! written one per line as `[id] English | Français | العربية`, the id and the other
//! languages optional (a new option's id is made like a question's), and the ends of a rating
//! scale as `English | Français | العربية`; numbers take a decimal comma as well as a point.

use super::check::MAX_QUESTIONS;
use super::form::{is_id, Choice, Form, Question, QuestionKind, ShowWhen, LONG_TEXT_MAX_CHARS, MAX_ID_CHARS, SHORT_TEXT_MAX_CHARS};
use super::text::Localized;
use crate::model::fold::fold;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The kinds a question may be, as the editor's choice: (key, words).
pub const KINDS: [(&str, &str); 8] = [
    ("short_text", "Short text (one line)"),
    ("long_text", "Long text (paragraphs)"),
    ("single_choice", "Single choice"),
    ("multiple_choice", "Multiple choice"),
    ("rating", "Rating scale (1 to 5)"),
    ("yes_no", "Yes or no"),
    ("number", "Number"),
    ("date", "Date"),
];

/// What separates the languages of one text in a line.
pub const LANGUAGES_SEPARATOR: char = '|';

/// One question as the editor's fields, each a string as typed (booleans as checkboxes).
/// `label` and `help` are English, French and Arabic, in that order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionFields {
    pub id: String,
    /// One of [`KINDS`]' keys.
    pub kind: String,
    pub label: [String; 3],
    pub help: [String; 3],
    pub required: bool,
    /// Choice questions: one option a line, `[id] English | Français | العربية`.
    pub options: String,
    /// Multiple choice: the most options one may choose, blank for no limit.
    pub max_choices: String,
    /// Texts: the most characters, blank for the default.
    pub max_chars: String,
    /// Rating: the words at each end, `English | Français | العربية`.
    pub low: String,
    pub high: String,
    /// Number: the bounds, blank for none, and whether only whole numbers.
    pub min: String,
    pub max: String,
    pub integer: bool,
    /// "Show only when question `when_question`'s answer is `when_equals`"; blank for always.
    pub when_question: String,
    pub when_equals: String,
}

/// A whole form as the editor's fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormFields {
    pub questions: Vec<QuestionFields>,
}

/// What the editor's form asks for: save, or one of the steps that only change the fields.
/// Posted as the `step` button's value: `save`, `add`, `remove-3`, `up-3` (question positions
/// from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Save,
    Add,
    Remove(usize),
    Up(usize),
}

impl Step {
    /// The step a button's value names; `None` for anything else.
    pub fn parse(value: &str) -> Option<Self> {
        let at = |rest: &str| rest.parse::<usize>().ok();
        match value {
            "save" => Some(Self::Save),
            "add" => Some(Self::Add),
            _ => {
                if let Some(rest) = value.strip_prefix("remove-") {
                    at(rest).map(Self::Remove)
                } else {
                    value.strip_prefix("up-").and_then(at).map(Self::Up)
                }
            }
        }
    }
}

/// The name of question `at`'s field `field` in the editor's form: `e3.label-fr`.
pub fn editor_field(at: usize, field: &str) -> String {
    format!("e{at}.{field}")
}

impl FormFields {
    /// The fields showing `form` as it is.
    pub fn of(form: &Form) -> Self {
        Self { questions: form.questions.iter().map(QuestionFields::of).collect() }
    }

    /// The fields of a posted editor form ([`editor_field`] names; others are ignored).
    /// Questions are numbered from 0 without gaps; a form naming more than [`MAX_QUESTIONS`]
    /// is cut there (the check then says nothing of the rest: they were never shown).
    pub fn posted(fields: &[(String, String)]) -> Self {
        let mut questions: Vec<QuestionFields> = Vec::new();
        for (name, value) in fields {
            let Some((at, field)) = name.strip_prefix('e').and_then(|rest| rest.split_once('.')) else { continue };
            let Ok(at) = at.parse::<usize>() else { continue };
            if at >= MAX_QUESTIONS {
                continue;
            }
            if questions.len() <= at {
                questions.resize_with(at + 1, QuestionFields::default);
            }
            questions[at].set(field, value);
        }
        Self { questions }
    }

    /// Applies an editing step (saving changes nothing here). Positions out of range do
    /// nothing; at most [`MAX_QUESTIONS`] questions are added.
    pub fn step(&mut self, step: Step) {
        match step {
            Step::Save => {}
            Step::Add if self.questions.len() < MAX_QUESTIONS => self.questions.push(QuestionFields { kind: "short_text".into(), ..QuestionFields::default() }),
            Step::Add => {}
            Step::Remove(at) if at < self.questions.len() => {
                self.questions.remove(at);
            }
            Step::Up(at) if at > 0 && at < self.questions.len() => self.questions.swap(at - 1, at),
            Step::Remove(_) | Step::Up(_) => {}
        }
    }

    /// The form the fields describe, or every problem in words: first what cannot be read
    /// (a bound that is not a number), then what [`Form::check`] finds.
    pub fn form(&self) -> Result<Form, Vec<String>> {
        let mut problems = Vec::new();
        let mut taken: HashSet<String> = self.questions.iter().map(|q| q.id.trim().to_owned()).filter(|id| !id.is_empty()).collect();
        let mut questions = Vec::with_capacity(self.questions.len());
        for (at, fields) in self.questions.iter().enumerate() {
            let id = match fields.id.trim() {
                "" => unique(&made_id(&fields.label[0], &format!("question-{}", at + 1)), &mut taken),
                id => id.to_owned(),
            };
            let name = |what: &str| match short(&fields.label[0]) {
                label if label.is_empty() => format!("Question {}: {what}", at + 1),
                label => format!("Question {} (“{label}”): {what}", at + 1),
            };
            match fields.question(&id) {
                Ok(question) => questions.push(question),
                Err(problem) => problems.push(name(&problem)),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let form = Form { questions };
        form.check().map_err(|errors| errors.iter().map(|e| capitalised(&e.to_string())).collect::<Vec<_>>())?;
        Ok(form)
    }
}

#[cfg(any(test, feature = "testing"))]
impl FormFields {
    /// What a browser posts for these fields, as the editor page names them (checkboxes only
    /// when ticked): for tests that post the editor's form.
    pub fn browser_post(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (at, q) in self.questions.iter().enumerate() {
            let mut put = |name: &str, value: &str| out.push((editor_field(at, name), value.to_owned()));
            put("id", &q.id);
            put("kind", &q.kind);
            for (i, lang) in ["en", "fr", "ar"].iter().enumerate() {
                put(&format!("label-{lang}"), &q.label[i]);
                put(&format!("help-{lang}"), &q.help[i]);
            }
            for (name, ticked) in [("required", q.required), ("integer", q.integer)] {
                if ticked {
                    put(name, "on");
                }
            }
            for (name, value) in [
                ("options", &q.options),
                ("max-choices", &q.max_choices),
                ("max-chars", &q.max_chars),
                ("low", &q.low),
                ("high", &q.high),
                ("min", &q.min),
                ("max", &q.max),
                ("when-question", &q.when_question),
                ("when-equals", &q.when_equals),
            ] {
                put(name, value);
            }
        }
        out
    }
}

impl QuestionFields {
    fn of(q: &Question) -> Self {
        let mut fields = Self {
            id: q.id.clone(),
            label: three(&q.label),
            help: q.help.as_ref().map(three).unwrap_or_default(),
            required: q.required,
            when_question: q.show_when.as_ref().map(|w| w.question.clone()).unwrap_or_default(),
            when_equals: q.show_when.as_ref().map(|w| w.equals.clone()).unwrap_or_default(),
            ..Self::default()
        };
        let (kind, _) = match &q.kind {
            QuestionKind::ShortText { max_chars } => {
                fields.max_chars = max_chars.to_string();
                KINDS[0]
            }
            QuestionKind::LongText { max_chars } => {
                fields.max_chars = max_chars.to_string();
                KINDS[1]
            }
            QuestionKind::SingleChoice { options } => {
                fields.options = option_lines(options);
                KINDS[2]
            }
            QuestionKind::MultipleChoice { options, max } => {
                fields.options = option_lines(options);
                fields.max_choices = max.map(|m| m.to_string()).unwrap_or_default();
                KINDS[3]
            }
            QuestionKind::Rating { low_label, high_label } => {
                fields.low = line(low_label);
                fields.high = line(high_label);
                KINDS[4]
            }
            QuestionKind::YesNo => KINDS[5],
            QuestionKind::Number { min, max, integer } => {
                fields.min = min.map(|m| m.to_string()).unwrap_or_default();
                fields.max = max.map(|m| m.to_string()).unwrap_or_default();
                fields.integer = *integer;
                KINDS[6]
            }
            QuestionKind::Date => KINDS[7],
        };
        fields.kind = kind.to_owned();
        fields
    }

    fn set(&mut self, field: &str, value: &str) {
        let value = value.to_owned();
        match field {
            "id" => self.id = value,
            "kind" => self.kind = value,
            "label-en" => self.label[0] = value,
            "label-fr" => self.label[1] = value,
            "label-ar" => self.label[2] = value,
            "help-en" => self.help[0] = value,
            "help-fr" => self.help[1] = value,
            "help-ar" => self.help[2] = value,
            "required" => self.required = true,
            "options" => self.options = value,
            "max-choices" => self.max_choices = value,
            "max-chars" => self.max_chars = value,
            "low" => self.low = value,
            "high" => self.high = value,
            "min" => self.min = value,
            "max" => self.max = value,
            "integer" => self.integer = true,
            "when-question" => self.when_question = value,
            "when-equals" => self.when_equals = value,
            _ => {}
        }
    }

    /// The question these fields describe, with id `id`, or what cannot be read.
    fn question(&self, id: &str) -> Result<Question, String> {
        let kind = match self.kind.as_str() {
            "short_text" => QuestionKind::ShortText { max_chars: whole(&self.max_chars, "the most characters")?.unwrap_or(SHORT_TEXT_MAX_CHARS) },
            "long_text" => QuestionKind::LongText { max_chars: whole(&self.max_chars, "the most characters")?.unwrap_or(LONG_TEXT_MAX_CHARS) },
            "single_choice" => QuestionKind::SingleChoice { options: options(&self.options) },
            "multiple_choice" => QuestionKind::MultipleChoice { options: options(&self.options), max: whole(&self.max_choices, "the most choices")? },
            "rating" => QuestionKind::Rating { low_label: localized(&self.low), high_label: localized(&self.high) },
            "yes_no" => QuestionKind::YesNo,
            "number" => QuestionKind::Number { min: number(&self.min, "the minimum")?, max: number(&self.max, "the maximum")?, integer: self.integer },
            "date" => QuestionKind::Date,
            other => return Err(format!("“{}” is not a kind of question", short(other))),
        };
        let help = Localized { en: self.help[0].trim().to_owned(), fr: some(&self.help[1]), ar: some(&self.help[2]) };
        let when = self.when_question.trim();
        Ok(Question {
            id: id.to_owned(),
            label: Localized { en: self.label[0].trim().to_owned(), fr: some(&self.label[1]), ar: some(&self.label[2]) },
            help: (!help.en.is_empty() || help.fr.is_some() || help.ar.is_some()).then_some(help),
            required: self.required,
            show_when: (!when.is_empty()).then(|| ShowWhen { question: when.to_owned(), equals: self.when_equals.trim().to_owned() }),
            kind,
        })
    }
}

fn three(text: &Localized) -> [String; 3] {
    [text.en.clone(), text.fr.clone().unwrap_or_default(), text.ar.clone().unwrap_or_default()]
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// `English | Français | العربية`, the absent ones at the end left out.
fn line(text: &Localized) -> String {
    let mut parts = vec![text.en.as_str(), text.fr.as_deref().unwrap_or(""), text.ar.as_deref().unwrap_or("")];
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts.join(" | ")
}

fn localized(line: &str) -> Localized {
    let mut parts = line.split(LANGUAGES_SEPARATOR).map(str::trim);
    let en = parts.next().unwrap_or_default().to_owned();
    Localized { en, fr: parts.next().and_then(some), ar: parts.next().and_then(some) }
}

fn option_lines(options: &[Choice]) -> String {
    options.iter().map(|o| format!("[{}] {}", o.id, line(&o.label))).collect::<Vec<_>>().join("\n")
}

/// One option a non-blank line; `[id]` first when given, else made from the English words.
fn options(lines: &str) -> Vec<Choice> {
    let mut taken: HashSet<String> = HashSet::new();
    let parsed: Vec<(Option<String>, Localized)> = lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.strip_prefix('[').and_then(|rest| rest.split_once(']')) {
            Some((id, rest)) => (Some(id.trim().to_owned()), localized(rest)),
            None => (None, localized(l)),
        })
        .collect();
    taken.extend(parsed.iter().filter_map(|(id, _)| id.clone()));
    parsed
        .into_iter()
        .enumerate()
        .map(|(at, (id, label))| {
            let id = id.unwrap_or_else(|| unique(&made_id(&label.en, &format!("option-{}", at + 1)), &mut taken));
            Choice { id, label }
        })
        .collect()
}

/// An id made of `words` (folded to lowercase ASCII letters and digits, the rest hyphens),
/// or `fallback` when nothing is left.
fn made_id(words: &str, fallback: &str) -> String {
    let folded = fold(words);
    let mut id = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
        if id.len() >= MAX_ID_CHARS - 4 {
            break;
        }
    }
    let id = id.trim_end_matches('-').to_owned();
    if is_id(&id) {
        id
    } else {
        fallback.to_owned()
    }
}

/// `base`, or `base-2`, `base-3` … whichever is not taken yet; marks it taken.
fn unique(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

fn whole(text: &str, what: &str) -> Result<Option<u32>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| format!("{what} must be a whole number, not “{}”", short(t))),
    }
}

fn number(text: &str, what: &str) -> Result<Option<f64>, String> {
    match text.trim() {
        "" => Ok(None),
        t => match t.replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(format!("{what} must be a number, not “{}”", short(t))),
        },
    }
}

/// At most 60 characters of `text`, for naming it in a message.
fn short(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
#[path = "form_edit_tests.rs"]
mod tests;
