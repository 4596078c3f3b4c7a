//! An evaluation's results in one line, for the pages that list evaluations beside an activity
//! (the chain: priority → action → ToR → its evaluations and their latest results →
//! its outcome): the form's first rating question that anyone answered, with its mean.

use super::form::{Form, QuestionKind, RATING_MAX};
use super::results::{tenths, Results, Summary};

/// The headline of `results` (of `form`'s questions): `Some` for the first rating question
/// (1 to [`RATING_MAX`]) with at least one answer, `None` when the form has none or nobody
/// answered one. Only for results that may be shown (the caller checks `may_show` first).
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    /// The question's English label ("Overall usefulness").
    pub label: String,
    /// Its mean, rounded to one decimal place ([`tenths`]).
    pub mean: f64,
    /// Respondents who answered it.
    pub answered: u32,
}

impl Headline {
    /// "“Overall usefulness”: 4.2 of 5 (12 answered)".
    pub fn words(&self) -> String {
        format!("“{}”: {:.1} of {RATING_MAX} ({} answered)", self.label, self.mean, self.answered)
    }
}

/// See [`Headline`].
pub fn headline(form: &Form, results: &Results) -> Option<Headline> {
    form.questions.iter().filter(|q| matches!(q.kind, QuestionKind::Rating { .. })).find_map(|q| {
        let result = results.questions.iter().find(|r| r.question == q.id)?;
        match result.summary {
            Summary::Scale { mean: Some(mean), .. } if result.answered > 0 => {
                Some(Headline { label: q.label.en.clone(), mean: tenths(mean), answered: result.answered })
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::answer::{AnswerValue, Answers, Response, Submission};
    use super::super::form::{FormVersion, Question};
    use super::super::form_tests::every_kind;
    use super::super::results::results;
    use super::*;

    fn rated(respondent: &str, overall: Option<u8>, later: Option<u8>) -> Response {
        let mut answers = Answers::default();
        if let Some(v) = overall {
            answers.set("overall", AnswerValue::Rating(v));
        }
        if let Some(v) = later {
            answers.set("later", AnswerValue::Rating(v));
        }
        Response {
            respondent: respondent.into(),
            revision: 1,
            submitted: "2021-10-01".into(),
            submission: Submission { form_version: FormVersion(1), answers },
        }
    }

    fn with_second_rating() -> Form {
        let mut form = every_kind();
        form.questions.push(Question::new("later", "Later".into(), QuestionKind::Rating { low_label: "Low".into(), high_label: "High".into() }));
        form
    }

    #[test]
    fn the_first_rating_answered_with_its_mean_rounded() {
        let form = with_second_rating();
        let responses = [rated("a", Some(4), Some(1)), rated("b", Some(5), None), rated("c", Some(4), None)];
        let line = headline(&form, &results(&form, FormVersion(1), &responses)).expect("a rating was answered");
        assert_eq!(line, Headline { label: "Overall".into(), mean: 4.3, answered: 3 });
        assert_eq!(line.words(), "“Overall”: 4.3 of 5 (3 answered)");
    }

    #[test]
    fn a_rating_nobody_answered_gives_way_to_the_next() {
        let form = with_second_rating();
        let responses = [rated("a", None, Some(2)), rated("b", None, Some(3))];
        let line = headline(&form, &results(&form, FormVersion(1), &responses)).expect("the second rating was answered");
        assert_eq!((line.label.as_str(), line.mean, line.answered), ("Later", 2.5, 2));
    }

    #[test]
    fn no_rating_answered_or_none_asked_gives_nothing() {
        let form = with_second_rating();
        assert_eq!(headline(&form, &results(&form, FormVersion(1), &[rated("a", None, None)])), None);
        let mut no_ratings = every_kind();
        no_ratings.questions.retain(|q| !matches!(q.kind, QuestionKind::Rating { .. }));
        assert_eq!(headline(&no_ratings, &results(&no_ratings, FormVersion(1), &[rated("a", Some(4), None)])), None);
    }
}
