//! The five formats against the seed, and the templates: well made, using every question kind
//! and conditions, the questionnaire in three languages.

use super::*;
use crate::evaluation::form::QuestionKind;
use crate::evaluation::text::Lang;
use crate::model::seed;

#[test]
fn formats_are_the_seeds() {
    let programme = seed::programme();
    let evaluation = &programme.working_methods.evaluation;
    let seeded: Vec<_> = evaluation.process.iter().chain(&evaluation.outcome).map(|f| (f.id.as_str(), f.name.as_str(), f.by.as_deref())).collect();
    let ours: Vec<_> = Format::ALL.iter().map(|f| (f.key(), f.name(), f.by())).collect();
    assert_eq!(ours, seeded);
    let outcome: Vec<_> = evaluation.outcome.iter().map(|f| Format::from_key(&f.id)).collect();
    assert_eq!(outcome, [Some(Format::Outcome)]);
    for f in Format::ALL {
        assert_eq!(serde_json::to_value(f).unwrap(), f.key());
        assert_eq!(Format::from_key(f.key()), Some(f));
        assert_eq!(f.kind() == EvaluationKind::Outcome, evaluation.outcome.iter().any(|o| o.id == f.key()));
    }
    assert_eq!(Format::from_key("outcome"), None);
}

#[test]
fn who_answers_each_format() {
    let who: Vec<_> = Format::ALL.iter().map(|f| (f.respondents(), f.respondents().anonymous())).collect();
    assert_eq!(
        who,
        [
            (Respondents::Participants, true),
            (Respondents::EachSecretariatMember, false),
            (Respondents::SecretariatTogether, false),
            (Respondents::EachDelegation, false),
            (Respondents::SecretariatPerActivity, false),
        ]
    );
}

#[test]
fn every_template_is_well_made() {
    for f in Format::ALL {
        assert_eq!(template(f).check(), Ok(()), "{f:?}");
    }
    assert!(matches!(template(Format::CollectiveInternal), Template::Sections { .. }));
    assert!(template(Format::CollectiveInternal).form().is_none());
    assert!(matches!(template(Format::Outcome), Template::Outcome { .. }));
}

#[test]
fn templates_use_every_question_kind_and_conditions() {
    let forms: Vec<Form> = Format::ALL.iter().filter_map(|f| template(*f).form().cloned()).collect();
    let questions = || forms.iter().flat_map(|f| &f.questions);
    let used = |pred: fn(&QuestionKind) -> bool| questions().any(|q| pred(&q.kind));
    assert!(used(|k| matches!(k, QuestionKind::ShortText { .. })));
    assert!(used(|k| matches!(k, QuestionKind::LongText { .. })));
    assert!(used(|k| matches!(k, QuestionKind::SingleChoice { .. })));
    assert!(used(|k| matches!(k, QuestionKind::MultipleChoice { max: Some(_), .. })));
    assert!(used(|k| matches!(k, QuestionKind::MultipleChoice { max: None, .. })));
    assert!(used(|k| matches!(k, QuestionKind::Rating { .. })));
    assert!(used(|k| matches!(k, QuestionKind::YesNo)));
    assert!(used(|k| matches!(k, QuestionKind::Number { .. })));
    assert!(used(|k| matches!(k, QuestionKind::Date)));
    let conditions_on = |of: fn(&QuestionKind) -> bool| {
        forms.iter().any(|f| f.questions.iter().any(|q| q.show_when.as_ref().is_some_and(|c| f.question(&c.question).is_some_and(|t| of(&t.kind)))))
    };
    assert!(conditions_on(|k| matches!(k, QuestionKind::YesNo)));
    assert!(conditions_on(|k| matches!(k, QuestionKind::SingleChoice { .. })));
}

#[test]
fn the_questionnaire_speaks_french_and_arabic() {
    let Template::Questions { form } = template(Format::PostActivityQuestionnaire) else { panic!("a form") };
    let mut texts = Vec::new();
    for q in &form.questions {
        texts.push(&q.label);
        texts.extend(&q.help);
        texts.extend(q.kind.options().iter().map(|o| &o.label));
        if let QuestionKind::Rating { low_label, high_label } = &q.kind {
            texts.extend([low_label, high_label]);
        }
    }
    assert!(texts.len() > 30);
    for text in texts {
        assert_eq!(text.lang_of(Lang::Fr), Lang::Fr, "{:?} lacks French", text.en);
        assert_eq!(text.lang_of(Lang::Ar), Lang::Ar, "{:?} lacks Arabic", text.en);
        let ar = text.pick(Lang::Ar);
        assert!(ar.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)), "{ar:?} is not Arabic");
    }
}

#[test]
fn the_questionnaire_asks_about_the_programmes_priorities() {
    let programme = seed::programme();
    let Template::Questions { form } = template(Format::PostActivityQuestionnaire) else { panic!("a form") };
    let options: Vec<&str> = form.question("priorities").map(|q| q.kind.options().iter().map(|o| o.id.as_str()).collect()).unwrap_or_default();
    let priorities: Vec<&str> = programme.priorities.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(options, priorities);
}

#[test]
fn sections_are_checked() {
    let Template::Sections { sections } = template(Format::CollectiveInternal) else { panic!("sections") };
    assert!(sections.iter().any(|s| s.id == "priorities"));
    let mut bad = sections.clone();
    bad[1].id = bad[0].id.clone();
    bad[2].heading = Localized::en(" ");
    bad[3].id = "Bad Id".into();
    assert_eq!(
        check_sections(&bad),
        Err(vec![
            FormError::DuplicateQuestion { question: bad[0].id.clone() },
            FormError::Empty { question: bad[2].id.clone(), what: "heading".into() },
            FormError::BadId { id: "Bad Id".into() },
        ])
    );
    assert_eq!(check_sections(&[]), Err(vec![FormError::NoQuestions]));
}
