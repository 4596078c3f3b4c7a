//! Validation of every question kind and condition, what a set of answers shows, and which
//! response of a respondent counts.

use super::form_tests::every_kind;
use super::*;
use AnswerValue as V;

/// Answers to `every_kind()` that pass: every required question answered, "again" yes.
pub(super) fn good() -> Answers {
    Answers::from([
        ("name", V::Text("Ministry of Health".into())),
        ("format", V::Choice("training".into())),
        ("topics", V::Choices(vec!["nps".into(), "gender".into()])),
        ("overall", V::Rating(4)),
        ("again", V::YesNo(true)),
        ("share", V::Number(12.5)),
        ("experts", V::Number(-10.0)),
        ("held-on", V::Date("2020-02-29".into())),
        ("training-days", V::Number(3.0)),
    ])
}

fn problems_with(changes: &[(&str, Option<AnswerValue>)]) -> Vec<(String, ProblemKind)> {
    let mut answers = good();
    for (id, value) in changes {
        match value {
            Some(v) => answers.set(id, v.clone()),
            None => {
                answers.0.remove(*id);
            }
        }
    }
    match validate(&every_kind(), &answers) {
        Ok(()) => vec![],
        Err(problems) => problems.into_iter().map(|p| (p.question, p.problem)).collect(),
    }
}

fn one(id: &str, value: AnswerValue) -> Vec<(String, ProblemKind)> {
    problems_with(&[(id, Some(value))])
}

fn problem(id: &str, kind: ProblemKind) -> Vec<(String, ProblemKind)> {
    vec![(id.to_owned(), kind)]
}

#[test]
fn good_answers_pass() {
    assert_eq!(validate(&every_kind(), &good()), Ok(()));
}

#[test]
fn a_required_question_needs_an_answer_and_blank_is_none() {
    assert_eq!(problems_with(&[("overall", None)]), problem("overall", ProblemKind::Missing));
    assert_eq!(problems_with(&[("format", Some(V::Choice("  ".into())))]), problem("format", ProblemKind::Missing));
    assert_eq!(problems_with(&[("name", Some(V::Text(" \n".into())))]), vec![], "a blank optional text is no answer, and fine");
    let problems = validate(&every_kind(), &Answers::default()).unwrap_err();
    let missing: Vec<_> = problems.iter().map(|p| p.question.as_str()).collect();
    assert_eq!(missing, ["format", "overall", "again"], "only shown questions: training-days and why-not are hidden");
    assert_eq!(problems[1].to_string(), "“Overall”: an answer is required");
}

#[test]
fn a_required_question_is_needed_only_when_its_condition_shows_it() {
    assert_eq!(problems_with(&[("training-days", None), ("format", Some(V::Choice("seminar".into())))]), vec![]);
    assert_eq!(problems_with(&[("training-days", None)]), problem("training-days", ProblemKind::Missing));
    assert_eq!(problems_with(&[("again", Some(V::YesNo(false)))]), problem("why-not", ProblemKind::Missing));
    assert_eq!(problems_with(&[("again", Some(V::YesNo(false))), ("why-not", Some(V::Text("Too far".into())))]), vec![]);
}

#[test]
fn an_answer_to_a_hidden_question_is_ignored_and_dropped() {
    // "why-not" shows only when "again" is no; here it is yes, and the stale answer is even of
    // the wrong type.
    let mut answers = good();
    answers.set("why-not", V::Rating(9));
    assert_eq!(validate(&every_kind(), &answers), Ok(()));
    assert!(answers.shown_only(&every_kind()).get("why-not").is_none());
    assert!(answers.shown_only(&every_kind()).get("again").is_some());
    answers.set("again", V::YesNo(false));
    assert_eq!(validate(&every_kind(), &answers).unwrap_err()[0].problem, ProblemKind::WrongType { expected: AnswerType::Text, got: AnswerType::Rating });
}

