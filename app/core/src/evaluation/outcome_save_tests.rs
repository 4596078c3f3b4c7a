//! The outcome report as the Secretariat saves it: read from a plain form's fields, counted,
//! split into what refuses a save and what leaves it unfinished, and two saves from one
//! revision merged.

use super::*;
use crate::model::{seed, Output};

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

fn police_scope() -> OutcomeScope {
    OutcomeScope::action(seed::programme().action("police-in-prevention").unwrap())
}

#[test]
fn a_posted_form_reads_back_as_the_report_it_shows() {
    let report = outcome_from_fields(&fields(&[
        ("revision", "3"),
        ("e0", "output:training"),
        ("e0-status", "partly"),
        ("e0-name", " Webinar on NPS "),
        ("e0-link", ""),
        ("e0-note", "Two of three sessions held"),
        ("e1", "result:2"),
        ("e1-status", ""),
        ("u0-output", "statement"),
        ("u0-name", "Joint statement"),
        ("u0-link", "https://www.coe.int/pompidou"),
        ("u1-output", "other"),
        ("u1-name", "  "),
        ("u1-link", ""),
        ("u1-note", ""),
        ("p0", "new-challenges"),
        ("p0-contribution", "moderate"),
        ("p0-note", "Reached 20 States"),
    ]))
    .unwrap();
    assert_eq!(report.expected.len(), 2);
    let training = &report.expected[0];
    assert_eq!(training.expected, Expected::Output(Output::Training));
    assert_eq!(training.status, Some(Delivery::Partly));
    assert_eq!(training.name, "Webinar on NPS");
    assert_eq!(training.evidence, Evidence { link: None, note: "Two of three sessions held".into() });
    assert_eq!(report.expected[1].expected, Expected::Result(2));
    assert_eq!(report.expected[1].status, None);
    // The blank second row of outputs not expected is no row.
    assert_eq!(report.unexpected.len(), 1);
    assert_eq!(report.unexpected[0].output, Output::Statement);
    assert_eq!(report.unexpected[0].evidence.link.as_deref(), Some("https://www.coe.int/pompidou"));
    assert_eq!(
        report.priorities,
        [PriorityJudgement { priority: "new-challenges".into(), contribution: Some(Contribution::Moderate), note: "Reached 20 States".into() }]
    );
}

#[test]
fn a_tampered_form_is_refused_in_words() {
    let refused = |pairs: &[(&str, &str)]| outcome_from_fields(&fields(pairs)).unwrap_err();
    assert!(refused(&[("e0", "output:cake")]).contains("\"output:cake\" is not an expected output"));
    assert!(refused(&[("e0", "result:0")]).contains("not an expected output"));
    assert!(refused(&[("e0", "output:training"), ("e0-status", "done")]).contains("\"done\" is not a delivery status"));
    assert!(refused(&[("p0", "x"), ("p0-contribution", "huge")]).contains("not a contribution"));
    assert!(refused(&[("u0-output", "cake"), ("u0-name", "x")]).contains("not a kind of output"));
    assert!(refused(&[("e0", "output:training"), ("e0", "output:statement")]).contains("e0 was sent twice"));
    assert!(refused(&[("e100", "output:training")]).contains("more than 100 rows"));
    assert!(refused(&[("e99999999999999999999999-note", "x")]).contains("more than 100 rows"));
    // Names that are not the report's are not read.
    assert_eq!(outcome_from_fields(&fields(&[("everything", "x"), ("e-1", "y"), ("p", "z")])), Ok(OutcomeReport::default()));
}

#[test]
fn every_key_reads_back_as_itself() {
    for d in Delivery::ALL {
        assert_eq!(Delivery::from_key(d.key()), Some(d));
        assert_eq!(serde_json::to_value(d).unwrap(), d.key());
    }
    for c in Contribution::ALL {
        assert_eq!(Contribution::from_key(c.key()), Some(c));
        assert_eq!(serde_json::to_value(c).unwrap(), c.key());
    }
    for e in Output::ALL.map(Expected::Output).into_iter().chain([Expected::Result(1), Expected::Result(12)]) {
        assert_eq!(Expected::from_key(&e.key()), Some(e));
    }
    assert_eq!(Expected::from_key("result:+2"), None);
    assert_eq!(Expected::from_key("result"), None);
}

