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

impl Delivery {
    /// In the order a form offers them.
    pub const ALL: [Delivery; 3] = [Self::Delivered, Self::Partly, Self::NotYet];

    /// The key used in JSON and in form fields (`partly`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::Partly => "partly",
            Self::NotYet => "not_yet",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key)
    }

    /// "Delivered", "Partly delivered", "Not yet delivered".
    pub fn label(self) -> &'static str {
        match self {
            Self::Delivered => "Delivered",
            Self::Partly => "Partly delivered",
            Self::NotYet => "Not yet delivered",
        }
    }
}

impl Contribution {
    /// From the most to the least.
    pub const ALL: [Contribution; 4] = [Self::Strong, Self::Moderate, Self::Limited, Self::None];

    /// The key used in JSON and in form fields (`limited`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Moderate => "moderate",
            Self::Limited => "limited",
            Self::None => "none",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }

    /// "Strong contribution", …, "No contribution".
    pub fn label(self) -> &'static str {
        match self {
            Self::Strong => "Strong contribution",
            Self::Moderate => "Moderate contribution",
            Self::Limited => "Limited contribution",
            Self::None => "No contribution",
        }
    }
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
/// "Expected result 2", "unexpected output 1", "priority good-governance").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum OutcomeProblem {
    #[error("{item}: there is no report on it")]
    Missing { item: String },
    #[error("{item}: it is not expected of this activity; report it among outputs that were not expected")]
    NotExpected { item: String },
    #[error("{item}: this activity is not judged against it")]
    NotJudgedHere { item: String },
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

impl OutcomeProblem {
    /// Whether the problem makes the report one that cannot be kept at all: a row for
    /// something the activity was not expected to deliver, or one given twice (only a
    /// tampered form or a wrong API call sends those). Every other problem leaves a report
    /// that is kept as it is and shown as unfinished until someone puts it right, so that
    /// nothing typed is lost (a link without `https://`, a note too long).
    pub fn refuses(&self) -> bool {
        matches!(self, Self::NotExpected { .. } | Self::NotJudgedHere { .. } | Self::Repeated { .. })
    }
}

/// How many of a report's expected outputs stand where. Counts, not percentages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub delivered: u32,
    pub partly: u32,
    pub not_yet: u32,
    /// Expected outputs nobody reported on yet.
    pub unreported: u32,
    /// Outputs delivered that were not expected.
    pub unexpected: u32,
    /// Whether what was expected are a permanent activity's expected results (the seed's
    /// words) rather than the matrix's outputs.
    #[serde(default)]
    pub results: bool,
}

impl Tally {
    /// Every expected output.
    pub fn expected(&self) -> u32 {
        self.delivered + self.partly + self.not_yet + self.unreported
    }

    /// "2 of 3 expected outputs delivered, 1 partly"; "No expected output reported yet";
    /// "1 of 4 expected results delivered" for a permanent activity.
    pub fn words(&self) -> String {
        let expected = self.expected();
        let (one, many) = if self.results { ("expected result", "expected results") } else { ("expected output", "expected outputs") };
        if expected == self.unreported && self.unexpected == 0 {
            return match expected {
                0 => "Nothing was expected of it in the matrix".to_owned(),
                _ => format!("No {one} reported yet"),
            };
        }
        let noun = if expected == 1 { one } else { many };
        let mut words = format!("{} of {expected} {noun} delivered", self.delivered);
        for (n, what) in [(self.partly, "partly"), (self.not_yet, "not yet"), (self.unreported, "not reported")] {
            if n > 0 {
                words.push_str(&format!(", {n} {what}"));
            }
        }
        match self.unexpected {
            0 => {}
            1 => words.push_str("; 1 output not expected"),
            n => words.push_str(&format!("; {n} outputs not expected")),
        }
        words
    }
}

impl Expected {
    /// The key a form field carries: `output:training`, `result:2`.
    pub fn key(self) -> String {
        match self {
            Self::Output(o) => format!("output:{}", o.key()),
            Self::Result(n) => format!("result:{n}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key.split_once(':')? {
            ("output", o) => Output::from_key(o).map(Self::Output),
            ("result", n) if !n.starts_with('+') => n.parse().ok().filter(|n| *n > 0).map(Self::Result),
            _ => None,
        }
    }

    /// "Training", or "Expected result 2".
    pub fn words(self) -> String {
        match self {
            Self::Output(o) => o.label().to_owned(),
            Self::Result(n) => format!("Expected result {n}"),
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

    /// The report's expected outputs of `scope` counted by status (rows `scope` does not
    /// expect are not counted; an expected output without a row is unreported).
    pub fn tally(&self, scope: &OutcomeScope) -> Tally {
        let results = scope.expected.iter().any(|e| matches!(e, Expected::Result(_)));
        let mut tally = Tally { unexpected: self.unexpected.len() as u32, results, ..Tally::default() };
        for expected in &scope.expected {
            match self.expected.iter().find(|r| r.expected == *expected).and_then(|r| r.status) {
                Some(Delivery::Delivered) => tally.delivered += 1,
                Some(Delivery::Partly) => tally.partly += 1,
                Some(Delivery::NotYet) => tally.not_yet += 1,
                None => tally.unreported += 1,
            }
        }
        tally
    }

    /// The status of `expected` in this report (`None`: not reported).
    pub fn status_of(&self, expected: Expected) -> Option<Delivery> {
        self.expected.iter().find(|r| r.expected == expected).and_then(|r| r.status)
    }

    /// `self` with a row for each of `scope`'s expected outputs and priorities it lacks
    /// (blank), in `scope`'s order, followed by any rows `scope` does not know: what a form
    /// shows, so a report saved before the matrix changed still shows every row.
    pub fn completed(&self, scope: &OutcomeScope) -> OutcomeReport {
        let blank = scope.blank();
        let mut expected: Vec<ExpectedReport> =
            blank.expected.into_iter().map(|b| self.expected.iter().find(|r| r.expected == b.expected).cloned().unwrap_or(b)).collect();
        expected.extend(self.expected.iter().filter(|r| !scope.expected.contains(&r.expected)).cloned());
        let mut priorities: Vec<PriorityJudgement> =
            blank.priorities.into_iter().map(|b| self.priorities.iter().find(|p| p.priority == b.priority).cloned().unwrap_or(b)).collect();
        priorities.extend(self.priorities.iter().filter(|p| !scope.priorities.contains(&p.priority)).cloned());
        OutcomeReport { expected, unexpected: self.unexpected.clone(), priorities }
    }

    fn check_priorities(&self, scope: &OutcomeScope, problems: &mut Vec<OutcomeProblem>) {
        let mut seen = HashSet::new();
        for judgement in &self.priorities {
            let item = format!("priority {}", judgement.priority);
            if !scope.priorities.contains(&judgement.priority) {
                problems.push(OutcomeProblem::NotJudgedHere { item });
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
