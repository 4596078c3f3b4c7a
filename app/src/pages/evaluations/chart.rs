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
        Summary::Scale { distribution, .. } => {
            distribution.iter().map(|v| Bar { label: scale_label(question, v.value), count: v.count, percent: v.percent }).collect()
        }
        Summary::Dates { dates } => {
            let total: u32 = dates.iter().map(|d| d.count).sum();
            dates.iter().map(|d| Bar { label: d.date.clone(), count: d.count, percent: crate::evaluation::percent(d.count, total) }).collect()
        }
        Summary::Texts { .. } => vec![],
    }
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

/// `question`'s results: the chart and its table, or the texts given.
#[component]
pub fn QuestionChart(question: Question, result: QuestionResult, number: usize) -> impl IntoView {
    let heading = format!("{number}. {}", question.label.en);
    let id = format!("result-{}", question.id);
    let answered = super::answers(result.answered) + ".";
    let averages = match &result.summary {
        Summary::Scale { mean: Some(mean), median: Some(median), .. } => Some(format!("Mean {:.1}, median {median}.", crate::evaluation::tenths(*mean))),
        _ => None,
    };
    let body = match &result.summary {
        Summary::Texts { texts } if texts.is_empty() => view! { <p class="note">"No answer yet."</p> }.into_any(),
        Summary::Texts { texts } => view! { <ul class="answers-given">{texts.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul> }.into_any(),
        summary => {
            let bars = bars(&question, summary);
            view! { <Bars bars=bars id=id.clone()/> }.into_any()
        }
    };
    view! {
        <section class="question-result" aria-labelledby=id.clone()>
            <h3 id=id.clone()>{heading}</h3>
            <p class="note">{answered}{averages.map(|a| format!(" {a}"))}</p>
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
    fn long_labels_are_shortened_in_the_drawing_only() {
        let long = "x".repeat(80);
        assert_eq!(shortened(&long).chars().count(), LABEL_CHARS);
        assert!(shortened(&long).ends_with('…'));
        assert_eq!(shortened("short"), "short");
    }
}
