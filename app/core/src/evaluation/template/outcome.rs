//! The questions asked beside an outcome report (`evaluation::outcome`): timing, reach, added
//! value and what should become of the activity.

use crate::evaluation::form::{Choice, Form, Question, QuestionKind as K, NO};
use crate::evaluation::text::Localized;

fn en(text: &str) -> Localized {
    Localized::en(text)
}

pub(super) fn form() -> Form {
    let questions = vec![
        Question::new("on-time", en("Were the outputs delivered within the timespan set in the terms of reference?"), K::YesNo).required(),
        Question::new("delay", en("What delayed them?"), K::long_text()).when("on-time", NO).required(),
        Question::new("last-delivered", en("When was the last output delivered?"), K::Date),
        Question::new("member-states", en("How many member States took part in the activity’s work?"), K::Number { min: Some(0.0), max: None, integer: true }),
        Question::new(
            "added-value",
            en("How clearly do the results show the added value of the Pompidou Group?"),
            K::Rating { low_label: en("Not at all"), high_label: en("Clearly") },
        )
        .help(en("Terms of reference (iii): expected results that demonstrate the benefits and the added value of the Pompidou Group."))
        .required(),
        Question::new(
            "next-programme",
            en("What should become of the activity in the next work programme?"),
            K::SingleChoice {
                options: vec![
                    Choice::new("continue", en("Continue as it is")),
                    Choice::new("change", en("Continue with changes")),
                    Choice::new("conclude", en("Conclude")),
                ],
            },
        )
        .required(),
        Question::new("next-changes", en("Which changes?"), K::long_text()).when("next-programme", "change"),
    ];
    Form { questions }
}
