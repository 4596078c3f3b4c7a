//! The export's columns and cells: stable ids, one column per option for multiple choice,
//! numbers as numbers, and text neutralised whatever it holds.

use super::form_tests::every_kind;
use super::*;
use AnswerValue as V;

fn response(answers: Answers) -> Response {
    Response { respondent: "k".into(), revision: 1, submitted: "2020-11-27".into(), submission: Submission { form_version: FormVersion(2), answers } }
}

/// The cell of column `id` in `response`'s row.
fn cell(answers: Answers, id: &str) -> Cell {
    let form = every_kind();
    let at = columns(&form).iter().position(|c| c.id == id).expect("a column");
    row(&form, &response(answers)).swap_remove(at)
}

#[test]
fn columns_are_stable_ids_with_one_per_option_for_multiple_choice() {
    let ids: Vec<String> = columns(&every_kind()).into_iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "form-version",
            "submitted",
            "name",
            "story",
            "format",
            "topics:nps",
            "topics:stimulants",
            "topics:gender",
            "topics:sdg",
            "overall",
            "again",
            "why-not",
            "share",
            "experts",
            "held-on",
            "training-days"
        ]
    );
    let topics = &columns(&every_kind())[6];
    assert_eq!((topics.question.as_deref(), topics.option.as_deref()), (Some("topics"), Some("stimulants")));
    assert!(ids.iter().all(|id| !id.starts_with(FORMULA_STARTS)));
}

#[test]
fn a_row_has_a_typed_cell_per_column() {
    let answers = Answers::from([
        ("name", V::Text("MoH, \"Health\"\nLab".into())),
        ("story", V::Text("-5".into())),
        ("format", V::Choice("training".into())),
        ("topics", V::Choices(vec!["gender".into(), "nps".into()])),
        ("overall", V::Rating(4)),
        ("again", V::YesNo(false)),
        ("why-not", V::Text("=HYPERLINK(\"http://x\")".into())),
        ("share", V::Number(12.5)),
        ("experts", V::Number(-5.0)),
        ("held-on", V::Date("2020-11-27".into())),
        ("training-days", V::Number(3.0)),
    ]);
    let form = every_kind();
    let row = row(&form, &response(answers));
    assert_eq!(row.len(), columns(&form).len());
    let fields: Vec<String> = row.iter().map(Cell::field).collect();
    assert_eq!(
        fields,
        [
            "2",
            "2020-11-27",
            "MoH, \"Health\"\nLab",
            "'-5",
            "training",
            "1",
            "0",
            "1",
            "0",
            "4",
            "no",
            "'=HYPERLINK(\"http://x\")",
            "12.5",
            "-5",
            "2020-11-27",
            "3"
        ]
    );
    assert_eq!(row[3], Cell::Text("'-5".into()), "the text -5 is text");
    assert_eq!(row[13], Cell::Number(-5.0));
}

#[test]
fn unanswered_hidden_and_unfitting_answers_are_empty_not_zero() {
    assert_eq!(cell(Answers::default(), "topics:nps"), Cell::Empty);
    assert_eq!(cell(Answers::from([("topics", V::Choices(vec![]))]), "topics:nps"), Cell::Empty);
    assert_eq!(cell(Answers::from([("topics", V::Choices(vec!["sdg".into()]))]), "topics:nps"), Cell::Number(0.0));
    let hidden = Answers::from([("again", V::YesNo(true)), ("why-not", V::Text("stale".into()))]);
    assert_eq!(cell(hidden, "why-not"), Cell::Empty);
    assert_eq!(cell(Answers::from([("overall", V::Rating(9))]), "overall"), Cell::Empty);
    assert_eq!(cell(Answers::from([("share", V::Text("12".into()))]), "share"), Cell::Empty);
    assert_eq!(Cell::Number(f64::NAN).field(), "");
}

#[test]
fn every_formula_start_is_neutralised_in_text() {
    for text in ["=SUM(A1:A9)", "+1", "-5", "@cmd", "\tx", "\rx", "-", "="] {
        assert_eq!(neutralise(text), format!("'{text}"), "{text:?}");
        assert_eq!(cell(Answers::from([("story", V::Text(text.into()))]), "story").field(), format!("'{text}"));
    }
    for text in ["5", "5 ", " =1", "'=1", "a=b", "", "مرحبا", "\n=1", "1,5", "\"quoted\""] {
        assert_eq!(neutralise(text), text, "{text:?}");
    }
}

#[test]
fn neutralising_twice_changes_nothing_more() {
    for text in ["=1", "-5", "x", "'=1", ""] {
        assert_eq!(neutralise(&neutralise(text)), neutralise(text));
    }
    assert_eq!(Cell::Text("=1".into()).field(), "'=1", "a hand-made text cell is neutralised when written");
    assert_eq!(Cell::text("=1").field(), "'=1");
}

#[test]
fn a_negative_number_is_a_number_but_the_text_minus_five_is_text() {
    assert_eq!(cell(Answers::from([("experts", V::Number(-5.0))]), "experts").field(), "-5");
    assert_eq!(cell(Answers::from([("name", V::Text("-5".into()))]), "name").field(), "'-5");
    assert_eq!(Cell::Number(-1e21).field(), "-1000000000000000000000");
    assert_eq!(Cell::Number(0.1 + 0.2).field(), "0.30000000000000004");
}

#[test]
fn rows_keep_one_version_and_each_respondent_once() {
    let form = every_kind();
    let mut responses = vec![response(Answers::from([("overall", V::Rating(2))])), response(Answers::from([("overall", V::Rating(5))]))];
    responses[1].revision = 2;
    let mut other = response(Answers::from([("overall", V::Rating(1))]));
    other.respondent = "other".into();
    other.submission.form_version = FormVersion(1);
    responses.push(other);
    let rows = rows(&form, FormVersion(2), &responses);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][9], Cell::Number(5.0));
}
