//! The programme's five evaluation formats (the seed's "Evaluation" section) and the template
//! each starts from, written for this work programme. An evaluation copies its format's
//! template; the Secretariat may adjust the copy until the first submission.

mod internal;
mod mid_term;
mod outcome;
mod questionnaire;

use super::check::{check_text, FormError, MAX_HELP_CHARS, MAX_LABEL_CHARS};
use super::form::{is_id, Form};
use super::text::Localized;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// An evaluation format. JSON and URLs use the seed data's ids ([`Format::key`]), so the
/// outcome evaluation is `"compliance"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    #[serde(rename = "post-activity-questionnaire")]
    PostActivityQuestionnaire,
    #[serde(rename = "individual-internal")]
    IndividualInternal,
    #[serde(rename = "collective-internal")]
    CollectiveInternal,
    #[serde(rename = "mid-term")]
    MidTerm,
    #[serde(rename = "compliance")]
    Outcome,
}

/// Process evaluation (how an activity went) or outcome evaluation (what it achieved for the
/// priorities), as the seed groups the formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationKind {
    Process,
    Outcome,
}

/// Who answers a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Respondents {
    /// The activity's participants, without an account, through a shared link; anonymous.
    Participants,
    /// Each member of the Secretariat, on their own.
    EachSecretariatMember,
    /// The Secretariat together, as one text document.
    SecretariatTogether,
    /// One answer per delegation, written by its Permanent Correspondents together.
    EachDelegation,
    /// The Secretariat, one report per activity.
    SecretariatPerActivity,
}

/// What a format's template is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Template {
    /// Questions, answered one respondent (or delegation) at a time.
    Questions { form: Form },
    /// The headings of one text the Secretariat writes together, like a ToR's sections
    /// (collective internal evaluation).
    Sections { sections: Vec<Section> },
    /// An outcome report ([`super::OutcomeReport`], its rows from the matrix) and these
    /// questions beside it.
    Outcome { form: Form },
}

/// One section of a text written together. `id` is the root name of the section's `Y.Text`
/// in the shared document (same rule as question ids): part of the wire format, never renamed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub heading: Localized,
    /// What to write there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<Localized>,
}

impl Format {
    pub const ALL: [Format; 5] = [Self::PostActivityQuestionnaire, Self::IndividualInternal, Self::CollectiveInternal, Self::MidTerm, Self::Outcome];

    /// The id used in JSON, URLs and the seed data.
    pub fn key(self) -> &'static str {
        match self {
            Self::PostActivityQuestionnaire => "post-activity-questionnaire",
            Self::IndividualInternal => "individual-internal",
            Self::CollectiveInternal => "collective-internal",
            Self::MidTerm => "mid-term",
            Self::Outcome => "compliance",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The seed's wording (the seed data's `name`).
    pub fn name(self) -> &'static str {
        match self {
            Self::PostActivityQuestionnaire => "Post activity questionnaires",
            Self::IndividualInternal => "Individual internal evaluation",
            Self::CollectiveInternal => "Collective internal evaluation",
            Self::MidTerm => "Mid-term evaluation",
            Self::Outcome => "Compliance of activities and outputs with the set priorities.",
        }
    }

    /// One evaluation of this format, as a page names it: "Post-activity questionnaire",
    /// "Individual internal evaluation", "Collective internal evaluation", "Mid-term
    /// evaluation", "Outcome evaluation".
    pub fn label(self) -> &'static str {
        match self {
            Self::PostActivityQuestionnaire => "Post-activity questionnaire",
            Self::IndividualInternal => "Individual internal evaluation",
            Self::CollectiveInternal => "Collective internal evaluation",
            Self::MidTerm => "Mid-term evaluation",
            Self::Outcome => "Outcome evaluation",
        }
    }

    /// Who gives it, as the seed says in brackets; the outcome evaluation has none.
    pub fn by(self) -> Option<&'static str> {
        match self {
            Self::PostActivityQuestionnaire => Some("participants feedback"),
            Self::IndividualInternal | Self::CollectiveInternal => Some("Secretariat"),
            Self::MidTerm => Some("Permanent Correspondents"),
            Self::Outcome => None,
        }
    }

    pub fn kind(self) -> EvaluationKind {
        match self {
            Self::Outcome => EvaluationKind::Outcome,
            _ => EvaluationKind::Process,
        }
    }

    pub fn respondents(self) -> Respondents {
        match self {
            Self::PostActivityQuestionnaire => Respondents::Participants,
            Self::IndividualInternal => Respondents::EachSecretariatMember,
            Self::CollectiveInternal => Respondents::SecretariatTogether,
            Self::MidTerm => Respondents::EachDelegation,
            Self::Outcome => Respondents::SecretariatPerActivity,
        }
    }
}

impl Respondents {
    /// Whether answers are anonymous by default: nobody, the Secretariat included, can tell
    /// who gave which answer, and results wait for `results::MIN_ANONYMOUS_RESPONSES`.
    pub fn anonymous(self) -> bool {
        self == Self::Participants
    }

    /// The noun for a response rate, singular and plural: ("delegation", "delegations").
    pub fn noun(self) -> (&'static str, &'static str) {
        match self {
            Self::Participants => ("participant", "participants"),
            Self::EachSecretariatMember => ("Secretariat member", "Secretariat members"),
            Self::EachDelegation => ("delegation", "delegations"),
            Self::SecretariatTogether | Self::SecretariatPerActivity => ("report", "reports"),
        }
    }
}

/// The template `format` starts from.
pub fn template(format: Format) -> Template {
    match format {
        Format::PostActivityQuestionnaire => Template::Questions { form: questionnaire::form() },
        Format::IndividualInternal => Template::Questions { form: internal::individual() },
        Format::CollectiveInternal => Template::Sections { sections: internal::collective() },
        Format::MidTerm => Template::Questions { form: mid_term::form() },
        Format::Outcome => Template::Outcome { form: outcome::form() },
    }
}

impl Template {
    /// The questions, for every format but the collective internal evaluation.
    pub fn form(&self) -> Option<&Form> {
        match self {
            Self::Questions { form } | Self::Outcome { form } => Some(form),
            Self::Sections { .. } => None,
        }
    }

    /// [`Form::check`] or [`check_sections`], as it is.
    pub fn check(&self) -> Result<(), Vec<FormError>> {
        match self {
            Self::Questions { form } | Self::Outcome { form } => form.check(),
            Self::Sections { sections } => check_sections(sections),
        }
    }
}

/// Whether sections are well made: at least one, ids valid and unique, headings not blank,
/// within the label and help limits. Problems name the section as `question`.
pub fn check_sections(sections: &[Section]) -> Result<(), Vec<FormError>> {
    let mut errors = Vec::new();
    if sections.is_empty() {
        errors.push(FormError::NoQuestions);
    }
    let mut seen = HashSet::new();
    for s in sections {
        if !is_id(&s.id) {
            errors.push(FormError::BadId { id: s.id.clone() });
        } else if !seen.insert(s.id.as_str()) {
            errors.push(FormError::DuplicateQuestion { question: s.id.clone() });
        }
        check_text(&s.id, "heading", &s.heading, MAX_LABEL_CHARS, &mut errors);
        if let Some(guidance) = &s.guidance {
            check_text(&s.id, "guidance", guidance, MAX_HELP_CHARS, &mut errors);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