#[test]
fn hiding_a_question_hides_what_depends_on_it() {
    let form = Form {
        questions: vec![
            Question::new("attended", "Attended?".into(), QuestionKind::YesNo),
            Question::new(
                "role",
                "Role".into(),
                QuestionKind::SingleChoice { options: vec![Choice::new("speaker", "Speaker".into()), Choice::new("listener", "Listener".into())] },
            )
            .when("attended", YES),
            Question::new("topic", "Your topic".into(), QuestionKind::short_text()).when("role", "speaker").required(),
        ],
    };
    assert_eq!(form.check(), Ok(()));
    let ids = |answers: &Answers| visible(&form, answers).iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    let mut answers = Answers::from([("attended", V::YesNo(true)), ("role", V::Choice("speaker".into()))]);
    assert_eq!(ids(&answers), ["attended", "role", "topic"]);
    assert_eq!(validate(&form, &answers).unwrap_err()[0].problem, ProblemKind::Missing);
    answers.set("attended", V::YesNo(false));
    assert_eq!(ids(&answers), ["attended"], "role's stale answer no longer shows topic");
    assert_eq!(validate(&form, &answers), Ok(()));
    assert!(!is_shown(&form, &answers, "topic"));
    assert_eq!(ids(&Answers::default()), ["attended"]);
}

#[test]
fn each_kind_takes_its_own_type() {
    let cases = [
        ("name", V::Choice("x".into()), AnswerType::Text),
        ("format", V::Text("training".into()), AnswerType::Choice),
        ("topics", V::Choice("nps".into()), AnswerType::Choices),
        ("overall", V::Number(4.0), AnswerType::Rating),
        ("again", V::Text("yes".into()), AnswerType::YesNo),
        ("share", V::Text("12".into()), AnswerType::Number),
        ("held-on", V::Text("2020-01-01".into()), AnswerType::Date),
    ];
    for (id, value, expected) in cases {
        let got = value.answer_type();
        assert_eq!(one(id, value), problem(id, ProblemKind::WrongType { expected, got }), "{id}");
    }
    assert_eq!(ProblemKind::WrongType { expected: AnswerType::Choice, got: AnswerType::Rating }.to_string(), "the answer should be one option, not a rating");
}

#[test]
fn choices_must_be_options_once_and_not_too_many() {
    assert_eq!(one("format", V::Choice("symposium".into())), problem("format", ProblemKind::UnknownOption { option: "symposium".into() }));
    assert_eq!(one("topics", V::Choices(vec!["nps".into(), "ai".into()])), problem("topics", ProblemKind::UnknownOption { option: "ai".into() }));
    assert_eq!(one("topics", V::Choices(vec!["nps".into(), "nps".into()])), problem("topics", ProblemKind::RepeatedOption { option: "nps".into() }));
    let four = V::Choices(["nps", "stimulants", "gender", "sdg"].map(String::from).to_vec());
    assert_eq!(one("topics", four.clone()), problem("topics", ProblemKind::TooManyChoices { max: 3, chosen: 4 }));
    assert_eq!(one("topics", V::Choices(vec!["sdg".into(), "nps".into(), "gender".into()])), vec![]);
    let mut answers = good();
    answers.set("topics", four);
    assert_eq!(validate(&every_kind(), &answers).unwrap_err()[0].to_string(), "“Topics”: choose at most 3 (you chose 4)");
}

#[test]
fn ratings_run_from_one_to_five() {
    for bad in [0, 6, 255] {
        assert_eq!(one("overall", V::Rating(bad)), problem("overall", ProblemKind::RatingOutOfScale { value: bad }));
    }
    for good in [1, 5] {
        assert_eq!(one("overall", V::Rating(good)), vec![]);
    }
    assert_eq!(ProblemKind::RatingOutOfScale { value: 0 }.to_string(), "choose a rating between 1 and 5");
}

#[test]
fn numbers_keep_their_bounds_inclusive_and_whole_when_asked() {
    let between = ProblemKind::OutOfBounds { min: Some(0.0), max: Some(100.0) };
    assert_eq!(one("share", V::Number(100.5)), problem("share", between.clone()));
    assert_eq!(one("share", V::Number(-0.1)), problem("share", between.clone()));
    assert_eq!(between.to_string(), "give a number between 0 and 100");
    for ok in [0.0, 100.0, 33.3] {
        assert_eq!(one("share", V::Number(ok)), vec![], "{ok}");
    }
    assert_eq!(one("experts", V::Number(-11.0)), problem("experts", ProblemKind::OutOfBounds { min: Some(-10.0), max: None }));
    assert_eq!(ProblemKind::OutOfBounds { min: Some(-10.0), max: None }.to_string(), "give a number of at least -10");
    assert_eq!(ProblemKind::OutOfBounds { min: None, max: Some(2.5) }.to_string(), "give a number of at most 2.5");
    assert_eq!(one("experts", V::Number(2.5)), problem("experts", ProblemKind::NotInteger));
    assert_eq!(one("experts", V::Number(1e6)), vec![]);
    for nan in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(one("share", V::Number(nan)), problem("share", ProblemKind::NotANumber));
    }
}

