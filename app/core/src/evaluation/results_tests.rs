//! Aggregation by hand-made examples: multiple choice per option, ratings and numbers, texts,
//! yes/no, dates, rounding, the response rate, the anonymity threshold, and what is not counted.

use super::form_tests::every_kind;
use super::*;
use AnswerValue as V;

fn resp(respondent: &str, version: u32, answers: Answers) -> Response {
    Response {
        respondent: respondent.into(),
        revision: 1,
        submitted: "2020-11-27".into(),
        submission: Submission { form_version: FormVersion(version), answers },
    }
}

fn summary<'r>(results: &'r Results, id: &str) -> (&'r Summary, u32) {
    let q = results.questions.iter().find(|q| q.question == id).expect("a result per question");
    (&q.summary, q.answered)
}

fn option_counts(summary: &Summary) -> Vec<(&str, u32, f64)> {
    match summary {
        Summary::Choices { options } => options.iter().map(|o| (o.option.as_str(), o.count, o.percent)).collect(),
        other => panic!("not choices: {other:?}"),
    }
}

fn chose(ids: &[&str]) -> AnswerValue {
    V::Choices(ids.iter().map(|s| s.to_string()).collect())
}

#[test]
fn multiple_choice_counts_each_option_not_combinations() {
    let responses = [
        resp("a", 1, Answers::from([("topics", chose(&["nps", "stimulants"]))])),
        resp("b", 1, Answers::from([("topics", chose(&["nps"]))])),
        resp("c", 1, Answers::from([("topics", chose(&["stimulants", "gender"]))])),
        resp("d", 1, Answers::default()),
    ];
    let results = results(&every_kind(), FormVersion(1), &responses);
    assert_eq!(results.responses, 4);
    let (topics, answered) = summary(&results, "topics");
    assert_eq!(answered, 3);
    assert_eq!(option_counts(topics), [("nps", 2, 66.7), ("stimulants", 2, 66.7), ("gender", 1, 33.3), ("sdg", 0, 0.0)]);
}

#[test]
fn single_choice_percentages_are_of_those_who_answered() {
    let responses: Vec<_> = ["seminar", "seminar", "training", "seminar", "network", "seminar", "training", "seminar"]
        .iter()
        .enumerate()
        .map(|(n, f)| resp(&format!("r{n}"), 1, Answers::from([("format", V::Choice(f.to_string()))])))
        .chain([resp("silent", 1, Answers::default())])
        .collect();
    let results = results(&every_kind(), FormVersion(1), &responses);
    let (format, answered) = summary(&results, "format");
    assert_eq!(answered, 8);
    assert_eq!(option_counts(format), [("seminar", 5, 62.5), ("training", 2, 25.0), ("network", 1, 12.5)]);
}

#[test]
fn ratings_give_the_whole_scale_mean_and_median() {
    let responses: Vec<_> = [5, 4, 2, 2].iter().enumerate().map(|(n, r)| resp(&format!("r{n}"), 1, Answers::from([("overall", V::Rating(*r))]))).collect();
    let results = results(&every_kind(), FormVersion(1), &responses);
    let (Summary::Scale { distribution, mean, median }, 4) = summary(&results, "overall") else { panic!("a scale of 4 answers") };
    let counts: Vec<_> = distribution.iter().map(|d| (d.value, d.count, d.percent)).collect();
    assert_eq!(counts, [(1.0, 0, 0.0), (2.0, 2, 50.0), (3.0, 0, 0.0), (4.0, 1, 25.0), (5.0, 1, 25.0)]);
    assert_eq!((*mean, *median), (Some(3.25), Some(3.0)), "the median of an even count is the mean of the middle two");
}

