//! An evaluation's occasion as the Secretariat sets it up: an id, a title, the activity (an
//! action or a permanent activity of the programme), the format, and the opening and closing
//! dates. [`check_occasion`] is the rule the server applies and the page explains, one
//! [`OccasionProblem`] at a time (each has a code, so a page reached without JavaScript can say
//! it from its address).

use super::template::{template, Format, Template};
use super::validate::is_date;
use crate::model::{is_slug, Programme};

/// Longest evaluation title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// The first thing wrong with a new evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OccasionProblem {
    #[error("An evaluation's id is made of lowercase letters, digits and hyphens (at most 64), e.g. executive-training-2020.")]
    Id,
    #[error("A title is needed, of at most 200 characters, on one line.")]
    Title,
    #[error("Choose an action or a permanent activity of the programme.")]
    Activity,
    #[error("The format is one of post-activity-questionnaire, individual-internal, collective-internal, mid-term, compliance.")]
    Format,
    #[error("The collective internal evaluation and the outcome evaluation are written as documents, which cannot be created here yet.")]
    Document,
    #[error("The opening and closing dates are written yyyy-mm-dd, e.g. 2020-11-27.")]
    Dates,
    #[error("The evaluation closes before it opens.")]
    Order,
    #[error("An evaluation with this id exists already: choose another id.")]
    Taken,
}

const ALL: [OccasionProblem; 8] = [
    OccasionProblem::Id,
    OccasionProblem::Title,
    OccasionProblem::Activity,
    OccasionProblem::Format,
    OccasionProblem::Document,
    OccasionProblem::Dates,
    OccasionProblem::Order,
    OccasionProblem::Taken,
];

impl OccasionProblem {
    /// A short stable code: `id`, `title`, `activity`, `format`, `document`, `dates`,
    /// `order`, `taken`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Title => "title",
            Self::Activity => "activity",
            Self::Format => "format",
            Self::Document => "document",
            Self::Dates => "dates",
            Self::Order => "order",
            Self::Taken => "taken",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Checks a new evaluation: `id` a slug other than `new`, `title` (trimmed) 1 to
/// [`MAX_TITLE_CHARS`] characters without control characters or bidirectional overrides, `activity` an action or permanent activity of `programme`, `format` a
/// [`Format`] key whose template is questions only (not the collective internal evaluation's
/// sections nor the outcome evaluation's report), the dates `yyyy-mm-dd` with `opens`
/// not after `closes`. Returns the format and the trimmed title.
pub fn check_occasion(
    programme: &Programme,
    id: &str,
    title: &str,
    activity: &str,
    format: &str,
    opens: &str,
    closes: &str,
) -> Result<(Format, String), OccasionProblem> {
    // `/evaluations/new` is the creation form's address.
    if !is_slug(id) || id == "new" {
        return Err(OccasionProblem::Id);
    }
    let title = title.trim();
    // Control characters and bidirectional overrides would garble the lists it appears in.
    let garbling = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}');
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS || title.contains(garbling) {
        return Err(OccasionProblem::Title);
    }
    if programme.action(activity).is_none() && programme.permanent_activity(activity).is_none() {
        return Err(OccasionProblem::Activity);
    }
    let format = Format::from_key(format).ok_or(OccasionProblem::Format)?;
    // The outcome evaluation has questions too, beside its report: it is a document all the same.
    if !matches!(template(format), Template::Questions { .. }) {
        return Err(OccasionProblem::Document);
    }
    if !is_date(opens) || !is_date(closes) {
        return Err(OccasionProblem::Dates);
    }
    if closes < opens {
        return Err(OccasionProblem::Order);
    }
    Ok((format, title.to_owned()))
}

/// The name of activity `id` (an action's title or a permanent activity's name).
pub fn activity_name(programme: &Programme, id: &str) -> Option<String> {
    programme.action(id).map(|a| a.title.clone()).or_else(|| programme.permanent_activity(id).map(|a| a.name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(id: &str, title: &str, activity: &str, format: &str, opens: &str, closes: &str) -> Result<(Format, String), OccasionProblem> {
        check_occasion(&crate::model::seed::programme(), id, title, activity, format, opens, closes)
    }

    #[test]
    fn a_good_occasion_passes_and_each_fault_is_named() {
        let good =
            check("executive-training-2020", " Executive Training 2020 ", "drug-policy-academy", "post-activity-questionnaire", "2020-11-23", "2020-12-15");
        assert_eq!(good, Ok((Format::PostActivityQuestionnaire, "Executive Training 2020".to_owned())));
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        for (got, problem) in [
            (check("Executive", "T", "mednet", "mid-term", "2020-01-01", "2020-01-02"), OccasionProblem::Id),
            (check("e", "  ", "mednet", "mid-term", "2020-01-01", "2020-01-02"), OccasionProblem::Title),
            (check("e", &long, "mednet", "mid-term", "2020-01-01", "2020-01-02"), OccasionProblem::Title),
            (check("e", "Two\nlines", "mednet", "mid-term", "2020-01-01", "2020-01-02"), OccasionProblem::Title),
            (check("e", "Seminar \u{202e}2020", "mednet", "mid-term", "2020-01-01", "2020-01-02"), OccasionProblem::Title),
            (check("new", "T", "mednet", "mid-term", "2020-01-01", "2020-01-02"), OccasionProblem::Id),
            (check("e", "T", "nowhere", "mid-term", "2020-01-01", "2020-01-02"), OccasionProblem::Activity),
            (check("e", "T", "mednet", "survey", "2020-01-01", "2020-01-02"), OccasionProblem::Format),
            (check("e", "T", "mednet", "collective-internal", "2020-01-01", "2020-01-02"), OccasionProblem::Document),
            (check("e", "T", "mednet", "compliance", "2020-01-01", "2020-01-02"), OccasionProblem::Document),
            (check("e", "T", "mednet", "mid-term", "2020-02-30", "2020-03-02"), OccasionProblem::Dates),
            (check("e", "T", "mednet", "mid-term", "2020-03-02", "2020-03-01"), OccasionProblem::Order),
        ] {
            assert_eq!(got, Err(problem));
        }
        assert!(check("e", "T", "mednet", "mid-term", "2020-03-01", "2020-03-01").is_ok(), "one day is enough");
    }

    #[test]
    fn codes_name_problems_both_ways() {
        for problem in ALL {
            assert_eq!(OccasionProblem::from_code(problem.code()), Some(problem));
        }
        assert_eq!(OccasionProblem::from_code("other"), None);
    }
}
