//! The outcome report: rows from the matrix (actions) or the seed's expected results
//! (permanent activities), and every rule of a finished report.

use super::*;
use crate::model::{seed, Output};

/// A finished report of `scope`: everything delivered, with a link.
fn finished(scope: &OutcomeScope) -> OutcomeReport {
    let mut report = scope.blank();
    for row in &mut report.expected {
        row.status = Some(Delivery::Delivered);
        row.name = "Report on NPS".into();
        row.evidence.link = Some("https://www.coe.int/en/web/pompidou/nps".into());
    }
    for p in &mut report.priorities {
        p.contribution = Some(Contribution::Strong);
    }
    report
}

#[test]
fn an_action_reports_on_its_matrix_outputs_and_its_priority() {
    let programme = seed::programme();
    let action = programme.action("nps").unwrap();
    let scope = OutcomeScope::action(action);
    assert_eq!(scope.expected, action.outputs.iter().map(|o| Expected::Output(*o)).collect::<Vec<_>>());
    assert_eq!(scope.priorities, ["new-challenges"]);
    assert!(!scope.expected.is_empty());
    assert_eq!(finished(&scope).check(&scope), Ok(()));
}

#[test]
fn a_permanent_activity_reports_on_its_expected_results_and_every_priority() {
    let programme = seed::programme();
    let airports = programme.permanent_activity("airports-group").unwrap();
    let scope = OutcomeScope::permanent_activity(airports, &programme);
    assert_eq!(scope.expected, [Expected::Result(1), Expected::Result(2), Expected::Result(3), Expected::Result(4)]);
    assert_eq!(scope.priorities, ["good-governance", "international-drug-policy", "new-challenges"]);
    assert_eq!(finished(&scope).check(&scope), Ok(()));
    assert_eq!(Expected::Result(2).words(), "Expected result 2");
}

#[test]
fn a_blank_report_says_what_is_missing() {
    let scope = OutcomeScope { expected: vec![Expected::Output(Output::Training)], priorities: vec!["good-governance".into()] };
    let problems = scope.blank().check(&scope).unwrap_err();
    assert_eq!(problems, [OutcomeProblem::NoStatus { item: "Training".into() }, OutcomeProblem::NoJudgement { item: "priority good-governance".into() }]);
    assert_eq!(problems[0].to_string(), "Training: say whether it was delivered");
}

#[test]
fn delivered_or_partly_needs_evidence_not_yet_does_not() {
    let scope = OutcomeScope { expected: vec![Expected::Output(Output::Training)], priorities: vec![] };
    let mut report = finished(&scope);
    report.expected[0].evidence = Evidence { link: Some(" ".into()), note: "  ".into() };
    for status in [Delivery::Delivered, Delivery::Partly] {
        report.expected[0].status = Some(status);
        assert_eq!(report.check(&scope), Err(vec![OutcomeProblem::NoEvidence { item: "Training".into() }]));
    }
    report.expected[0].status = Some(Delivery::NotYet);
    assert_eq!(report.check(&scope), Ok(()));
    report.expected[0].status = Some(Delivery::Partly);
    report.expected[0].evidence.note = "Draft circulated to PCs in October 2021".into();
    assert_eq!(report.check(&scope), Ok(()));
}

#[test]
fn evidence_links_are_web_addresses() {
    for good in ["https://www.coe.int/pompidou", "http://example.org/a?b=c#d", "HTTPS://rm.coe.int/(2019)4", "https://[::1]/x"] {
        assert!(is_web_address(good), "{good}");
    }
    for bad in [
        "javascript:alert(1)",
        "ftp://x.org",
        "https://",
        "https:///x",
        "www.coe.int",
        "https://x.org and more",
        " https://x.org",
        "https://x.org.",
        "data:text/html,x",
    ] {
        assert!(!is_web_address(bad), "{bad}");
    }
    let scope = OutcomeScope { expected: vec![Expected::Output(Output::Training)], priorities: vec![] };
    let mut report = finished(&scope);
    report.expected[0].evidence.link = Some("javascript:alert(1)".into());
    let problems = report.check(&scope).unwrap_err();
    assert_eq!(problems, [OutcomeProblem::BadLink { item: "Training".into(), link: "javascript:alert(1)".into() }]);
    assert_eq!(problems[0].to_string(), "Training: \"javascript:alert(1)\" is not a web address (it must begin with http:// or https://)");
}