#[test]
fn numbers_give_each_value_given_in_order_mean_and_median() {
    let responses: Vec<_> = [-5.0, 3.0, 3.0, 10.0, -5.0, 0.0, 3.0, 2.5]
        .iter()
        .enumerate()
        .map(|(n, v)| resp(&format!("r{n}"), 1, Answers::from([("experts", V::Number(*v))])))
        .collect();
    let results = results(&every_kind(), FormVersion(1), &responses);
    let (Summary::Scale { distribution, mean, median }, 7) = summary(&results, "experts") else { panic!("a scale of 7 answers") };
    let counts: Vec<_> = distribution.iter().map(|d| (d.value, d.count)).collect();
    assert_eq!(counts, [(-5.0, 2), (0.0, 1), (3.0, 3), (10.0, 1)], "2.5 is not a whole number: not counted");
    assert_eq!(*median, Some(3.0));
    assert!((mean.unwrap() - 9.0 / 7.0).abs() < 1e-12);
    let (Summary::Scale { mean, median, distribution }, 0) = summary(&results, "share") else { panic!("nobody answered share") };
    assert_eq!((*mean, *median, distribution.len()), (None, None, 0));
}

#[test]
fn texts_are_listed_sorted_blank_ones_left_out_and_yes_no_and_dates_counted() {
    let responses = [
        resp("a", 1, Answers::from([("name", V::Text("WHO".into())), ("again", V::YesNo(true)), ("held-on", V::Date("2020-11-27".into()))])),
        resp("b", 1, Answers::from([("name", V::Text("  ".into())), ("again", V::YesNo(false)), ("held-on", V::Date("2019-05-02".into()))])),
        resp("c", 1, Answers::from([("name", V::Text("EMCDDA".into())), ("again", V::YesNo(true)), ("held-on", V::Date("2020-11-27".into()))])),
    ];
    let results = results(&every_kind(), FormVersion(1), &responses);
    assert_eq!(summary(&results, "name"), (&Summary::Texts { texts: vec!["EMCDDA".into(), "WHO".into()] }, 2));
    assert_eq!(summary(&results, "again"), (&Summary::YesNo { yes: Share { count: 2, percent: 66.7 }, no: Share { count: 1, percent: 33.3 } }, 3));
    let dates = vec![DateCount { date: "2019-05-02".into(), count: 1 }, DateCount { date: "2020-11-27".into(), count: 2 }];
    assert_eq!(summary(&results, "held-on"), (&Summary::Dates { dates }, 3));
}

#[test]
fn versions_never_mix_and_each_respondent_counts_once() {
    let mut superseded = resp("a", 1, Answers::from([("format", V::Choice("network".into()))]));
    superseded.revision = 1;
    let mut latest = resp("a", 1, Answers::from([("format", V::Choice("seminar".into()))]));
    latest.revision = 2;
    let responses = [
        latest.clone(),
        superseded,
        latest,
        resp("b", 2, Answers::from([("format", V::Choice("training".into()))])),
        resp("c", 1, Answers::from([("format", V::Choice("seminar".into()))])),
    ];
    let v1 = results(&every_kind(), FormVersion(1), &responses);
    assert_eq!(v1.responses, 2);
    assert_eq!(option_counts(summary(&v1, "format").0), [("seminar", 2, 100.0), ("training", 0, 0.0), ("network", 0, 0.0)]);
    let v2 = results(&every_kind(), FormVersion(2), &responses);
    assert_eq!((v2.version, v2.responses), (FormVersion(2), 1));
    assert_eq!(option_counts(summary(&v2, "format").0), [("seminar", 0, 0.0), ("training", 1, 100.0), ("network", 0, 0.0)]);
}

