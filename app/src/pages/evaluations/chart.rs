//! One question's results as a chart drawn on the server (SVG, a horizontal bar per option or
//! value, its count and percentage written beside it) with the same figures in a table beside
//! it, for screen readers and for anyone who prefers numbers; free texts are listed. Nothing
//! here runs in the browser.

use crate::evaluation::{Question, QuestionKind, QuestionResult, Summary, RATING_MAX, RATING_MIN};
use leptos::prelude::*;

/// One bar: what it counts, how many, and their share of those who answered.
#[derive(Clone, Debug, PartialEq)]
struct Bar {
    label: String,
    count: u32,
    percent: f64,
}

/// Width of the drawing (its units scale to the page: the SVG is as wide as its column).
const WIDTH: f64 = 400.0;
/// Height of one bar's row: its label above, the bar below.
const ROW: f64 = 40.0;
/// Longest label drawn in the chart (the table has it whole).
const LABEL_CHARS: usize = 56;

/// The bars of a result, labelled with the question's words (English until the languages
/// issue).
fn bars(question: &Question, summary: &Summary) -> Vec<Bar> {
    match summary {
        Summary::Choices { options } => options
            .iter()
            .map(|o| {
                let label = question.kind.options().iter().find(|c| c.id == o.option).map_or_else(|| o.option.clone(), |c| c.label.en.clone());
                Bar { label, count: o.count, percent: o.percent }
            })
            .collect(),
        Summary::YesNo { yes, no } => {
            vec![Bar { label: "Yes".into(), count: yes.count, percent: yes.percent }, Bar { label: "No".into(), count: no.count, percent: no.percent }]
        }
        Summary::Scale { distribution, .. } if distribution.len() > MAX_BARS => {
            let integer = matches!(question.kind, QuestionKind::Number { integer: true, .. });
            ranges(&distribution.iter().map(|v| (v.value, v.count)).collect::<Vec<_>>(), integer)
        }
        Summary::Scale { distribution, .. } => {
            distribution.iter().map(|v| Bar { label: scale_label(question, v.value), count: v.count, percent: v.percent }).collect()
        }
        Summary::Dates { dates } => {
            // Many different dates: by month, or by year when the months are many too.
            let width = match dates.len() {
                n if n <= MAX_BARS => 10,
                _ if months(dates) <= MAX_BARS => 7,
                _ => 4,
            };
            let total: u32 = dates.iter().map(|d| d.count).sum();
            let mut grouped: Vec<(String, u32)> = Vec::new();
            for d in dates {
                let key = d.date.get(..width).unwrap_or(&d.date);
                match grouped.last_mut() {
                    Some((last, count)) if last == key => *count += d.count,
                    _ => grouped.push((key.to_owned(), d.count)),
                }
            }
            grouped.into_iter().map(|(label, count)| Bar { label, count, percent: crate::evaluation::percent(count, total) }).collect()
        }
        Summary::Texts { .. } => vec![],
    }
}

/// Most bars a chart draws: numbers and dates with more different answers than this are
/// drawn in ranges (numbers in about 10 of equal width, dates by month or by year); the CSV
/// and the JSON API keep every value. A bar per value made charts of hundreds of rows.
pub const MAX_BARS: usize = 12;

/// How many different months `dates` (earliest first, `yyyy-mm-dd`) fall in.
fn months(dates: &[crate::evaluation::DateCount]) -> usize {
    let mut keys: Vec<&str> = dates.iter().map(|d| d.date.get(..7).unwrap_or(&d.date)).collect();
    keys.dedup();
    keys.len()
}

/// `values` (value, count; ascending) counted in ranges of a round width (1, 2 or 5 times a
/// power of ten) chosen for about 10 of them: "0 to 99" for whole numbers, "0.5 to under 1.0"
/// for others. Empty ranges between others are kept, so the shape reads true.
fn ranges(values: &[(f64, u32)], integer: bool) -> Vec<Bar> {
    let (Some(&(low, _)), Some(&(high, _))) = (values.first(), values.last()) else { return Vec::new() };
    let raw = (high - low) / 10.0;
    let power = if raw > 0.0 { 10f64.powf(raw.log10().floor()) } else { 1.0 };
    let mut step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power);
    if integer {
        step = step.max(1.0).ceil();
    }
    let first = (low / step).floor();
    let count = ((high / step).floor() - first) as usize + 1;
    let mut counts = vec![0u32; count];
    for &(value, n) in values {
        let at = ((value / step).floor() - first).max(0.0) as usize;
        counts[at.min(count - 1)] += n;
    }
    let decimals = if integer { 0 } else { (-step.log10().floor()).max(0.0) as usize };
    let total: u32 = counts.iter().sum();
    counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let from = (first + i as f64) * step;
            let label = match integer {
                true => format!("{from:.0} to {:.0}", from + step - 1.0),
                false => format!("{from:.decimals$} to under {:.decimals$}", from + step),
            };
            Bar { label, count: n, percent: crate::evaluation::percent(n, total) }
        })
        .collect()
}

