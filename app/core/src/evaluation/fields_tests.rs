//! A plain HTML form's posted fields read back as answers, and answers shown in the fields again.

use super::form_tests::every_kind;
use super::*;
use AnswerValue as V;

fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

#[test]
fn every_kind_is_read_from_its_field() {
    let (answers, problems) = from_fields(
        &every_kind(),
        &posted(&[
            ("form_version", "1"),
            ("q-name", " Ministry of Health "),
            ("q-story", ""),
            ("q-format", "training"),
            ("q-topics", "nps"),
            ("q-topics", "gender"),
            ("q-overall", "4"),
            ("q-again", "yes"),
            ("q-share", "12,5"),
            ("q-experts", "-10"),
            ("q-held-on", "2020-02-29"),
            ("q-training-days", "3"),
        ]),
    );
    assert_eq!(problems, []);
    // The answers `validate`'s own tests start from.
    let expected = super::answer_tests::good();
    assert_eq!(answers, expected);
    assert_eq!(validate(&every_kind(), &answers), Ok(()));
}

#[test]
fn what_cannot_be_read_is_a_problem_in_words_and_the_rest_is_kept() {
    let (answers, problems) = from_fields(
        &every_kind(),
        &posted(&[("q-overall", "abc"), ("q-share", "1,2,3"), ("q-again", "maybe"), ("q-nope", "x"), ("q-nope", "y"), ("q-name", "kept")]),
    );
    let found: Vec<(String, String)> = problems.iter().map(|p| (p.question.clone(), p.to_string())).collect();
    assert_eq!(
        found,
        [
            ("overall".to_owned(), "“Overall”: give a number".to_owned()),
            ("share".to_owned(), "“Share of budget”: give a number".to_owned()),
            ("again".to_owned(), "“Again?”: the answer should be a yes or no, not a text".to_owned()),
            ("nope".to_owned(), "\"nope\": there is no such question in this form".to_owned()),
        ]
    );
    assert_eq!(answers, Answers::from([("name", V::Text("kept".into()))]));
}

#[test]
fn empty_fields_are_no_answer_so_required_ones_are_missing() {
    let (answers, problems) = from_fields(&every_kind(), &posted(&[("q-overall", ""), ("q-name", "   "), ("q-held-on", "")]));
    assert_eq!((answers.clone(), problems), (Answers::default(), vec![]));
    let missing: Vec<String> = validate(&every_kind(), &answers).unwrap_err().into_iter().map(|p| p.question).collect();
    assert_eq!(missing, ["format", "overall", "again"]);
}

#[test]
fn numbers_as_people_type_them() {
    let read = |typed: &str| from_fields(&every_kind(), &posted(&[("q-share", typed)]));
    assert_eq!(read("-2.5").0.get("share"), Some(&V::Number(-2.5)));
    assert_eq!(read("2,5").0.get("share"), Some(&V::Number(2.5)));
    for bad in ["2.5.1", "inf", "NaN", "1,2,3", "2,5.1", "=1+1"] {
        assert_eq!(read(bad).1.len(), 1, "{bad:?} should not be read as a number");
    }
}

#[test]
fn answers_are_shown_again_in_their_fields() {
    let (answers, _) = from_fields(&every_kind(), &posted(&[("q-topics", "nps"), ("q-topics", "sdg"), ("q-again", "no"), ("q-share", "7,5")]));
    assert!(is_chosen(answers.get("topics"), "sdg"));
    assert!(!is_chosen(answers.get("topics"), "gender"));
    assert_eq!(shown_value(answers.get("again")), "no");
    assert_eq!(shown_value(answers.get("share")), "7.5");
    assert_eq!(shown_value(answers.get("name")), "");
    // Shown and posted again, the same answers come back.
    let mut fields = vec![];
    for (id, value) in &answers.0 {
        match value {
            V::Choices(chosen) => fields.extend(chosen.iter().map(|c| (field_name(id), c.clone()))),
            other => fields.push((field_name(id), shown_value(Some(other)))),
        }
    }
    assert_eq!(from_fields(&every_kind(), &fields).0, answers);
}

#[test]
fn a_question_given_twice_is_refused_not_silently_overwritten() {
    let (answers, problems) = from_fields(&every_kind(), &posted(&[("q-overall", "4"), ("q-overall", "5"), ("q-topics", "nps"), ("q-topics", "sdg")]));
    assert_eq!(answers.get("overall"), Some(&V::Rating(4)));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].to_string(), "“Overall”: the answer should be a rating, not a list of options");
    assert_eq!(answers.get("topics"), Some(&V::Choices(vec!["nps".into(), "sdg".into()])), "a multiple choice's ticks are all taken");
}
