//! The mid-term evaluation: one answer per delegation, written by its Permanent
//! Correspondents together, on how an action serves their country and whether it should go on.

use crate::evaluation::form::{Choice, Form, Question, QuestionKind as K, YES};
use crate::evaluation::text::Localized;

fn en(text: &str) -> Localized {
    Localized::en(text)
}

pub(super) fn form() -> Form {
    let questions = vec![
        Question::new(
            "usefulness",
            en("How useful has this action been to your country so far?"),
            K::Rating { low_label: en("Not useful"), high_label: en("Very useful") },
        )
        .required(),
        Question::new(
            "priority-fit",
            en("How well does the action serve the thematic priority it belongs to?"),
            K::Rating { low_label: en("Poorly"), high_label: en("Very well") },
        )
        .required(),
        Question::new("participated", en("Has your delegation taken part in the action’s activities?"), K::YesNo).required(),
        Question::new(
            "participation",
            en("How did it take part?"),
            K::MultipleChoice {
                options: vec![
                    Choice::new("meetings", en("Meetings of Permanent Correspondents or a working party")),
                    Choice::new("expert-group", en("An expert group")),
                    Choice::new("training", en("A training course or seminar")),
                    Choice::new("hosted", en("Hosted an event")),
                    Choice::new("contributed", en("Contributed a paper or data")),
                ],
                max: None,
            },
        )
        .when("participated", YES),
        Question::new("experts", en("How many experts from your country took part?"), K::Number { min: Some(0.0), max: Some(100.0), integer: true })
            .when("participated", YES),
        Question::new(
            "products-used",
            en("Which of the action’s products has your country used?"),
            K::MultipleChoice {
                options: vec![
                    Choice::new("policy-papers", en("Policy papers and statements")),
                    Choice::new("guiding-principles", en("Guiding principles")),
                    Choice::new("expert-reports", en("Expert reports")),
                    Choice::new("practical-tools", en("Practical tools")),
                    Choice::new("training", en("Training")),
                ],
                max: None,
            },
        )
        .help(en("The products the work programme names: policy papers and statements, guiding principles, expert reports, practical tools.")),
        Question::new("national-use", en("Give an example of how the action’s work was used in your country."), K::long_text()),
        Question::new(
            "continue",
            en("Should the action continue until the end of the work programme in 2022?"),
            K::SingleChoice {
                options: vec![
                    Choice::new("as-planned", en("Yes, as planned")),
                    Choice::new("with-changes", en("Yes, with changes")),
                    Choice::new("stop", en("No")),
                ],
            },
        )
        .required(),
        Question::new("changes", en("What should change?"), K::long_text()).when("continue", "with-changes").required(),
        Question::new("stop-why", en("Why should it stop?"), K::long_text()).when("continue", "stop").required(),
        Question::new("comments", en("Anything else the Bureau should know?"), K::long_text()),
    ];
    Form { questions }
}
