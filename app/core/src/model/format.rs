//! The two closed vocabularies of the closing table: activity formats (rows) and expected
//! outputs (columns). Their serde names are the JSON API's keys and the matrix's URL filters.

use serde::{Deserialize, Serialize};

/// How an action is implemented (the table's "Activity format" column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityFormat {
    PcWorkingParty,
    ExpertGroup,
    DrugPolicyAcademy,
    PcMeetingSymposium,
    SeminarsSymposium,
    CooperationNetwork,
    SeeCoop,
}

impl ActivityFormat {
    pub const ALL: [ActivityFormat; 7] = [
        Self::PcWorkingParty,
        Self::ExpertGroup,
        Self::DrugPolicyAcademy,
        Self::PcMeetingSymposium,
        Self::SeminarsSymposium,
        Self::CooperationNetwork,
        Self::SeeCoop,
    ];

    /// The seed's wording.
    pub fn label(self) -> &'static str {
        match self {
            Self::PcWorkingParty => "PC working party",
            Self::ExpertGroup => "Expert group",
            Self::DrugPolicyAcademy => "Drug Policy Academy",
            Self::PcMeetingSymposium => "PC meeting/Symposium",
            Self::SeminarsSymposium => "Seminars/Symposium",
            Self::CooperationNetwork => "Cooperation network",
            Self::SeeCoop => "SEE Coop",
        }
    }

    /// The key used in JSON and in URLs (`?format=expert_group`).
    pub fn key(self) -> &'static str {
        match self {
            Self::PcWorkingParty => "pc_working_party",
            Self::ExpertGroup => "expert_group",
            Self::DrugPolicyAcademy => "drug_policy_academy",
            Self::PcMeetingSymposium => "pc_meeting_symposium",
            Self::SeminarsSymposium => "seminars_symposium",
            Self::CooperationNetwork => "cooperation_network",
            Self::SeeCoop => "see_coop",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The permanent activity that runs actions of this format, where there is one.
    pub fn permanent_activity(self) -> Option<&'static str> {
        match self {
            Self::DrugPolicyAcademy => Some("drug-policy-academy"),
            Self::SeeCoop => Some("south-east-europe"),
            _ => None,
        }
    }
}

/// An expected output (the table's eight columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    PolicyPaper,
    Statement,
    Guidelines,
    OpenDebate,
    Training,
    ManualTool,
    ExpertReport,
    Other,
}

impl Output {
    /// In the table's column order.
    pub const ALL: [Output; 8] =
        [Self::PolicyPaper, Self::Statement, Self::Guidelines, Self::OpenDebate, Self::Training, Self::ManualTool, Self::ExpertReport, Self::Other];

    /// The column heading, in the seed's wording.
    pub fn label(self) -> &'static str {
        match self {
            Self::PolicyPaper => "Policy paper",
            Self::Statement => "Statement",
            Self::Guidelines => "Guidelines",
            Self::OpenDebate => "Open debate",
            Self::Training => "Training",
            Self::ManualTool => "Manual, tool",
            Self::ExpertReport => "Expert report",
            Self::Other => "Other output",
        }
    }

    /// The key used in JSON and in URLs (`?output=training`).
    pub fn key(self) -> &'static str {
        match self {
            Self::PolicyPaper => "policy_paper",
            Self::Statement => "statement",
            Self::Guidelines => "guidelines",
            Self::OpenDebate => "open_debate",
            Self::Training => "training",
            Self::ManualTool => "manual_tool",
            Self::ExpertReport => "expert_report",
            Self::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_serde_names_and_round_trip() {
        for f in ActivityFormat::ALL {
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.key()));
            assert_eq!(ActivityFormat::from_key(f.key()), Some(f));
        }
        for o in Output::ALL {
            assert_eq!(serde_json::to_string(&o).unwrap(), format!("\"{}\"", o.key()));
            assert_eq!(Output::from_key(o.key()), Some(o));
        }
        assert_eq!(ActivityFormat::from_key("Expert group"), None);
        assert_eq!(Output::from_key(""), None);
    }
}