#[test]
fn only_rows_the_activity_does_not_expect_or_gives_twice_refuse_a_save() {
    let scope = police_scope();
    let mut report = scope.blank();
    report.expected[0].status = Some(Delivery::Delivered);
    report.expected[0].evidence.link = Some("www.coe.int".into());
    report.priorities[0].note = "x".repeat(MAX_NOTE_CHARS + 1);
    let problems = report.check(&scope).unwrap_err();
    assert!(problems.iter().any(|p| matches!(p, OutcomeProblem::BadLink { .. })));
    assert!(problems.iter().any(|p| matches!(p, OutcomeProblem::TooLong { .. })));
    assert!(problems.iter().all(|p| !p.refuses()), "{problems:?}");
    report.expected.push(report.expected[0].clone());
    report.priorities.push(PriorityJudgement { priority: "good-governance".into(), contribution: None, note: String::new() });
    let problems = report.check(&scope).unwrap_err();
    assert_eq!(problems.iter().filter(|p| p.refuses()).count(), 2, "{problems:?}");
}

#[test]
fn a_tally_counts_each_expected_output_once_by_its_status() {
    let scope = police_scope();
    assert!(scope.expected.len() >= 2, "the test needs two outputs expected of police-in-prevention");
    let mut report = scope.blank();
    assert_eq!(report.tally(&scope).words(), "No expected output reported yet");
    report.expected[0].status = Some(Delivery::Delivered);
    report.expected[1].status = Some(Delivery::Partly);
    report.unexpected.push(UnexpectedReport { output: Output::Statement, name: "A statement".into(), evidence: Evidence::default() });
    let tally = report.tally(&scope);
    let rest = scope.expected.len() as u32 - 2;
    assert_eq!(tally, Tally { delivered: 1, partly: 1, not_yet: 0, unreported: rest, unexpected: 1, results: false });
    let expected_words = match rest {
        0 => format!("1 of {} expected outputs delivered, 1 partly; 1 output not expected", scope.expected.len()),
        n => format!("1 of {} expected outputs delivered, 1 partly, {n} not reported; 1 output not expected", scope.expected.len()),
    };
    assert_eq!(tally.words(), expected_words);
    // A row the scope does not expect is not counted.
    report.expected.push(ExpectedReport {
        expected: Expected::Result(9),
        name: String::new(),
        status: Some(Delivery::Delivered),
        evidence: Evidence::default(),
    });
    assert_eq!(report.tally(&scope).delivered, 1);
    assert_eq!(report.status_of(scope.expected[1]), Some(Delivery::Partly));
    // A permanent activity's are its expected results, in the seed's words.
    let programme = seed::programme();
    let scope = OutcomeScope::permanent_activity(programme.permanent_activity("mednet").unwrap(), &programme);
    let mut report = scope.blank();
    assert_eq!(report.tally(&scope).words(), "No expected result reported yet");
    report.expected[0].status = Some(Delivery::Delivered);
    assert_eq!(report.tally(&scope).words(), format!("1 of {} expected results delivered, {} not reported", scope.expected.len(), scope.expected.len() - 1));
}

#[test]
fn a_report_saved_before_the_matrix_changed_still_shows_every_row() {
    let scope = police_scope();
    let mut old = scope.blank();
    let first = old.expected.remove(0);
    old.expected.push(ExpectedReport { expected: Expected::Result(7), ..first.clone() });
    old.priorities.clear();
    let shown = old.completed(&scope);
    assert_eq!(shown.expected.iter().map(|r| r.expected).take(scope.expected.len()).collect::<Vec<_>>(), scope.expected);
    assert_eq!(shown.expected.last().unwrap().expected, Expected::Result(7));
    assert_eq!(shown.priorities.len(), 1);
}

/// A base with one status said, and two saves from it.
fn three() -> (OutcomeReport, OutcomeReport, OutcomeReport) {
    let scope = police_scope();
    let mut base = scope.blank();
    base.expected[0].status = Some(Delivery::NotYet);
    (base.clone(), base.clone(), base)
}