#[test]
fn hidden_and_unfitting_answers_count_nowhere() {
    let responses = [
        // "why-not" shows only when "again" is no: hidden here.
        resp("a", 1, Answers::from([("again", V::YesNo(true)), ("why-not", V::Text("stale".into()))])),
        resp("b", 1, Answers::from([("again", V::YesNo(false)), ("why-not", V::Text("Too far".into()))])),
        // Damaged storage: a rating of 9, a choice not in the list, a text for a number.
        resp("c", 1, Answers::from([("overall", V::Rating(9)), ("format", V::Choice("gone".into())), ("share", V::Text("12".into()))])),
    ];
    let results = results(&every_kind(), FormVersion(1), &responses);
    assert_eq!(summary(&results, "why-not"), (&Summary::Texts { texts: vec!["Too far".into()] }, 1));
    assert_eq!(summary(&results, "overall").1, 0);
    assert_eq!(summary(&results, "format").1, 0);
    assert_eq!(summary(&results, "share").1, 0);
}

#[test]
fn percentages_round_to_one_decimal_halves_up() {
    let cases = [
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 6, 16.7),
        (1, 8, 12.5),
        (1, 16, 6.3),
        (3, 16, 18.8),
        (1, 2000, 0.1),
        (1, 2001, 0.0),
        (5, 5, 100.0),
        (0, 7, 0.0),
        (0, 0, 0.0),
        (1, 0, 0.0),
    ];
    for (count, base, expected) in cases {
        assert_eq!(percent(count, base), expected, "{count} of {base}");
    }
    assert_eq!(percent(u32::MAX, u32::MAX), 100.0);
}

#[test]
fn anonymous_results_wait_for_three_responses() {
    assert!(!may_show(true, 0));
    assert!(!may_show(true, 2));
    assert!(may_show(true, 3));
    assert!(may_show(false, 0));
    assert!(may_show(false, 1));
}

#[test]
fn the_response_rate_in_words() {
    let (one, many) = Format::MidTerm.respondents().noun();
    assert_eq!(ResponseRate { responses: 23, expected: Some(41) }.describe(one, many), "23 of 41 delegations");
    assert_eq!(ResponseRate { responses: 23, expected: Some(41) }.percent(), Some(56.1));
    assert_eq!(ResponseRate { responses: 1, expected: None }.describe("participant", "participants"), "1 participant");
    assert_eq!(ResponseRate { responses: 0, expected: None }.describe("participant", "participants"), "0 participants");
    assert_eq!(ResponseRate { responses: 0, expected: Some(0) }.percent(), None);
    assert_eq!(serde_json::to_value(ResponseRate { responses: 2, expected: None }).unwrap(), serde_json::json!({"responses": 2}));
}

#[test]
fn json_shape() {
    let responses = [resp("a", 1, Answers::from([("again", V::YesNo(true))]))];
    let results = results(&every_kind(), FormVersion(1), &responses);
    let json = serde_json::to_value(&results).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["responses"], 1);
    let again = json["questions"].as_array().and_then(|qs| qs.iter().find(|q| q["question"] == "again")).cloned();
    assert_eq!(
        again,
        Some(
            serde_json::json!({"question": "again", "answered": 1, "summary": {"type": "yes_no", "yes": {"count": 1, "percent": 100.0}, "no": {"count": 0, "percent": 0.0}}})
        )
    );
}

#[test]
fn anonymous_figures_move_in_whole_batches_until_closing() {
    let counted: Vec<usize> = (0..=7).map(|n| published(n, true, false)).collect();
    assert_eq!(counted, [0, 0, 0, 3, 3, 3, 6, 6]);
    for n in 0..=7 {
        assert_eq!(published(n, true, true), n, "closed: every submission counts");
        assert_eq!(published(n, false, false), n, "not anonymous: no batches");
    }
}

#[test]
fn means_round_to_tenths_halves_up_like_percentages() {
    // 3.25 (13 of 4) is exact in binary; 0.45 is not.
    assert_eq!([tenths(13.0 / 4.0), tenths(3.24), tenths(4.0), tenths(-3.25)], [3.3, 3.2, 4.0, -3.3]);
    assert_eq!(tenths(0.45 * 10.0 / 10.0), 0.5);
    assert_eq!(tenths(52.0 / 16.0), 3.3, "a mean of 3.25 from 16 answers, as the results page shows it");
}
