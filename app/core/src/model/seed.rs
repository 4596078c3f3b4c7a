//! The adopted programme as data: `app/core/data/programme-2019-2022.toml`, transcribed from the
//! seed text with its wording kept. The server loads it into its database on first start;
//! the wasm build does not carry it.

use super::Programme;

const SEED_TOML: &str = include_str!("../../data/programme-2019-2022.toml");

/// Version of the seed data, stored beside it in the database so a later seed can migrate.
pub const SEED_VERSION: &str = "2019-2022/1";

/// Parses the seed, derives `level` and `priority`, and checks the invariants.
pub fn try_programme() -> Result<Programme, String> {
    let mut programme: Programme = toml::from_str(SEED_TOML).map_err(|e| format!("seed data does not parse: {e}"))?;
    programme.derive_fields();
    programme.validate().map_err(|e| format!("seed data is inconsistent: {e}"))?;
    Ok(programme)
}

/// The seed programme. The seed is part of the build and tested, so a failure here is a bug.
pub fn programme() -> Programme {
    try_programme().unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    //! Pins the closing table row by row against values written here by hand from the seed.
    use super::*;
    use crate::model::{ActivityFormat as F, Output as O};

    struct Row {
        id: &'static str,
        title: &'static str,
        parent: Option<&'static str>,
        format: F,
        outputs: &'static [O],
    }

    const fn row(id: &'static str, title: &'static str, parent: Option<&'static str>, format: F, outputs: &'static [O]) -> Row {
        Row { id, title, parent, format, outputs }
    }

    const GOOD_GOVERNANCE: &[Row] = &[
        row(
            "human-rights-coherent-policy",
            "Understanding human rights dimensions and coherent drug policy interventions",
            None,
            F::PcWorkingParty,
            &[O::PolicyPaper],
        ),
        row(
            "human-rights-practices-repository",
            "Repository of applied human rights practices",
            Some("human-rights-coherent-policy"),
            F::ExpertGroup,
            &[O::Other],
        ),
        row(
            "coherent-drug-policy-means",
            "Ways and means to achieve coherent drug policy",
            Some("human-rights-coherent-policy"),
            F::DrugPolicyAcademy,
            &[O::Training, O::ManualTool],
        ),
        row(
            "outcomes-costs-consequences",
            "Assessing outcomes, costs and consequences of drug policies",
            None,
            F::PcMeetingSymposium,
            &[O::OpenDebate, O::Other],
        ),
        row("cost-assessment-tools", "Tools for assessing costs of drug policy", Some("outcomes-costs-consequences"), F::ExpertGroup, &[O::ManualTool]),
        row(
            "mitigating-consequences",
            "Increased capability to mitigate possible consequences",
            Some("outcomes-costs-consequences"),
            F::SeminarsSymposium,
            &[O::ManualTool, O::Other],
        ),
        row(
            "reducing-stigma",
            "Measures to reduce drug related stigma",
            Some("outcomes-costs-consequences"),
            F::DrugPolicyAcademy,
            &[O::Guidelines, O::Training],
        ),
        row(
            "preventing-risks",
            "Role of drug policies in preventing risks and awareness of the positive and negative consequences of drug-related policies",
            None,
            F::PcMeetingSymposium,
            &[O::PolicyPaper, O::OpenDebate],
        ),
        row(
            "human-rights-law-enforcement",
            "Human rights based approach to law enforcement",
            Some("preventing-risks"),
            F::DrugPolicyAcademy,
            &[O::Guidelines, O::Training],
        ),
        row("police-in-prevention", "The role of police in drug prevention", Some("preventing-risks"), F::ExpertGroup, &[O::ExpertReport, O::Other]),
    ];

    const INTERNATIONAL: &[Row] = &[
        row(
            "sustainable-development-goals",
            "Strategy and cooperation towards the 2030 Sustainable Development Goals",
            None,
            F::PcMeetingSymposium,
            &[O::Statement, O::OpenDebate],
        ),
        row(
            "controlled-substances-access",
            "Access and availability of controlled substances for medical & scientific purposes",
            None,
            F::PcWorkingParty,
            &[O::Statement],
        ),
        row("target-groups", "Specific needs of and interventions for different target groups", None, F::PcMeetingSymposium, &[O::OpenDebate]),
        row(
            "age-group-interventions",
            "Targeted interventions for different age groups",
            Some("target-groups"),
            F::ExpertGroup,
            &[O::PolicyPaper, O::ExpertReport],
        ),
        row("early-intervention", "Early intervention", Some("target-groups"), F::ExpertGroup, &[O::Statement, O::ExpertReport]),
        row("gender-dimension", "Strengthening the gender specific dimension in drug policy", None, F::CooperationNetwork, &[O::OpenDebate, O::Other]),
    ];

    const NEW_CHALLENGES: &[Row] = &[
        row("nps", "Challenges and responses related to NPS", None, F::PcWorkingParty, &[O::Statement]),
        row("stimulants", "Challenges and responses related to stimulants", None, F::ExpertGroup, &[O::ExpertReport]),
        row(
            "ict-risks-potential",
            "Risks and potential of information and communication technologies",
            None,
            F::PcMeetingSymposium,
            &[O::Statement, O::OpenDebate],
        ),
        row(
            "online-addictions",
            "Substance based addictions and dependencies related to online practices",
            Some("ict-risks-potential"),
            F::ExpertGroup,
            &[O::ExpertReport],
        ),
        row("online-self-help-tools", "On-line tools in self-help and treatment", Some("ict-risks-potential"), F::SeeCoop, &[O::ManualTool]),
        row("refugees-migrants", "Refugees, IDPS and migrants", None, F::PcWorkingParty, &[O::Statement]),
        row(
            "unaccompanied-minors-refugees",
            "Dealing with addictions among unaccompanied minors and refugees",
            Some("refugees-migrants"),
            F::DrugPolicyAcademy,
            &[O::ExpertReport],
        ),
        row("screening-tools", "Tools for screening risk and addictive behaviour", Some("refugees-migrants"), F::ExpertGroup, &[O::Training]),
        row("drug-related-cybercrime", "Drug-related cyber crime", None, F::ExpertGroup, &[O::ExpertReport, O::Other]),
        row("artificial-intelligence", "Artificial intelligence, machine learning and virtual reality", None, F::ExpertGroup, &[O::ExpertReport, O::Other]),
    ];

    #[test]
    fn the_closing_table_is_pinned_row_by_row() {
        let programme = programme();
        let expected = [("good-governance", GOOD_GOVERNANCE), ("international-drug-policy", INTERNATIONAL), ("new-challenges", NEW_CHALLENGES)];
        assert_eq!(programme.priorities.len(), 3);
        assert_eq!(programme.actions().count(), 26);
        for ((priority_id, rows), priority) in expected.iter().zip(&programme.priorities) {
            assert_eq!(&priority.id, priority_id);
            assert_eq!(priority.actions.len(), rows.len(), "rows under {priority_id}");
            for (row, action) in rows.iter().zip(&priority.actions) {
                assert_eq!(action.id, row.id);
                assert_eq!(action.title, row.title, "title of {}", row.id);
                assert_eq!(action.parent.as_deref(), row.parent, "parent of {}", row.id);
                assert_eq!(action.level, if row.parent.is_some() { 2 } else { 1 }, "level of {}", row.id);
                assert_eq!(action.priority, *priority_id, "priority of {}", row.id);
                assert_eq!(action.format, row.format, "format of {}", row.id);
                assert_eq!(action.outputs, row.outputs, "outputs of {}", row.id);
            }
        }
    }

    #[test]
    fn the_prose_is_complete() {
        let p = programme();
        assert_eq!(p.reference, "P-PG/MinConf (2018) 4");
        assert_eq!(p.introduction.len(), 4);
        assert_eq!(p.principles.points.len(), 6);
        assert_eq!(p.added_value.points.len(), 6);
        assert_eq!(p.expected_outcomes.points.len(), 7);
        assert_eq!(p.expected_outcomes.points[0].label.as_deref(), Some("Better overview"));
        assert_eq!(p.products.points.len(), 4);
        assert_eq!(p.why_pompidou.points.len(), 4);
        let titles: Vec<_> = p.priorities.iter().map(|p| (p.number, p.title.as_str())).collect();
        assert_eq!(titles, [(1, "Good governance"), (2, "International drug policy development 2019 and beyond"), (3, "New challenges")]);
        let item_counts: Vec<_> = p.priorities.iter().map(|p| p.items.len()).collect();
        assert_eq!(item_counts, [3, 4, 6]);
        assert_eq!(p.priorities[0].items[1].items.len(), 3);
    }

    #[test]
    fn permanent_activities_and_working_methods_are_complete() {
        let p = programme();
        let names: Vec<_> = p.permanent_activities.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            names,
            ["national-drug-policies", "airports-group", "precursor-control", "drug-policy-academy", "prevention-prize", "mednet", "south-east-europe"]
        );
        let results: Vec<_> = p.permanent_activities.iter().map(|a| a.expected_results.len()).collect();
        assert_eq!(results, [2, 4, 1, 4, 5, 7, 3]);
        assert!(p.permanent_activities[0].expected_results_lead.is_some());
        assert!(p.permanent_activities[2].expected_results_lead.is_none());

        let wm = &p.working_methods;
        let formats: Vec<_> = wm.work_formats.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(formats, ["Forum of open debate", "Working groups of Permanent Correspondents", "Expert groups", "Trainings, seminars", "Networks"]);
        assert_eq!(wm.work_formats[2].produces, "studies, tools, manuals, draft proposals for guidance");
        assert_eq!(wm.criteria.len(), 7);
        assert_eq!(wm.criteria[0], "Proposal to be supported by at least five other delegations");
        assert_eq!(wm.terms_of_reference.considerations.len(), 3);
        assert_eq!(wm.terms_of_reference.considerations[0], "existing work by other organisations");
        let process: Vec<_> = wm.evaluation.process.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(process, ["post-activity-questionnaire", "individual-internal", "collective-internal", "mid-term"]);
        assert_eq!(wm.evaluation.process[3].by.as_deref(), Some("Permanent Correspondents"));
        assert_eq!(wm.evaluation.outcome.len(), 1);
        assert_eq!(wm.evaluation.outcome[0].id, "compliance");
    }

    #[test]
    fn formats_of_permanent_activities_point_at_existing_ones() {
        let p = programme();
        for format in F::ALL {
            if let Some(id) = format.permanent_activity() {
                assert!(p.permanent_activity(id).is_some(), "{id}");
            }
        }
    }
}
