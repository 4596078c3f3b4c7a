//! `Form::check`: each way a form can be badly made is found, in words, and a good form of
//! every question kind passes.

use super::*;

fn choices(ids: &[&str]) -> Vec<Choice> {
    ids.iter().map(|id| Choice::new(id, Localized::en(format!("Option {id}")))).collect()
}

/// A form with one question of every kind and both kinds of condition; it passes.
pub(super) fn every_kind() -> Form {
    Form {
        questions: vec![
            Question::new("name", "Your organisation".into(), QuestionKind::ShortText { max_chars: 20 }),
            Question::new("story", "Tell us".into(), QuestionKind::LongText { max_chars: 100 }),
            Question::new("format", "Format".into(), QuestionKind::SingleChoice { options: choices(&["seminar", "training", "network"]) }).required(),
            Question::new("topics", "Topics".into(), QuestionKind::MultipleChoice { options: choices(&["nps", "stimulants", "gender", "sdg"]), max: Some(3) }),
            Question::new("overall", "Overall".into(), QuestionKind::Rating { low_label: "Poor".into(), high_label: "Excellent".into() }).required(),
            Question::new("again", "Again?".into(), QuestionKind::YesNo).required(),
            Question::new("why-not", "Why not?".into(), QuestionKind::short_text()).when("again", NO).required(),
            Question::new("share", "Share of budget".into(), QuestionKind::Number { min: Some(0.0), max: Some(100.0), integer: false }),
            Question::new("experts", "Experts".into(), QuestionKind::Number { min: Some(-10.0), max: None, integer: true }),
            Question::new("held-on", "Held on".into(), QuestionKind::Date),
            Question::new("training-days", "Training days".into(), QuestionKind::Number { min: Some(1.0), max: Some(10.0), integer: true })
                .when("format", "training")
                .required(),
        ],
    }
}

fn errors(form: &Form) -> Vec<FormError> {
    form.check().expect_err("the form should be refused")
}

fn with(mut form: Form, change: impl FnOnce(&mut Vec<Question>)) -> Form {
    change(&mut form.questions);
    form
}

#[test]
fn a_form_of_every_kind_passes() {
    assert_eq!(every_kind().check(), Ok(()));
}

#[test]
fn no_questions() {
    assert_eq!(errors(&Form::default()), [FormError::NoQuestions]);
}

#[test]
fn ids_are_slugs_of_at_most_40_characters_and_unique() {
    for bad in ["", "Name", "na me", "name:x", "-name", "name-", "é", &"a".repeat(41)] {
        let form = with(every_kind(), |qs| qs[0].id = bad.to_owned());
        assert_eq!(errors(&form), [FormError::BadId { id: bad.to_owned() }], "{bad:?}");
    }
    assert!(is_id(&"a".repeat(40)) && is_id("q-1"));
    let form = with(every_kind(), |qs| qs[1].id = "name".into());
    assert_eq!(errors(&form), [FormError::DuplicateQuestion { question: "name".into() }]);
}

#[test]
fn labels_must_say_something_and_not_run_on() {
    let form = with(every_kind(), |qs| qs[0].label = Localized { en: "  ".into(), fr: Some("Nom".into()), ar: None });
    assert_eq!(errors(&form), [FormError::Empty { question: "name".into(), what: "label".into() }]);
    let form = with(every_kind(), |qs| qs[0].label.ar = Some("ب".repeat(MAX_LABEL_CHARS + 1)));
    assert_eq!(errors(&form), [FormError::TooLong { question: "name".into(), what: "label".into(), max: MAX_LABEL_CHARS }]);
    let form = with(every_kind(), |qs| qs[0].help = Some(Localized::en("h".repeat(MAX_HELP_CHARS + 1))));
    assert!(matches!(&errors(&form)[..], [FormError::TooLong { what, .. }] if what == "help text"));
    let form = with(every_kind(), |qs| qs[4].kind = QuestionKind::Rating { low_label: "".into(), high_label: "High".into() });
    assert!(matches!(&errors(&form)[..], [FormError::Empty { what, .. }] if what.contains("low end")));
}

#[test]
fn options_are_enough_valid_and_unique() {
    let form = with(every_kind(), |qs| qs[2].kind = QuestionKind::SingleChoice { options: choices(&["training"]) });
    assert_eq!(errors(&form), [FormError::TooFewOptions { question: "format".into(), min: 2 }]);
    let form = with(every_kind(), |qs| qs[3].kind = QuestionKind::MultipleChoice { options: vec![], max: None });
    assert_eq!(errors(&form), [FormError::TooFewOptions { question: "topics".into(), min: 1 }]);
    let form = with(every_kind(), |qs| qs[3].kind = QuestionKind::MultipleChoice { options: choices(&["a", "b", "a", "B"]), max: None });
    assert_eq!(
        errors(&form),
        [
            FormError::DuplicateOption { question: "topics".into(), option: "a".into() },
            FormError::BadOptionId { question: "topics".into(), option: "B".into() }
        ]
    );
    let many: Vec<String> = (0..=MAX_OPTIONS).map(|n| format!("o{n}")).collect();
    let form = with(every_kind(), |qs| {
        qs[3].kind = QuestionKind::MultipleChoice { options: choices(&many.iter().map(String::as_str).collect::<Vec<_>>()), max: None }
    });
    assert_eq!(errors(&form), [FormError::TooManyOptions { question: "topics".into() }]);
    let form =
        with(every_kind(), |qs| qs[2].kind = QuestionKind::SingleChoice { options: vec![Choice::new("training", " ".into()), Choice::new("b", "B".into())] });
    assert!(matches!(&errors(&form)[..], [FormError::Empty { what, .. }] if what == "label for option \"training\""));
}