#[test]
fn dates_are_real_and_written_yyyy_mm_dd() {
    for ok in ["2020-02-29", "2000-02-29", "2019-12-31", "0001-01-01", "2022-11-30"] {
        assert!(is_date(ok), "{ok}");
        assert_eq!(one("held-on", V::Date(ok.into())), vec![]);
    }
    for bad in [
        "2019-02-29",
        "1900-02-29",
        "2020-04-31",
        "2020-13-01",
        "2020-00-10",
        "2020-01-00",
        "0000-01-01",
        "2020-2-03",
        "20-02-2020",
        "2020/02/03",
        "2020-02-03 ",
        "2020-02-03T10:00",
        "２０２０-01-01",
        "+020-01-01",
        "2020-01-+1",
        "a",
    ] {
        assert!(!is_date(bad), "{bad}");
    }
    assert_eq!(one("held-on", V::Date("2019-02-29".into())), problem("held-on", ProblemKind::BadDate { value: "2019-02-29".into() }));
    assert_eq!(ProblemKind::BadDate { value: "29/02".into() }.to_string(), "\"29/02\" is not a date: write it as yyyy-mm-dd, e.g. 2020-11-27");
}

#[test]
fn texts_are_counted_in_characters() {
    assert_eq!(one("name", V::Text("é".repeat(20))), vec![]);
    assert_eq!(one("name", V::Text("é".repeat(21))), problem("name", ProblemKind::TooLong { max: 20, len: 21 }));
    assert_eq!(one("story", V::Text("x".repeat(101))), problem("story", ProblemKind::TooLong { max: 100, len: 101 }));
    assert_eq!(ProblemKind::TooLong { max: 20, len: 21 }.to_string(), "the text is too long: 21 characters, at most 20");
}

#[test]
fn unknown_questions_are_refused_first() {
    let mut answers = good();
    answers.set("nope", V::YesNo(true));
    answers.0.remove("overall");
    let problems = validate(&every_kind(), &answers).unwrap_err();
    assert_eq!(problems.len(), 2);
    assert_eq!((problems[0].question.as_str(), &problems[0].problem), ("nope", &ProblemKind::UnknownQuestion));
    assert_eq!(problems[0].to_string(), "\"nope\": there is no such question in this form");
    assert_eq!(problems[1].question, "overall");
}

fn response(respondent: &str, revision: u64, version: u32, rating: u8) -> Response {
    Response {
        respondent: respondent.into(),
        revision,
        submitted: "2020-11-27".into(),
        submission: Submission { form_version: FormVersion(version), answers: Answers::from([("overall", V::Rating(rating))]) },
    }
}

#[test]
fn a_respondent_counts_once_by_their_latest_revision() {
    let responses = [response("b", 2, 1, 5), response("a", 1, 1, 1), response("b", 1, 1, 3), response("a", 3, 2, 4), response("a", 2, 1, 2)];
    let kept: Vec<_> = latest(&responses).into_iter().map(|r| (r.respondent.as_str(), r.revision, r.submission.form_version.0)).collect();
    assert_eq!(kept, [("a", 3, 2), ("b", 2, 1)]);
    let twice = [response("a", 1, 1, 1), response("a", 1, 1, 2)];
    assert_eq!(latest(&twice)[0].submission.answers.get("overall"), Some(&V::Rating(2)), "of equal revisions the later");
}

#[test]
fn json_shapes() {
    let answers = Answers::from([("again", V::YesNo(true)), ("topics", V::Choices(vec!["nps".into()])), ("share", V::Number(-2.5))]);
    assert_eq!(
        serde_json::to_value(&answers).unwrap(),
        serde_json::json!({"again": {"yes_no": true}, "share": {"number": -2.5}, "topics": {"choices": ["nps"]}})
    );
    let sub: Submission = serde_json::from_str(r#"{"form_version": 2, "answers": {"held-on": {"date": "2020-11-27"}}}"#).unwrap();
    assert_eq!(sub.form_version, FormVersion(2));
    assert_eq!(sub.answers.get("held-on"), Some(&V::Date("2020-11-27".into())));
    let problem = Problem { question: "overall".into(), label: "Overall".into(), problem: ProblemKind::TooManyChoices { max: 2, chosen: 3 } };
    assert_eq!(
        serde_json::to_value(&problem).unwrap(),
        serde_json::json!({"question": "overall", "label": "Overall", "problem": {"kind": "too_many_choices", "max": 2, "chosen": 3}})
    );
}
