//! The freezing rule: edits replace the draft until the first submission, then make a new
//! version; submissions answer the current version only.

use super::form_tests::every_kind;
use super::*;

fn submission(version: u32, overall: u8) -> Submission {
    let answers =
        Answers::from([("format", AnswerValue::Choice("seminar".into())), ("overall", AnswerValue::Rating(overall)), ("again", AnswerValue::YesNo(true))]);
    Submission { form_version: FormVersion(version), answers }
}

fn relabelled(label: &str) -> Form {
    let mut form = every_kind();
    form.questions[4].label = Localized::en(label);
    form
}

#[test]
fn a_form_is_edited_in_place_until_the_first_submission() {
    let mut versions = Versions::new(every_kind()).unwrap();
    assert_eq!(versions.edit(relabelled("Overall, how was it?")), Ok(FormVersion(1)));
    assert_eq!(versions.edit(relabelled("Overall?")), Ok(FormVersion(1)));
    assert_eq!(versions.len(), 1);
    assert_eq!(versions.current().map(|(v, f)| (v, f.questions[4].label.en.clone())), Some((FormVersion(1), "Overall?".into())));
    assert!(!versions.is_frozen());
}

#[test]
fn after_the_first_submission_a_change_makes_a_new_version_and_the_old_one_stays() {
    let mut versions = Versions::new(every_kind()).unwrap();
    assert_eq!(versions.accept(&submission(1, 4)), Ok(FormVersion(1)));
    assert!(versions.is_frozen());
    assert_eq!(versions.edit(every_kind()), Ok(FormVersion(1)), "the same form changes nothing");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions.edit(relabelled("Overall?")), Ok(FormVersion(2)));
    assert_eq!(versions.edit(relabelled("Overall, then?")), Ok(FormVersion(2)), "version 2 is a draft until answered");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions.get(FormVersion(1)), Some(&every_kind()), "version 1 is frozen as it was answered");
    assert_eq!(versions.get(FormVersion(2)).map(|f| f.questions[4].label.en.as_str()), Some("Overall, then?"));
    assert_eq!(versions.get(FormVersion(0)), None);
    assert_eq!(versions.get(FormVersion(3)), None);
    assert_eq!(versions.accept(&submission(2, 5)), Ok(FormVersion(2)));
    assert_eq!(versions.edit(relabelled("Overall!")), Ok(FormVersion(3)));
}

#[test]
fn an_old_or_unknown_version_is_refused_with_a_clear_message() {
    let mut versions = Versions::new(every_kind()).unwrap();
    versions.accept(&submission(1, 4)).unwrap();
    versions.edit(relabelled("Overall?")).unwrap();
    let old = versions.check(&submission(1, 4)).unwrap_err();
    assert_eq!(old, SubmissionError::OldVersion { answered: FormVersion(1), current: FormVersion(2) });
    assert!(old.to_string().starts_with("these answers were written for version 1 of the form, which has changed since (it is now version 2)"), "{old}");
    for unknown in [0, 3] {
        assert_eq!(versions.check(&submission(unknown, 4)), Err(SubmissionError::UnknownVersion { answered: FormVersion(unknown), current: FormVersion(2) }));
    }
    assert_eq!(
        SubmissionError::UnknownVersion { answered: FormVersion(3), current: FormVersion(2) }.to_string(),
        "version 3 of this form does not exist (the current one is version 2)"
    );
}

#[test]
fn a_refused_submission_freezes_nothing() {
    let mut versions = Versions::new(every_kind()).unwrap();
    let refused = versions.accept(&submission(1, 9)).unwrap_err();
    assert!(matches!(&refused, SubmissionError::Invalid { problems } if problems[0].problem == ProblemKind::RatingOutOfScale { value: 9 }));
    assert_eq!(refused.to_string(), "some answers need attention: “Overall”: choose a rating between 1 and 5");
    assert!(!versions.is_frozen());
    assert_eq!(versions.edit(relabelled("Overall?")), Ok(FormVersion(1)));
}

#[test]
fn a_bad_form_is_never_a_version() {
    let mut bad = every_kind();
    bad.questions[1].id = "name".into();
    assert!(matches!(Versions::new(bad.clone()), Err(EditError::Invalid(errors)) if errors == [FormError::DuplicateQuestion { question: "name".into() }]));
    let mut versions = Versions::new(every_kind()).unwrap();
    assert!(versions.edit(bad).is_err());
    assert_eq!(versions.current().map(|(_, f)| f), Some(&every_kind()));
}

#[test]
fn stored_versions_round_trip_and_number_by_position() {
    let mut versions = Versions::new(every_kind()).unwrap();
    versions.accept(&submission(1, 3)).unwrap();
    versions.edit(relabelled("Overall?")).unwrap();
    let json = serde_json::to_value(&versions).unwrap();
    assert_eq!(json["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["versions"][0]["frozen"], true);
    assert_eq!(json["versions"][1]["frozen"], false);
    let back: Versions = serde_json::from_value(json).unwrap();
    assert_eq!(back, versions);
    let empty: Versions = serde_json::from_str(r#"{"versions": []}"#).unwrap();
    assert_eq!(empty.check(&submission(1, 3)), Err(SubmissionError::NoForm));
    assert!(empty.current().is_none());
}

#[test]
fn refusals_go_over_the_wire_and_back() {
    let old = SubmissionError::OldVersion { answered: FormVersion(1), current: FormVersion(2) };
    let json = serde_json::to_value(&old).unwrap();
    assert_eq!(json, serde_json::json!({"error": "old_version", "answered": 1, "current": 2}));
    assert_eq!(serde_json::from_value::<SubmissionError>(json).unwrap(), old);
    let invalid = Versions::new(every_kind()).unwrap().check(&submission(1, 0)).unwrap_err();
    assert_eq!(serde_json::from_str::<SubmissionError>(&serde_json::to_string(&invalid).unwrap()).unwrap(), invalid);
    let edit = EditError::Invalid(vec![FormError::NoQuestions]);
    assert_eq!(serde_json::to_value(&edit).unwrap(), serde_json::json!({"error": "invalid", "problems": [{"problem": "no_questions"}]}));
}

#[test]
fn a_frozen_template_version_stays_and_the_next_edit_is_a_new_version() {
    let mut versions = Versions::new(every_kind()).unwrap();
    assert_eq!(versions.freeze(), Some((FormVersion(1), every_kind())));
    assert!(versions.is_frozen());
    assert_eq!(versions.edit(relabelled("Overall?")), Ok(FormVersion(2)));
    assert_eq!(versions.get(FormVersion(1)), Some(&every_kind()));
    assert!(!versions.is_frozen());
    assert_eq!(versions.freeze().map(|(v, f)| (v, f.questions[4].label.en.clone())), Some((FormVersion(2), "Overall?".into())));
}