/// A rating's value with its end label ("1 (Very poor)"), a number as written.
fn scale_label(question: &Question, value: f64) -> String {
    match &question.kind {
        QuestionKind::Rating { low_label, .. } if value == f64::from(RATING_MIN) => format!("{value} ({})", low_label.en),
        QuestionKind::Rating { high_label, .. } if value == f64::from(RATING_MAX) => format!("{value} ({})", high_label.en),
        _ => value.to_string(),
    }
}

fn shortened(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(LABEL_CHARS - 1).collect::<String>())
    }
}

/// How many of a question's free texts the results page lists, unless asked for all of them:
/// a thousand respondents' texts to several questions made a page of megabytes, slow to
/// render and to read on a phone. The CSV and the JSON API carry every text.
pub const TEXTS_SHOWN: usize = 50;

/// `question`'s results: the chart and its table, or the texts given (the first
/// [`TEXTS_SHOWN`] in their order, all of them with `all_texts`, and a link to the rest).
#[component]
pub fn QuestionChart(question: Question, result: QuestionResult, number: usize, #[prop(optional)] all_texts: bool) -> impl IntoView {
    let heading = format!("{number}. {}", question.label.en);
    let id = format!("result-{}", question.id);
    let answered = super::answers(result.answered) + ".";
    let averages = match &result.summary {
        Summary::Scale { mean: Some(mean), median: Some(median), .. } => Some(format!("Mean {:.1}, median {median}.", crate::evaluation::tenths(*mean))),
        _ => None,
    };
    let different = match &result.summary {
        Summary::Scale { distribution, .. } => distribution.len(),
        Summary::Dates { dates } => dates.len(),
        _ => 0,
    };
    let grouped = (different > MAX_BARS).then(|| format!("{different} different answers, counted in ranges here; the CSV has each one."));
    let body = match &result.summary {
        Summary::Texts { texts } if texts.is_empty() => view! { <p class="note">"No answer yet."</p> }.into_any(),
        Summary::Texts { texts } => {
            let shown = if all_texts { texts.len() } else { texts.len().min(TEXTS_SHOWN) };
            let more = (shown < texts.len()).then(|| {
                let href = format!("?texts={}#{id}", question.id);
                view! { <p><a href=href>{format!("Show all {} answers to this question (the first {shown}, in alphabetical order, are above)", texts.len())}</a></p> }
            });
            view! {
                <ul class="answers-given">{texts[..shown].iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
                {more}
            }
            .into_any()
        }
        summary => {
            let bars = bars(&question, summary);
            view! { <Bars bars=bars id=id.clone()/> }.into_any()
        }
    };
    view! {
        <section class="question-result" aria-labelledby=id.clone()>
            <h3 id=id.clone()>{heading}</h3>
            <p class="note">{answered}{averages.map(|a| format!(" {a}"))}{grouped.map(|g| format!(" {g}"))}</p>
            {body}
        </section>
    }
}

/// The bars drawn, then the same figures as a table.
#[component]
fn Bars(bars: Vec<Bar>, id: String) -> impl IntoView {
    let height = ROW * bars.len() as f64;
    let chart_label = "Bar chart of the answers; the table after it gives the same figures.";
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=chart_label preserveAspectRatio="xMinYMin meet">
            {bars.iter().enumerate().map(|(i, bar)| {
                let y = ROW * i as f64;
                let width = (WIDTH - 110.0) * bar.percent / 100.0;
                view! {
                    <g>
                        <text x="0" y=y + 13.0 class="chart-label">{shortened(&bar.label)}</text>
                        <rect x="0" y=y + 18.0 width=format!("{width:.1}") height="14" class="chart-bar"></rect>
                        <text x=width + 6.0 y=y + 30.0 class="chart-value">{format!("{} ({} %)", bar.count, bar.percent)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <div class="table-scroll">
            <table class="chart-data" aria-describedby=id>
                <thead><tr><th scope="col">"Answer"</th><th scope="col">"Count"</th><th scope="col">"Share"</th></tr></thead>
                <tbody>
                    {bars.into_iter().map(|bar| view! { <tr><th scope="row">{bar.label}</th><td>{bar.count}</td><td>{format!("{} %", bar.percent)}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{Localized, OptionCount, Share};

    #[test]
    fn bars_carry_the_question_words_and_the_counts() {
        let q = Question::new(
            "overall",
            Localized::en("Overall"),
            QuestionKind::Rating { low_label: Localized::en("Very poor"), high_label: Localized::en("Excellent") },
        );
        let summary = Summary::Scale {
            distribution: (1..=5).map(|v| crate::evaluation::ValueCount { value: f64::from(v), count: v, percent: f64::from(v) * 10.0 }).collect(),
            mean: Some(3.0),
            median: Some(3.0),
        };
        let got = bars(&q, &summary);
        assert_eq!(got[0], Bar { label: "1 (Very poor)".into(), count: 1, percent: 10.0 });
        assert_eq!(got[2].label, "3");
        assert_eq!(got[4].label, "5 (Excellent)");
        let yes_no = bars(&q, &Summary::YesNo { yes: Share { count: 2, percent: 66.7 }, no: Share { count: 1, percent: 33.3 } });
        assert_eq!((yes_no[0].label.as_str(), yes_no[1].count), ("Yes", 1));
        let choice = Question::new(
            "c",
            Localized::en("C"),
            QuestionKind::SingleChoice { options: vec![crate::evaluation::Choice::new("a", Localized::en("Option A"))] },
        );
        let got = bars(&choice, &Summary::Choices { options: vec![OptionCount { option: "a".into(), count: 4, percent: 100.0 }] });
        assert_eq!(got, [Bar { label: "Option A".into(), count: 4, percent: 100.0 }]);
    }

    #[test]
    fn many_numbers_and_dates_are_counted_in_ranges() {
        // 0 to 1000, every value once: ranges of 100 (raw width 100).
        let values: Vec<(f64, u32)> = (0..=1000).map(|v| (f64::from(v), 1)).collect();
        let got = ranges(&values, true);
        assert_eq!(got.len(), 11, "{got:?}");
        assert_eq!((got[0].label.as_str(), got[0].count), ("0 to 99", 100));
        assert_eq!((got[10].label.as_str(), got[10].count), ("1000 to 1099", 1));
        assert_eq!(got.iter().map(|b| b.count).sum::<u32>(), 1001);
        // Decimals: 0.1 to 2.0 in tenths: ranges of 0.2, labelled without float noise.
        let values: Vec<(f64, u32)> = (1..=20).map(|v| (f64::from(v) / 10.0, 2)).collect();
        let got = ranges(&values, false);
        assert_eq!(got[0].label, "0.0 to under 0.2");
        assert_eq!(got[1].label, "0.2 to under 0.4");
        assert_eq!(got.iter().map(|b| b.count).sum::<u32>(), 40);
        assert!(got.len() <= MAX_BARS);
        // Negative values and a narrow spread of whole numbers.
        let got = ranges(&[(-15.0, 1), (-3.0, 2), (4.0, 1)], true);
        assert_eq!((got[0].label.as_str(), got.iter().map(|b| b.count).sum::<u32>()), ("-16 to -15", 4));
        // Through `bars`: a number question with 13 different answers is drawn in ranges,
        // one with 12 a bar per value; dates by month, then by year.
        let q = Question::new("n", Localized::en("N"), QuestionKind::Number { min: None, max: None, integer: true });
        let scale = |n: u32| Summary::Scale {
            distribution: (0..n).map(|v| crate::evaluation::ValueCount { value: f64::from(v), count: 1, percent: 0.0 }).collect(),
            mean: None,
            median: None,
        };
        assert_eq!(bars(&q, &scale(12)).len(), 12);
        assert_eq!(bars(&q, &scale(13)).iter().map(|b| b.label.as_str()).collect::<Vec<_>>()[..2], ["0 to 1", "2 to 3"]);
        let dates = |list: &[&str]| Summary::Dates { dates: list.iter().map(|d| crate::evaluation::DateCount { date: (*d).into(), count: 1 }).collect() };
        let days: Vec<String> = (1..=13).map(|d| format!("2020-0{}-{d:02}", 1 + d % 3)).collect();
        let mut days: Vec<&str> = days.iter().map(String::as_str).collect();
        days.sort();
        let by_month = bars(&q, &dates(&days));
        assert_eq!(by_month.iter().map(|b| (b.label.as_str(), b.count)).collect::<Vec<_>>(), [("2020-01", 4), ("2020-02", 5), ("2020-03", 4)]);
        let months: Vec<String> = (0..13).map(|m| format!("{}-{:02}-01", 2020 + m / 12, 1 + m % 12)).collect();
        let by_year = bars(&q, &dates(&months.iter().map(String::as_str).collect::<Vec<_>>()));
        assert_eq!(by_year.iter().map(|b| (b.label.as_str(), b.count)).collect::<Vec<_>>(), [("2020", 12), ("2021", 1)]);
    }

    #[test]
    fn long_labels_are_shortened_in_the_drawing_only() {
        let long = "x".repeat(80);
        assert_eq!(shortened(&long).chars().count(), LABEL_CHARS);
        assert!(shortened(&long).ends_with('…'));
        assert_eq!(shortened("short"), "short");
    }
}