#[test]
fn a_maximum_of_choices_is_between_one_and_the_options() {
    for max in [0, 5] {
        let form = with(every_kind(), |qs| qs[3].kind = QuestionKind::MultipleChoice { options: choices(&["a", "b", "c", "d"]), max: Some(max) });
        assert_eq!(errors(&form), [FormError::BadMaxChoices { question: "topics".into(), max, options: 4 }]);
    }
    let form = with(every_kind(), |qs| qs[3].kind = QuestionKind::MultipleChoice { options: choices(&["a", "b", "c", "d"]), max: Some(4) });
    assert_eq!(form.check(), Ok(()));
}

#[test]
fn text_limits_stay_within_the_ceilings() {
    for (at, kind, limit) in [
        (0, QuestionKind::ShortText { max_chars: SHORT_TEXT_MAX_CHARS + 1 }, SHORT_TEXT_MAX_CHARS),
        (0, QuestionKind::ShortText { max_chars: 0 }, SHORT_TEXT_MAX_CHARS),
        (1, QuestionKind::LongText { max_chars: LONG_TEXT_MAX_CHARS + 1 }, LONG_TEXT_MAX_CHARS),
    ] {
        let max_chars = match kind {
            QuestionKind::ShortText { max_chars } | QuestionKind::LongText { max_chars } => max_chars,
            _ => unreachable!(),
        };
        let form = with(every_kind(), |qs| qs[at].kind = kind);
        assert!(matches!(&errors(&form)[..], [FormError::BadTextLimit { max_chars: m, limit: l, .. }] if *m == max_chars && *l == limit));
    }
}

#[test]
fn number_bounds_are_ordered_and_finite() {
    for (min, max) in [(Some(5.0), Some(1.0)), (Some(f64::NAN), None), (None, Some(f64::INFINITY))] {
        let form = with(every_kind(), |qs| qs[7].kind = QuestionKind::Number { min, max, integer: false });
        assert_eq!(errors(&form), [FormError::BadBounds { question: "share".into() }], "{min:?} {max:?}");
    }
    let form = with(every_kind(), |qs| qs[7].kind = QuestionKind::Number { min: Some(3.0), max: Some(3.0), integer: false });
    assert_eq!(form.check(), Ok(()));
}

#[test]
fn a_condition_names_an_earlier_single_choice_or_yes_no_question_and_one_of_its_answers() {
    let cond = |question: &str, equals: &str| with(every_kind(), |qs| qs[6] = qs[6].clone().when(question, equals));
    assert_eq!(errors(&cond("nope", "no")), [FormError::ConditionUnknown { question: "why-not".into(), on: "nope".into() }]);
    assert_eq!(errors(&cond("why-not", "no")), [FormError::ConditionNotEarlier { question: "why-not".into(), on: "why-not".into() }]);
    assert_eq!(errors(&cond("held-on", "no")), [FormError::ConditionNotEarlier { question: "why-not".into(), on: "held-on".into() }]);
    assert_eq!(errors(&cond("topics", "nps")), [FormError::ConditionWrongKind { question: "why-not".into(), on: "topics".into() }]);
    assert_eq!(errors(&cond("overall", "5")), [FormError::ConditionWrongKind { question: "why-not".into(), on: "overall".into() }]);
    assert_eq!(
        errors(&cond("again", "true")),
        [FormError::ConditionBadValue { question: "why-not".into(), on: "again".into(), value: "true".into(), allowed: "yes, no".into() }]
    );
    assert!(matches!(&errors(&cond("format", "expert-group"))[..], [FormError::ConditionBadValue { allowed, .. }] if allowed == "seminar, training, network"));
    assert_eq!(cond("format", "seminar").check(), Ok(()));
    assert_eq!(cond("again", YES).check(), Ok(()));
}

#[test]
fn errors_are_words_and_every_one_is_reported() {
    let form = with(every_kind(), |qs| {
        qs[0].id = "Bad".into();
        qs[3].kind = QuestionKind::MultipleChoice { options: vec![], max: None };
    });
    let errors = errors(&form);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].to_string(), "\"Bad\" is not a valid id: use 1 to 40 lowercase letters, digits and inner hyphens");
    assert_eq!(errors[1].to_string(), "question \"topics\" needs at least one option to choose from");
    assert_eq!(FormError::TooManyQuestions { count: 201 }.to_string(), "the form has 201 questions; at most 200 are allowed");
}

#[test]
fn too_many_questions() {
    let questions = (0..=MAX_QUESTIONS).map(|n| Question::new(&format!("q{n}"), "Q".into(), QuestionKind::YesNo)).collect();
    assert_eq!(errors(&Form { questions }), [FormError::TooManyQuestions { count: MAX_QUESTIONS + 1 }]);
}

#[test]
fn json_shape() {
    let q = Question::new("again", "Again?".into(), QuestionKind::YesNo).required();
    assert_eq!(serde_json::to_value(&q).unwrap(), serde_json::json!({"id": "again", "label": {"en": "Again?"}, "required": true, "kind": {"type": "yes_no"}}));
    let q = Question::new("n", "N".into(), QuestionKind::Number { min: Some(0.0), max: None, integer: true }).when("again", YES);
    assert_eq!(
        serde_json::to_value(&q).unwrap(),
        serde_json::json!({"id": "n", "label": {"en": "N"}, "required": false, "show_when": {"question": "again", "equals": "yes"},
            "kind": {"type": "number", "min": 0.0, "integer": true}})
    );
    let form = every_kind();
    let back: Form = serde_json::from_str(&serde_json::to_string(&form).unwrap()).unwrap();
    assert_eq!(back, form);
    assert_eq!(serde_json::to_string(&FormVersion(3)).unwrap(), "3");
}
