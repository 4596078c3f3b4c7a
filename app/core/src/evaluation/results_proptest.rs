//! Property: respondents answer offline and their submissions arrive in any order, some
//! delivered several times, some superseded by a later revision, some for another version;
//! the results equal the counts the generator decided first. The oracle is those counts (and
//! sums over them), never a second run of the aggregation.

use super::*;
use proptest::prelude::*;
use AnswerValue as V;

const OPTIONS: [&str; 4] = ["o0", "o1", "o2", "o3"];

fn form() -> Form {
    let options = || OPTIONS.iter().map(|id| Choice::new(id, Localized::en(*id))).collect::<Vec<_>>();
    Form {
        questions: vec![
            Question::new("pick", "Pick one".into(), QuestionKind::SingleChoice { options: options() }),
            Question::new("many", "Pick some".into(), QuestionKind::MultipleChoice { options: options(), max: None }),
            Question::new("score", "Score".into(), QuestionKind::Rating { low_label: "Low".into(), high_label: "High".into() }),
            Question::new("agree", "Agree?".into(), QuestionKind::YesNo),
            Question::new("why", "Why not?".into(), QuestionKind::long_text()).when("agree", NO),
        ],
    }
}

/// `cuts` (each at most `n`) cut `0..n` into `cuts.len() + 1` parts: the intended counts.
fn parts(n: usize, mut cuts: Vec<usize>) -> Vec<usize> {
    cuts.sort_unstable();
    let mut edges = vec![0];
    edges.extend(cuts);
    edges.push(n);
    edges.windows(2).map(|w| w[1] - w[0]).collect()
}

/// `counts[k]` copies of `k`, shuffled: which respondent gives which of the counted answers.
fn spread(counts: &[usize], rng: &mut Rng) -> Vec<usize> {
    let mut items: Vec<usize> = counts.iter().enumerate().flat_map(|(k, c)| std::iter::repeat_n(k, *c)).collect();
    rng.shuffle(&mut items);
    items
}

/// A small deterministic generator (xorshift), seeded by proptest, for shuffles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, (self.next() % (i as u64 + 1)) as usize);
        }
    }
}

/// Answers that would skew every count if counted: superseded revisions and other versions.
fn decoy(i: usize) -> Answers {
    Answers::from([
        ("pick", V::Choice("o3".into())),
        ("many", V::Choices(OPTIONS.map(String::from).to_vec())),
        ("score", V::Rating(1)),
        ("agree", V::YesNo(false)),
        ("why", V::Text(format!("decoy {i}"))),
    ])
}

fn delivery(respondent: String, revision: u64, version: u32, answers: Answers) -> Response {
    Response { respondent, revision, submitted: "2021-10-14".into(), submission: Submission { form_version: FormVersion(version), answers } }
}

fn shares(summary: &Summary) -> Vec<u32> {
    match summary {
        Summary::Choices { options } => options.iter().map(|o| o.count).collect(),
        Summary::Scale { distribution, .. } => distribution.iter().map(|d| d.count).collect(),
        Summary::YesNo { yes, no } => vec![yes.count, no.count],
        other => panic!("no counts in {other:?}"),
    }
}

fn oracle_percent(count: usize, base: usize) -> f64 {
    if base == 0 {
        0.0
    } else {
        (count as f64 * 1000.0 / base as f64).round() / 10.0
    }
}

type Case = (usize, Vec<usize>, Vec<usize>, Vec<usize>, Vec<usize>, Vec<(u64, usize)>, usize, usize, u64);