#[test]
fn other_output_and_every_unexpected_output_need_a_name() {
    let scope = OutcomeScope { expected: vec![Expected::Output(Output::Other), Expected::Output(Output::Training)], priorities: vec![] };
    let mut report = finished(&scope);
    report.expected[0].name = " ".into();
    report.expected[1].name = String::new();
    assert_eq!(report.check(&scope), Err(vec![OutcomeProblem::NoName { item: "Other output".into() }]), "a matrix column other than Other names itself");
    report.expected[0].name = "Repository of practices".into();
    report.unexpected.push(UnexpectedReport { output: Output::Training, name: String::new(), evidence: Evidence::default() });
    assert_eq!(report.check(&scope), Err(vec![OutcomeProblem::NoName { item: "unexpected output 1 (Training)".into() }]));
    report.unexpected[0].name = "Summer school, Malta 2021".into();
    assert_eq!(report.check(&scope), Ok(()));
}

#[test]
fn rows_match_the_scope_exactly() {
    let scope =
        OutcomeScope { expected: vec![Expected::Output(Output::Training), Expected::Output(Output::ExpertReport)], priorities: vec!["new-challenges".into()] };
    let mut report = finished(&scope);
    let training = report.expected[0].clone();
    report.expected[1] = training.clone();
    report.expected.push(ExpectedReport { expected: Expected::Output(Output::Statement), ..training });
    report.priorities.push(report.priorities[0].clone());
    report.priorities.push(PriorityJudgement { priority: "good-governance".into(), contribution: Some(Contribution::Limited), note: String::new() });
    assert_eq!(
        report.check(&scope),
        Err(vec![
            OutcomeProblem::Repeated { item: "Training".into() },
            OutcomeProblem::NotExpected { item: "Statement".into() },
            OutcomeProblem::Missing { item: "Expert report".into() },
            OutcomeProblem::Repeated { item: "priority new-challenges".into() },
            OutcomeProblem::NotJudgedHere { item: "priority good-governance".into() },
        ])
    );
    report.priorities.clear();
    assert_eq!(report.check(&scope).unwrap_err().last(), Some(&OutcomeProblem::Missing { item: "priority new-challenges".into() }));
}

#[test]
fn long_texts_are_refused() {
    let scope = OutcomeScope { expected: vec![Expected::Output(Output::Training)], priorities: vec![] };
    let mut report = finished(&scope);
    report.expected[0].evidence.note = "n".repeat(MAX_NOTE_CHARS + 1);
    report.expected[0].evidence.link = Some(format!("https://x.org/{}", "a".repeat(MAX_LINK_CHARS)));
    report.expected[0].name = "n".repeat(MAX_NAME_CHARS + 1);
    let whats: Vec<String> = report
        .check(&scope)
        .unwrap_err()
        .into_iter()
        .map(|p| match p {
            OutcomeProblem::TooLong { what, .. } => what,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(whats, ["name", "note", "link"]);
}

#[test]
fn json_shape() {
    let scope = OutcomeScope { expected: vec![Expected::Output(Output::ManualTool), Expected::Result(2)], priorities: vec!["good-governance".into()] };
    let mut report = scope.blank();
    report.expected[0].status = Some(Delivery::NotYet);
    assert_eq!(
        serde_json::to_value(&report).unwrap(),
        serde_json::json!({
            "expected": [
                {"expected": {"output": "manual_tool"}, "name": "", "status": "not_yet", "evidence": {"note": ""}},
                {"expected": {"result": 2}, "name": "", "status": null, "evidence": {"note": ""}}
            ],
            "unexpected": [],
            "priorities": [{"priority": "good-governance", "contribution": null, "note": ""}]
        })
    );
    let back: OutcomeReport = serde_json::from_str(r#"{"expected": [{"expected": {"output": "training"}}], "priorities": []}"#).unwrap();
    assert_eq!(back.expected[0].status, None);
}
