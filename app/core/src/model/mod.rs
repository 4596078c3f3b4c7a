//! The work programme's types: priorities, actions, permanent activities and working
//! methods, as adopted in 2018. UI-free and I/O-free: the server, the pages and the JSON API
//! all speak these types, and `cargo test` exercises them on the host.
//!
//! Serialising a [`Programme`] gives the stable JSON of `GET /api/v1/programme`.

pub mod filter;
pub mod fold;
mod format;
pub mod search;
#[cfg(any(feature = "seed", test))]
pub mod seed;
mod validate;

pub use format::{ActivityFormat, Output};
pub use validate::{is_slug, ModelError};

use serde::{Deserialize, Serialize};

/// The whole adopted work programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// Document reference, e.g. "P-PG/MinConf (2018) 4".
    pub reference: String,
    pub date: String,
    pub title: String,
    pub motto: String,
    pub adopted: String,
    /// Paragraphs of the introduction.
    pub introduction: Vec<String>,
    pub principles: Listing,
    pub added_value: Listing,
    pub expected_outcomes: Listing,
    pub products: Listing,
    /// The sentence that introduces the thematic priorities.
    pub priorities_intro: String,
    pub priorities: Vec<Priority>,
    pub why_pompidou: Listing,
    pub working_methods: WorkingMethods,
    /// The sentence that introduces the permanent activities.
    pub permanent_activities_intro: String,
    pub permanent_activities: Vec<PermanentActivity>,
}

/// A lead sentence followed by points, as the seed sets most of its prose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Listing {
    pub lead: String,
    pub points: Vec<Point>,
}

/// One paragraph or list point. `label` is the emphasised words that open it in the seed
/// ("Better overview", "Permanent Correspondents (PCs):"); the full text is `label` + `text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub text: String,
}

/// One of the three thematic priorities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    /// Stable slug, e.g. "good-governance".
    pub id: String,
    /// 1, 2 or 3, as numbered in the seed.
    pub number: u8,
    pub title: String,
    /// The sub-items listed under "Thematic priorities".
    pub items: Vec<PriorityItem>,
    /// The actions of the closing table under this priority, in table order.
    pub actions: Vec<Action>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityItem {
    pub text: String,
    #[serde(default)]
    pub items: Vec<String>,
}

/// One row of the closing table: a proposed action, its format and its expected outputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Stable slug, e.g. "human-rights-coherent-policy".
    pub id: String,
    pub title: String,
    /// 1 for a top-level action ("•"), 2 for a sub-action ("○"). Derived from `parent` when
    /// the seed is loaded.
    #[serde(default)]
    pub level: u8,
    /// The id of the top-level action a sub-action belongs to.
    #[serde(default)]
    pub parent: Option<String>,
    /// The id of the thematic priority. Filled in from the nesting when the seed is loaded.
    #[serde(default)]
    pub priority: String,
    pub format: ActivityFormat,
    pub outputs: Vec<Output>,
}

/// One of the seven permanent activities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermanentActivity {
    pub id: String,
    pub name: String,
    pub aims: String,
    /// The sentence before the list of expected results, where the seed has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_results_lead: Option<String>,
    pub expected_results: Vec<String>,
}

/// "Working methods": how actions are chosen, run, framed and evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingMethods {
    /// "Focusing on priorities", paragraph by paragraph.
    pub focusing_on_priorities: Vec<String>,
    /// "Synergies and efficiency": a lead and one point per working structure.
    pub synergies: Listing,
    /// "Work formats": the lead paragraph and each format with what it produces.
    pub work_formats_lead: String,
    pub work_formats: Vec<WorkFormat>,
    /// The paragraph on new activities that leads into the criteria.
    pub new_activities: String,
    /// The criteria a proposal for a new activity is decided on.
    pub criteria: Vec<String>,
    pub expected_results: String,
    pub terms_of_reference: TermsOfReferenceGuidance,
    pub evaluation: Evaluation,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkFormat {
    pub name: String,
    pub produces: String,
}

/// What terms of reference must take into account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsOfReferenceGuidance {
    /// The seed's paragraph, whole.
    pub text: String,
    /// The three things, (i) to (iii).
    pub considerations: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub lead: String,
    /// Process evaluation formats.
    pub process: Vec<EvaluationFormat>,
    /// The sentence that introduces the outcome evaluation.
    pub outcome_lead: String,
    /// Outcome evaluation formats.
    pub outcome: Vec<EvaluationFormat>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationFormat {
    /// Stable slug, e.g. "post-activity-questionnaire".
    pub id: String,
    pub name: String,
    /// Who gives or conducts it, as the seed says in brackets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Programme {
    /// Every action, priority by priority, in table order.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.priorities.iter().flat_map(|p| p.actions.iter())
    }

    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions().find(|a| a.id == id)
    }

    pub fn priority(&self, id: &str) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.id == id)
    }

    pub fn permanent_activity(&self, id: &str) -> Option<&PermanentActivity> {
        self.permanent_activities.iter().find(|p| p.id == id)
    }

    /// The sub-actions of a top-level action, in table order.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Action> + 'a {
        self.actions().filter(move |a| a.parent.as_deref() == Some(id))
    }

    /// Fills in the derived fields (`level`, `priority`) from the nesting and `parent`.
    pub fn derive_fields(&mut self) {
        for priority in &mut self.priorities {
            for action in &mut priority.actions {
                action.level = if action.parent.is_some() { 2 } else { 1 };
                action.priority = priority.id.clone();
            }
        }
    }
}

impl EvaluationFormat {
    /// The name with who conducts it, as the seed writes it: "Mid-term evaluation (Permanent
    /// Correspondents)".
    pub fn full_name(&self) -> String {
        match &self.by {
            Some(by) => format!("{} ({by})", self.name),
            None => self.name.clone(),
        }
    }
}

impl Action {
    pub fn has_output(&self, output: Output) -> bool {
        self.outputs.contains(&output)
    }
}