fn case() -> impl Strategy<Value = Case> {
    (0usize..=25).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(0..=n, 4),                 // pick: 4 options and "skipped"
            proptest::collection::vec(0..=n, 4),                 // many: how many chose each option
            proptest::collection::vec(0..=n, 5),                 // score: 1 to 5 and "skipped"
            proptest::collection::vec(0..=n, 2),                 // agree: yes, no, "skipped"
            proptest::collection::vec((0u64..3, 1usize..=3), n), // per respondent: earlier revisions, copies delivered
            0usize..=3,                                          // respondents who moved on to version 2
            0usize..=3,                                          // respondents of version 2 only
            any::<u64>(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn results_equal_the_generated_counts(case in case()) {
        let (n, pick_cuts, many_counts, score_cuts, agree_cuts, deliveries, movers, others, seed) = case;
        let mut rng = Rng(seed | 1);
        let pick = parts(n, pick_cuts);      // [o0, o1, o2, o3, skipped]
        let score = parts(n, score_cuts);    // [1, 2, 3, 4, 5, skipped]
        let agree = parts(n, agree_cuts);    // [yes, no, skipped]
        let pick_of = spread(&pick, &mut rng);
        let score_of = spread(&score, &mut rng);
        let agree_of = spread(&agree, &mut rng);
        let many_of: Vec<Vec<usize>> = many_counts.iter().map(|c| spread(&[n - c, *c], &mut rng)).collect();

        let mut all = Vec::new();
        for i in 0..n {
            let key = format!("r{i:02}");
            let mut answers = Answers::default();
            if pick_of[i] < 4 {
                answers.set("pick", V::Choice(OPTIONS[pick_of[i]].into()));
            }
            let chosen: Vec<String> = (0..4).filter(|j| many_of[*j][i] == 1).map(|j| OPTIONS[j].to_owned()).collect();
            if !chosen.is_empty() {
                answers.set("many", V::Choices(chosen));
            }
            if score_of[i] < 5 {
                answers.set("score", V::Rating(score_of[i] as u8 + 1));
            }
            if agree_of[i] < 2 {
                answers.set("agree", V::YesNo(agree_of[i] == 0));
            }
            // Everyone wrote a reason; only those who said no are shown the question.
            answers.set("why", V::Text(format!("reason {i:02}")));
            let (earlier, copies) = deliveries[i];
            for revision in 1..=earlier {
                all.push(delivery(key.clone(), revision, 1, decoy(i)));
            }
            for _ in 0..copies {
                all.push(delivery(key.clone(), earlier + 1, 1, answers.clone()));
            }
        }
        for m in 0..movers {
            all.push(delivery(format!("m{m}"), 1, 1, decoy(m)));
            all.push(delivery(format!("m{m}"), 2, 2, decoy(m)));
        }
        for o in 0..others {
            all.push(delivery(format!("o{o}"), 1, 2, decoy(o)));
        }
        rng.shuffle(&mut all);

        let results = results(&form(), FormVersion(1), &all);
        let by_id = |id: &str| results.questions.iter().find(|q| q.question == id).cloned().expect("every question");
        prop_assert_eq!(results.responses as usize, n);

        let q = by_id("pick");
        prop_assert_eq!(q.answered as usize, n - pick[4]);
        prop_assert_eq!(shares(&q.summary), pick[..4].iter().map(|c| *c as u32).collect::<Vec<_>>());
        if let Summary::Choices { options } = &q.summary {
            for (o, c) in options.iter().zip(&pick) {
                prop_assert_eq!(o.percent, oracle_percent(*c, n - pick[4]));
            }
        }

        let q = by_id("many");
        let answered_many = (0..n).filter(|i| (0..4).any(|j| many_of[j][*i] == 1)).count();
        prop_assert_eq!(q.answered as usize, answered_many);
        prop_assert_eq!(shares(&q.summary), many_counts.iter().map(|c| *c as u32).collect::<Vec<_>>());

        let q = by_id("score");
        let rated = n - score[5];
        prop_assert_eq!(q.answered as usize, rated);
        prop_assert_eq!(shares(&q.summary), score[..5].iter().map(|c| *c as u32).collect::<Vec<_>>());
        if let Summary::Scale { mean, median, .. } = &q.summary {
            let sum: usize = score[..5].iter().enumerate().map(|(v, c)| (v + 1) * c).sum();
            let expected_mean = (rated > 0).then(|| sum as f64 / rated as f64);
            prop_assert_eq!(mean.is_some(), expected_mean.is_some());
            if let (Some(m), Some(e)) = (mean, expected_mean) {
                prop_assert!((m - e).abs() < 1e-9, "mean {} vs {}", m, e);
            }
            // The value at a position of the sorted answers, read off the counts.
            let at = |pos: usize| (0..5).find(|v| score[..=*v].iter().sum::<usize>() > pos).map(|v| v as f64 + 1.0);
            let expected_median = match rated {
                0 => None,
                r if r % 2 == 1 => at(r / 2),
                r => Some((at(r / 2 - 1).unwrap_or(0.0) + at(r / 2).unwrap_or(0.0)) / 2.0),
            };
            prop_assert_eq!(*median, expected_median);
        }

        let q = by_id("agree");
        prop_assert_eq!(q.answered as usize, agree[0] + agree[1]);
        prop_assert_eq!(shares(&q.summary), vec![agree[0] as u32, agree[1] as u32]);

        let q = by_id("why");
        let mut reasons: Vec<String> = (0..n).filter(|i| agree_of[*i] == 1).map(|i| format!("reason {i:02}")).collect();
        reasons.sort();
        prop_assert_eq!(q.answered as usize, agree[1]);
        prop_assert_eq!(q.summary, Summary::Texts { texts: reasons });

        // Version 2 counts the movers and the others, and nobody of version 1.
        prop_assert_eq!(super::results(&form(), FormVersion(2), &all).responses as usize, movers + others);
        // The export has one row per counted respondent.
        prop_assert_eq!(rows(&form(), FormVersion(1), &all).len(), n);
    }
}
