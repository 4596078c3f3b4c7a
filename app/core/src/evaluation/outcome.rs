//! The outcome evaluation's report ("Compliance of activities and outputs with the set
//! priorities"), written by the Secretariat per action and per permanent activity: for each
//! expected output, whether it was delivered, with evidence; outputs delivered that were not
//! expected; and a judgement of the contribution to the thematic priorities. Typed rather than
//! a form, because its rows come from the matrix.

use crate::model::{Action, Output, PermanentActivity, Programme};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The most characters of a name (of an output) and of a web address.
pub const MAX_NAME_CHARS: usize = 500;
pub const MAX_LINK_CHARS: usize = 2_000;
/// The most characters of a note.
pub const MAX_NOTE_CHARS: usize = 5_000;

/// What was expected: an output of the matrix (for an action), or the `n`th expected result
/// of a permanent activity as the seed lists them, from 1 (permanent activities are not in
/// the matrix). JSON: `{"output": "training"}` or `{"result": 2}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    Output(Output),
    Result(u32),
}

/// Delivered, partly delivered, not yet delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Delivered,
    Partly,
    NotYet,
}

/// How much an activity contributed to a thematic priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contribution {
    Strong,
    Moderate,
    Limited,
    None,
}

/// Where to see the output: a web address (`http://` or `https://`) and a note.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// One expected output and what became of it. `name` says what the output is; it is needed
/// for "Other output", whose matrix column names nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedReport {
    pub expected: Expected,
    #[serde(default)]
    pub name: String,
    /// `None` until someone says.
    #[serde(default)]
    pub status: Option<Delivery>,
    #[serde(default)]
    pub evidence: Evidence,
}

/// An output delivered that was not expected: its kind, a name (always needed: no matrix row
/// says what it is) and evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnexpectedReport {
    pub output: Output,
    pub name: String,
    #[serde(default)]
    pub evidence: Evidence,
}

/// The judgement of the contribution to one thematic priority (its id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityJudgement {
    pub priority: String,
    #[serde(default)]
    pub contribution: Option<Contribution>,
    #[serde(default)]
    pub note: String,
}

/// One activity's outcome report. JSON: `{"expected": [ExpectedReport], "unexpected":
/// [UnexpectedReport], "priorities": [PriorityJudgement]}`.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OutcomeReport {
    pub expected: Vec<ExpectedReport>,
    #[serde(default)]
    pub unexpected: Vec<UnexpectedReport>,
    pub priorities: Vec<PriorityJudgement>,
}

/// What one activity's report must cover: its expected outputs and the priorities to judge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeScope {
    pub expected: Vec<Expected>,
    pub priorities: Vec<String>,
}

impl OutcomeScope {
    /// An action: its outputs in the matrix, judged against its own priority.
    pub fn action(action: &Action) -> Self {
        Self { expected: action.outputs.iter().copied().map(Expected::Output).collect(), priorities: vec![action.priority.clone()] }
    }

    /// A permanent activity: its expected results, judged against every thematic priority
    /// (the seed asks permanent activities to contribute to the priorities "as far as
    /// possible", not to one of them).
    pub fn permanent_activity(activity: &PermanentActivity, programme: &Programme) -> Self {
        Self {
            expected: (1..=activity.expected_results.len() as u32).map(Expected::Result).collect(),
            priorities: programme.priorities.iter().map(|p| p.id.clone()).collect(),
        }
    }

    /// A report with a row per expected output and priority, nothing said yet.
    pub fn blank(&self) -> OutcomeReport {
        OutcomeReport {
            expected: self.expected.iter().map(|e| ExpectedReport { expected: *e, name: String::new(), status: None, evidence: Evidence::default() }).collect(),
            unexpected: Vec::new(),
            priorities: self.priorities.iter().map(|p| PriorityJudgement { priority: p.clone(), contribution: None, note: String::new() }).collect(),
        }
    }
}

/// What is wrong with an outcome report, in words; `item` names the row ("Training",
/// "expected result 2", "unexpected output 1", "priority good-governance").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum OutcomeProblem {
    #[error("{item}: there is no report on it")]
    Missing { item: String },
    #[error("{item}: it is not expected of this activity; report it among outputs that were not expected")]
    NotExpected { item: String },
    #[error("{item}: it is reported twice")]
    Repeated { item: String },
    #[error("{item}: say whether it was delivered")]
    NoStatus { item: String },
    #[error("{item}: give a link or a note as evidence")]
    NoEvidence { item: String },
    #[error("{item}: {link:?} is not a web address (it must begin with http:// or https://)")]
    BadLink { item: String, link: String },
    #[error("{item}: give its name")]
    NoName { item: String },
    #[error("{item}: the {what} is longer than {max} characters")]
    TooLong { item: String, what: String, max: usize },
    #[error("{item}: judge its contribution")]
    NoJudgement { item: String },
}

