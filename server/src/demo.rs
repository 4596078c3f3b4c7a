//! The demo data set (`server --demo`, which `make run` uses): a few delegations and one
//! account per role, so a newcomer can sign in as each and see what changes, including the
//! Airports Group's confidential ToR that only its officer sees. All share one password,
//! printed on the console and in README; a real deployment never passes `--demo`.

use crate::accounts::{AccountError, Accounts};
use desk_core::access::{GroupId, Role, AIRPORTS_GROUP, PERMANENT_CORRESPONDENTS, SECRETARIAT};

pub const DEMO_PASSWORD: &str = "pompidou demo password";

/// A demo account: email, name, delegation, memberships.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub delegation: Option<&'static str>,
    pub roles: &'static [(&'static str, Role)],
}

pub const DEMO_ACCOUNTS: [DemoAccount; 7] = [
    DemoAccount { email: "secretariat@demo.example", name: "Sofia Secretariat", delegation: None, roles: &[(SECRETARIAT, Role::Manager)] },
    DemoAccount {
        email: "editor@demo.example",
        name: "Pierre Editor (France)",
        delegation: Some("France"),
        roles: &[(PERMANENT_CORRESPONDENTS, Role::Editor)],
    },
    DemoAccount {
        email: "commenter@demo.example",
        name: "Maria Commenter (Malta)",
        delegation: Some("Malta"),
        roles: &[(PERMANENT_CORRESPONDENTS, Role::Commenter)],
    },
    DemoAccount {
        email: "viewer@demo.example",
        name: "Paulo Viewer (Portugal)",
        delegation: Some("Portugal"),
        roles: &[(PERMANENT_CORRESPONDENTS, Role::Viewer)],
    },
    DemoAccount { email: "mednet@demo.example", name: "Mona MedNET manager (Morocco)", delegation: Some("Morocco"), roles: &[("mednet", Role::Manager)] },
    DemoAccount {
        email: "airports@demo.example",
        name: "Aino Airports Group (Finland)",
        delegation: Some("Finland"),
        roles: &[(AIRPORTS_GROUP, Role::Editor)],
    },
    DemoAccount { email: "member@demo.example", name: "Marek Member (Poland)", delegation: Some("Poland"), roles: &[] },
];

/// The demo's list of delegations: its accounts' and a few more, so the mid-term
/// evaluation's response rate has a list to be out of.
const DEMO_DELEGATIONS: [&str; 10] = ["Finland", "France", "Germany", "Greece", "Malta", "Morocco", "Norway", "Poland", "Portugal", "Spain"];

/// Creates the demo accounts that are missing (their roles as listed), after the list of
/// delegations they name; returns how many accounts.
pub async fn seed(accounts: &Accounts) -> Result<usize, AccountError> {
    for name in DEMO_DELEGATIONS {
        accounts.add_delegation(name, None).await?;
    }
    let mut created = 0;
    for demo in &DEMO_ACCOUNTS {
        match accounts.create(demo.email, demo.name, DEMO_PASSWORD, demo.delegation).await {
            Ok(_) => created += 1,
            Err(AccountError::Exists(_)) => continue,
            Err(e) => return Err(e),
        }
        for (group, role) in demo.roles {
            accounts.set_role(demo.email, &GroupId::new(group), Some(*role), None).await?;
        }
    }
    Ok(created)
}

/// What the console says about the demo: who to sign in as.
pub fn describe() -> String {
    let mut text = format!("demo accounts (password \"{DEMO_PASSWORD}\"):\n");
    for demo in &DEMO_ACCOUNTS {
        let roles = demo.roles.iter().map(|(group, role)| format!("{} in {group}", role.as_str())).collect::<Vec<_>>().join(", ");
        text.push_str(&format!("  {:<28} {}{}\n", demo.email, demo.name, if roles.is_empty() { String::new() } else { format!(" — {roles}") }));
    }
    text
}

/// The demo questionnaire's id: "Executive Training 2020" (the Drug Policy Academy), open,
/// with [`DEMO_ANSWERS`] anonymous answers so its results show.
pub const DEMO_QUESTIONNAIRE: &str = "executive-training-2020";
/// Answers the demo questionnaire gets: (overall rating, priorities it helped with, what to change).
const DEMO_ANSWERS: [(u8, &[&str], &str); 4] = [
    (5, &["good-governance", "international-drug-policy"], "More time for the case studies."),
    (4, &["good-governance"], ""),
    (4, &["new-challenges"], "Hold one session online for those who cannot travel."),
    (3, &[], "Send the reading list earlier."),
];

/// Adds the demo questionnaire and its answers unless it exists (a restart adds nothing).
pub async fn seed_evaluations(evaluations: &crate::evaluations::Evaluations) -> anyhow::Result<()> {
    use crate::evaluations::{EvaluationError, NewEvaluation, Respondent};
    use desk_core::evaluation::{AnswerValue as V, Answers, FormVersion, OccasionProblem, Submission};
    let new = NewEvaluation {
        id: DEMO_QUESTIONNAIRE.into(),
        title: "Executive Training 2020".into(),
        activity: "drug-policy-academy".into(),
        format: "post-activity-questionnaire".into(),
        opens: "2020-11-23".into(),
        closes: "2030-12-31".into(),
    };
    match evaluations.create(new, None).await {
        Ok(_) => {}
        Err(EvaluationError::Invalid(OccasionProblem::Taken)) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    let evaluation = evaluations.get(DEMO_QUESTIONNAIRE).await?;
    let (today, now) = crate::evaluations::today_and_now();
    for (overall, priorities, change) in DEMO_ANSWERS {
        let mut answers = Answers::from([("overall", V::Rating(overall)), ("relevance", V::Rating(4)), ("use-in-work", V::YesNo(true))]);
        answers.set("priorities", V::Choices(priorities.iter().map(|p| p.to_string()).collect()));
        answers.set("change", V::Text(change.into()));
        let who = Respondent::Browser { key: evaluations.new_respondent_key().await? };
        evaluations.submit(&evaluation, &who, Submission { form_version: FormVersion(1), answers }, &today, &now).await?;
    }
    seed_outcome(evaluations).await
}

/// The action whose outcome report the demo fills in part of.
pub const DEMO_OUTCOME: &str = "police-in-prevention";

/// A first outcome report for [`DEMO_OUTCOME`]: its expert report delivered with a link, its
/// other output partly, its contribution not judged yet (so the page shows what is unfinished).
async fn seed_outcome(evaluations: &crate::evaluations::Evaluations) -> anyhow::Result<()> {
    use desk_core::evaluation::{Delivery, Expected};
    use desk_core::model::Output;
    if evaluations.outcome(DEMO_OUTCOME).await?.revision > 0 {
        return Ok(());
    }
    let mut report = evaluations.outcome_scope(DEMO_OUTCOME)?.blank();
    for row in &mut report.expected {
        match row.expected {
            Expected::Output(Output::ExpertReport) => {
                row.status = Some(Delivery::Delivered);
                row.name = "The role of police in drug prevention: expert report".into();
                row.evidence.link = Some("https://www.coe.int/en/web/pompidou".into());
            }
            _ => {
                row.status = Some(Delivery::Partly);
                row.name = "Guidance for police trainers".into();
                row.evidence.note = "Drafted; to be adopted by the Permanent Correspondents.".into();
            }
        }
    }
    evaluations.save_outcome(DEMO_OUTCOME, 0, &report, None).await?;
    Ok(())
}
