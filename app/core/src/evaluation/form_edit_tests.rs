use super::*;
use crate::evaluation::{template, Format, NO, YES};

fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn every_template_goes_through_the_editor_unchanged() {
    for format in Format::ALL {
        let Some(form) = template(format).form().cloned() else { continue };
        let fields = FormFields::of(&form);
        assert_eq!(FormFields::posted(&fields.browser_post()), fields, "{format:?}");
        assert_eq!(fields.form(), Ok(form), "{format:?}");
    }
}

#[test]
fn every_kind_and_a_condition_read_from_typed_fields() {
    let fields = FormFields::posted(&posted(&[
        ("e0.kind", "yes_no"),
        ("e0.label-en", "Did you take part?"),
        ("e0.label-fr", " Avez-vous participé ? "),
        ("e0.required", "on"),
        ("e1.kind", "single_choice"),
        ("e1.label-en", "Which session?"),
        ("e1.options", "[am] Morning | Matin | صباح\nAfternoon\n\n  Évening, late  "),
        ("e1.when-question", "did-you-take-part"),
        ("e1.when-equals", YES),
        ("e2.kind", "multiple_choice"),
        ("e2.label-en", "Topics"),
        ("e2.options", "Prisons\nPrevention"),
        ("e2.max-choices", "1"),
        ("e3.kind", "number"),
        ("e3.label-en", "Days"),
        ("e3.min", "0,5"),
        ("e3.max", "10"),
        ("e3.integer", "on"),
        ("e4.kind", "rating"),
        ("e4.label-en", "Overall"),
        ("e4.low", "Poor | Faible"),
        ("e4.high", "Excellent"),
        ("e5.kind", "long_text"),
        ("e5.id", "why"),
        ("e5.label-en", "Why?"),
        ("e5.help-ar", "لماذا"),
        ("e5.max-chars", "300"),
        ("e6.kind", "short_text"),
        ("e6.label-en", "Name"),
        ("e7.kind", "date"),
        ("e7.label-en", "When"),
        ("e7.when-question", "did-you-take-part"),
        ("e7.when-equals", NO),
        ("unrelated", "x"),
        ("e9999.label-en", "beyond the limit"),
    ]));
    let form = fields.form().unwrap();
    let ids: Vec<_> = form.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["did-you-take-part", "which-session", "topics", "days", "overall", "why", "name", "when"]);
    let q = &form.questions;
    assert!(q[0].required);
    assert_eq!(q[0].label, Localized { en: "Did you take part?".into(), fr: Some("Avez-vous participé ?".into()), ar: None });
    let options = q[1].kind.options();
    assert_eq!(options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), ["am", "afternoon", "evening-late"]);
    assert_eq!(options[0].label, Localized::tri("Morning", "Matin", "صباح"));
    assert_eq!(q[1].show_when, Some(ShowWhen { question: "did-you-take-part".into(), equals: YES.into() }));
    assert_eq!(q[2].kind, QuestionKind::MultipleChoice { options: q[2].kind.options().to_vec(), max: Some(1) });
    assert_eq!(q[3].kind, QuestionKind::Number { min: Some(0.5), max: Some(10.0), integer: true });
    assert_eq!(
        q[4].kind,
        QuestionKind::Rating { low_label: Localized { en: "Poor".into(), fr: Some("Faible".into()), ar: None }, high_label: "Excellent".into() }
    );
    assert_eq!(q[5].help, Some(Localized { en: String::new(), fr: None, ar: Some("لماذا".into()) }));
    assert_eq!(q[5].kind, QuestionKind::LongText { max_chars: 300 });
    assert_eq!(q[6].kind, QuestionKind::short_text());
    assert_eq!(q[7].kind, QuestionKind::Date);
    // What the page shows again reads back the same.
    assert_eq!(FormFields::of(&form).form(), Ok(form));
}