#[test]
fn changes_to_different_fields_both_survive_a_merge() {
    let (base, mut theirs, mut mine) = three();
    theirs.expected[0].status = Some(Delivery::Delivered);
    theirs.priorities[0].contribution = Some(Contribution::Strong);
    mine.expected[0].evidence.link = Some("https://example.org/report".into());
    mine.expected[1].status = Some(Delivery::Partly);
    let merged = merge(&base, &theirs, &mine);
    assert_eq!(merged.both_changed, Vec::<String>::new());
    let r = &merged.report;
    assert_eq!(r.expected[0].status, Some(Delivery::Delivered));
    assert_eq!(r.expected[0].evidence.link.as_deref(), Some("https://example.org/report"));
    assert_eq!(r.expected[1].status, Some(Delivery::Partly));
    assert_eq!(r.priorities[0].contribution, Some(Contribution::Strong));
}

#[test]
fn a_field_both_changed_takes_the_later_save_and_is_named() {
    let (base, mut theirs, mut mine) = three();
    theirs.expected[0].status = Some(Delivery::Delivered);
    mine.expected[0].status = Some(Delivery::Partly);
    theirs.priorities[0].note = "theirs".into();
    mine.priorities[0].note = "mine".into();
    // The same change on both sides is no conflict.
    theirs.expected[1].name = "Same".into();
    mine.expected[1].name = "Same".into();
    let merged = merge(&base, &theirs, &mine);
    assert_eq!(merged.report.expected[0].status, Some(Delivery::Partly));
    assert_eq!(merged.report.priorities[0].note, "mine");
    assert_eq!(merged.report.expected[1].name, "Same");
    let item = base.expected[0].expected.words();
    assert_eq!(merged.both_changed, [format!("{item}: the status"), format!("priority {}: the note", base.priorities[0].priority)]);
}

#[test]
fn outputs_not_expected_added_on_both_sides_are_all_kept() {
    let (base, mut theirs, mut mine) = three();
    let row = |name: &str| UnexpectedReport { output: Output::Other, name: name.into(), evidence: Evidence::default() };
    theirs.unexpected.push(row("Theirs"));
    let merged = merge(&base, &theirs, &mine);
    assert_eq!(merged.report.unexpected, [row("Theirs")]);
    assert!(merged.both_changed.is_empty());
    mine.unexpected.push(row("Mine"));
    let merged = merge(&base, &theirs, &mine);
    assert_eq!(merged.report.unexpected, [row("Mine"), row("Theirs")]);
    assert_eq!(merged.both_changed, ["outputs not expected"]);
}

#[test]
fn an_edit_of_a_row_on_one_side_and_a_row_added_on_the_other_make_no_duplicate() {
    // Found in review: A noted the second row, B added a third; the merge had four rows.
    let (mut base, _, _) = three();
    let row = |name: &str, note: &str| UnexpectedReport { output: Output::Other, name: name.into(), evidence: Evidence { link: None, note: note.into() } };
    base.unexpected = vec![row("Statement", ""), row("Workshop", "")];
    let (mut theirs, mut mine) = (base.clone(), base.clone());
    theirs.unexpected[1] = row("Workshop", "Held in Strasbourg");
    mine.unexpected.push(row("Guidelines", ""));
    let merged = merge(&base, &theirs, &mine);
    assert_eq!(merged.report.unexpected, [row("Statement", ""), row("Workshop", ""), row("Guidelines", "")]);
    assert_eq!(merged.both_changed, ["outputs not expected"]);
    // A row removed on one side while the other appends one: the removal stands.
    let (mut theirs, mut mine) = (base.clone(), base.clone());
    theirs.unexpected.remove(0);
    mine.unexpected.push(row("Guidelines", ""));
    assert_eq!(merge(&base, &mine, &theirs).report.unexpected, [row("Workshop", ""), row("Guidelines", "")]);
}

#[test]
fn a_merge_with_nothing_changed_on_one_side_is_the_other_side() {
    let (base, mut theirs, mine) = three();
    theirs.expected[0].evidence.note = "minutes".into();
    theirs.unexpected.push(UnexpectedReport { output: Output::Guidelines, name: "G".into(), evidence: Evidence::default() });
    assert_eq!(merge(&base, &theirs, &mine).report, theirs);
    assert_eq!(merge(&base, &base, &theirs).report, theirs);
}
