//! The Secretariat's own evaluations of an activity: the individual one (each member answers
//! questions) and the collective one (one text written together, in sections).

use super::Section;
use crate::evaluation::form::{Choice, Form, Question, QuestionKind as K, YES};
use crate::evaluation::text::Localized;

fn en(text: &str) -> Localized {
    Localized::en(text)
}

fn rating(low: &str, high: &str) -> K {
    K::Rating { low_label: en(low), high_label: en(high) }
}

fn count() -> K {
    K::Number { min: Some(0.0), max: None, integer: true }
}

pub(super) fn individual() -> Form {
    let questions = vec![
        Question::new(
            "role",
            en("What was your role in the activity?"),
            K::SingleChoice {
                options: vec![
                    Choice::new("organiser", en("Organiser")),
                    Choice::new("speaker", en("Speaker or moderator")),
                    Choice::new("rapporteur", en("Rapporteur")),
                    Choice::new("support", en("Support (logistics, documents, interpretation)")),
                ],
            },
        )
        .required(),
        Question::new("held-on", en("On which day did the activity begin?"), K::Date).required(),
        Question::new("participants", en("How many participants attended?"), count()).required(),
        Question::new("member-states", en("How many member States were represented?"), count())
            .help(en("Count the delegations of Pompidou Group member States only.")),
        Question::new("objectives", en("How far did the activity meet the objectives set in its terms of reference?"), rating("Not at all", "Fully"))
            .required(),
        Question::new("priority-fit", en("How closely did the activity serve its thematic priority?"), rating("Hardly", "Closely")).required(),
        Question::new("quality", en("How good were the contributions: speakers, papers, discussion?"), rating("Poor", "Excellent")),
        Question::new(
            "budget",
            en("Did the activity stay within its budget?"),
            K::SingleChoice {
                options: vec![Choice::new("within", en("Within budget")), Choice::new("under", en("Under budget")), Choice::new("over", en("Over budget"))],
            },
        )
        .required(),
        Question::new("over-budget", en("What caused the overspend, and how can it be avoided?"), K::long_text()).when("budget", "over").required(),
        Question::new("synergies", en("Did the activity work with other organisations or Council of Europe bodies?"), K::YesNo)
            .help(en("Terms of reference (ii): synergies with implementation partners.")),
        Question::new("synergies-with", en("With which ones?"), K::short_text()).when("synergies", YES).required(),
        Question::new("differently", en("What would you do differently?"), K::long_text()),
        Question::new("follow-up", en("Which follow-up do you propose to the Permanent Correspondents?"), K::long_text()),
    ];
    Form { questions }
}

fn section(id: &str, heading: &str, guidance: &str) -> Section {
    Section { id: id.to_owned(), heading: en(heading), guidance: Some(en(guidance)) }
}

pub(super) fn collective() -> Vec<Section> {
    vec![
        section("summary", "What took place", "Dates, place, format, participants and the member States represented."),
        section("achievements", "What worked", "What the activity achieved, against the objectives in its terms of reference."),
        section("difficulties", "What did not work, and why", "Problems met in preparing and running the activity, and what was done about them."),
        section("priorities", "Contribution to the thematic priorities", "Which thematic priority, and which of its items, the activity served, and how."),
        section(
            "member-states",
            "Usefulness to member States",
            "What delegations and participants said; the results of the post-activity questionnaires and the individual evaluations.",
        ),
        section(
            "synergies",
            "Synergies and overlaps",
            "Work with other organisations and Council of Europe bodies, and duplication avoided (terms of reference (i) and (ii)).",
        ),
        section("resources", "Resources", "Budget and staff time used, and whether the results justified them."),
        section("lessons", "Lessons and recommendations", "What the Secretariat will do differently next time."),
        section("follow-up", "Proposed follow-up", "What to propose to the Bureau and the Permanent Correspondents."),
    ]
}