impl Expected {
    /// "Training", or "expected result 2".
    pub fn words(self) -> String {
        match self {
            Self::Output(o) => o.label().to_owned(),
            Self::Result(n) => format!("expected result {n}"),
        }
    }
}

impl OutcomeReport {
    /// Every problem with the report as a finished report of `scope`'s activity: each
    /// expected output reported once with a status, and (delivered or partly) with evidence;
    /// "Other output" and every unexpected output named; links web addresses; each priority
    /// of the scope judged once; nothing else.
    pub fn check(&self, scope: &OutcomeScope) -> Result<(), Vec<OutcomeProblem>> {
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        for report in &self.expected {
            let item = report.expected.words();
            if !scope.expected.contains(&report.expected) {
                problems.push(OutcomeProblem::NotExpected { item });
                continue;
            }
            if !seen.insert(report.expected) {
                problems.push(OutcomeProblem::Repeated { item });
                continue;
            }
            if report.expected == Expected::Output(Output::Other) && report.name.trim().is_empty() {
                problems.push(OutcomeProblem::NoName { item: item.clone() });
            }
            match report.status {
                None => problems.push(OutcomeProblem::NoStatus { item: item.clone() }),
                Some(Delivery::Delivered | Delivery::Partly) if report.evidence.is_empty() => problems.push(OutcomeProblem::NoEvidence { item: item.clone() }),
                Some(_) => {}
            }
            check_texts(&item, &report.name, &report.evidence, &mut problems);
        }
        for missing in scope.expected.iter().filter(|e| !seen.contains(*e)) {
            problems.push(OutcomeProblem::Missing { item: missing.words() });
        }
        for (n, report) in self.unexpected.iter().enumerate() {
            let item = format!("unexpected output {} ({})", n + 1, report.output.label());
            if report.name.trim().is_empty() {
                problems.push(OutcomeProblem::NoName { item: item.clone() });
            }
            check_texts(&item, &report.name, &report.evidence, &mut problems);
        }
        self.check_priorities(scope, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn check_priorities(&self, scope: &OutcomeScope, problems: &mut Vec<OutcomeProblem>) {
        let mut seen = HashSet::new();
        for judgement in &self.priorities {
            let item = format!("priority {}", judgement.priority);
            if !scope.priorities.contains(&judgement.priority) {
                problems.push(OutcomeProblem::NotExpected { item });
            } else if !seen.insert(judgement.priority.as_str()) {
                problems.push(OutcomeProblem::Repeated { item });
            } else {
                if judgement.contribution.is_none() {
                    problems.push(OutcomeProblem::NoJudgement { item: item.clone() });
                }
                if judgement.note.chars().count() > MAX_NOTE_CHARS {
                    problems.push(OutcomeProblem::TooLong { item, what: "note".into(), max: MAX_NOTE_CHARS });
                }
            }
        }
        for missing in scope.priorities.iter().filter(|p| !seen.contains(p.as_str())) {
            problems.push(OutcomeProblem::Missing { item: format!("priority {missing}") });
        }
    }
}

impl Evidence {
    /// No link and a blank note.
    pub fn is_empty(&self) -> bool {
        self.link.as_deref().is_none_or(|l| l.trim().is_empty()) && self.note.trim().is_empty()
    }
}

fn check_texts(item: &str, name: &str, evidence: &Evidence, problems: &mut Vec<OutcomeProblem>) {
    let too_long = |what: &str, max| OutcomeProblem::TooLong { item: item.to_owned(), what: what.to_owned(), max };
    if name.chars().count() > MAX_NAME_CHARS {
        problems.push(too_long("name", MAX_NAME_CHARS));
    }
    if evidence.note.chars().count() > MAX_NOTE_CHARS {
        problems.push(too_long("note", MAX_NOTE_CHARS));
    }
    match evidence.link.as_deref().filter(|l| !l.trim().is_empty()) {
        Some(link) if link.chars().count() > MAX_LINK_CHARS => problems.push(too_long("link", MAX_LINK_CHARS)),
        Some(link) if !is_web_address(link) => problems.push(OutcomeProblem::BadLink { item: item.to_owned(), link: link.to_owned() }),
        _ => {}
    }
}

/// Whether `link` is one whole `http://` or `https://` address with a host, by the rule
/// comment bodies use (`doc::split_links`): no spaces, no `javascript:` or `data:`.
pub fn is_web_address(link: &str) -> bool {
    let host_start = ["https://", "http://"].iter().find_map(|s| link.get(..s.len()).filter(|p| p.eq_ignore_ascii_case(s)).map(|_| s.len()));
    let has_host = host_start.and_then(|at| link[at..].chars().next()).is_some_and(|c| c.is_alphanumeric() || c == '[');
    has_host && matches!(crate::doc::split_links(link).as_slice(), [crate::doc::BodyPiece::Link(l)] if *l == link)
}