#[test]
fn made_ids_are_unique_and_never_take_a_typed_one() {
    let fields = FormFields::posted(&posted(&[
        ("e0.kind", "yes_no"),
        ("e0.label-en", "Useful?"),
        ("e1.kind", "yes_no"),
        ("e1.id", "useful-2"),
        ("e1.label-en", "Useful, really?"),
        ("e2.kind", "yes_no"),
        ("e2.label-en", "Useful!"),
        ("e3.kind", "yes_no"),
        ("e3.label-en", "مفيد؟"),
        ("e4.kind", "single_choice"),
        ("e4.label-en", "Pick"),
        ("e4.options", "A\n[a] Typed a\nA"),
    ]));
    let form = fields.form().unwrap();
    let ids: Vec<_> = form.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["useful", "useful-2", "useful-3", "question-4", "pick"]);
    assert_eq!(form.questions[4].kind.options().iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), ["a-2", "a", "a-3"]);
}

#[test]
fn what_cannot_be_used_is_said_in_words_naming_the_question() {
    let cases: [(&[(&str, &str)], &str); 8] = [
        (&[("e0.kind", "number"), ("e0.label-en", "Days"), ("e0.min", "three")], "Question 1 (“Days”): the minimum must be a number, not “three”"),
        (&[("e0.kind", "number"), ("e0.label-en", "Days"), ("e0.min", "inf")], "the minimum must be a number"),
        (&[("e0.kind", "short_text"), ("e0.label-en", "Name"), ("e0.max-chars", "-4")], "the most characters must be a whole number, not “-4”"),
        (&[("e0.kind", "survey"), ("e0.label-en", "Name")], "“survey” is not a kind of question"),
        (&[("e0.kind", "yes_no")], "Question \"question-1\" has no label"),
        (&[("e0.kind", "single_choice"), ("e0.label-en", "Pick"), ("e0.options", "Only one")], "needs at least 2 options"),
        (&[("e0.kind", "number"), ("e0.label-en", "Days"), ("e0.min", "5"), ("e0.max", "1")], "the minimum not above the maximum"),
        (
            &[("e0.kind", "yes_no"), ("e0.label-en", "A"), ("e0.when-question", "later"), ("e1.kind", "yes_no"), ("e1.id", "later"), ("e1.label-en", "B")],
            "must come before it",
        ),
    ];
    for (fields, words) in cases {
        let problems = FormFields::posted(&posted(fields)).form().unwrap_err();
        assert!(problems.iter().any(|p| p.contains(words)), "{fields:?}: {problems:?}");
    }
    assert_eq!(FormFields::default().form().unwrap_err(), ["The form has no questions"]);
}

#[test]
fn steps_add_remove_and_move_questions_and_ignore_positions_out_of_range() {
    let mut fields = FormFields::posted(&posted(&[("e0.label-en", "A"), ("e1.label-en", "B"), ("e2.label-en", "C")]));
    let labels = |f: &FormFields| f.questions.iter().map(|q| q.label[0].clone()).collect::<Vec<_>>();
    fields.step(Step::parse("up-2").unwrap());
    assert_eq!(labels(&fields), ["A", "C", "B"]);
    for nothing in ["up-0", "up-3", "remove-3", "save"] {
        fields.step(Step::parse(nothing).unwrap());
        assert_eq!(labels(&fields), ["A", "C", "B"], "{nothing}");
    }
    fields.step(Step::parse("remove-0").unwrap());
    assert_eq!(labels(&fields), ["C", "B"]);
    fields.step(Step::Add);
    assert_eq!(fields.questions.len(), 3);
    assert_eq!(fields.questions[2].kind, "short_text");
    for bad in ["", "remove", "up-x", "remove--1", "delete-1"] {
        assert_eq!(Step::parse(bad), None, "{bad}");
    }
    let mut full = FormFields { questions: vec![QuestionFields::default(); MAX_QUESTIONS] };
    full.step(Step::Add);
    assert_eq!(full.questions.len(), MAX_QUESTIONS);
}
