//! `/evaluations/{id}`: one evaluation's results, per question (chart and table, `chart.rs`),
//! the response count (late answers said), the CSV download and, for a questionnaire, the
//! participants' link with its QR code to put on a slide. One server function,
//! `GET /_app/evaluation`. While the evaluation is open the count and the figures follow new
//! answers by themselves (`public/live-results.js` reloads them; an open anonymous
//! questionnaire's figures move 3 answers at a time, and the page says so).

use super::chart::QuestionChart;
use super::EvaluationReport;
use super::EvaluationStyles;
use super::Status;
use crate::evaluation::{LIVE_BATCH, MIN_ANONYMOUS_RESPONSES};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Evaluation `id`'s results (see [`super::EvaluationDesk::evaluation`]).
#[server(prefix = "/_app", endpoint = "evaluation", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_evaluation(id: String) -> Result<EvaluationReport, ServerFnError> {
    let (desk, headers) = super::desk()?;
    Ok(desk.evaluation(headers, id).await?)
}

/// A server function's error as the sentence the server wrote, its first letter a capital
/// (the server's refusals are written to follow "refused: " in the JSON API).
pub(super) fn sentence(error: &ServerFnError) -> String {
    let text = match error {
        ServerFnError::ServerError(text) => text.clone(),
        other => other.to_string(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let params = use_params_map();
    let report = Resource::new(move || params.read().get("id").unwrap_or_default(), get_evaluation);
    view! {
        <EvaluationStyles/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the results…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! {
                        {(sentence(&e) == super::NO_SUCH_EVALUATION).then(crate::pages::not_found::set_not_found_status)}
                        <Title text="Evaluation"/>
                        <h1>"Evaluation"</h1>
                        <p class="note">{sentence(&e)}</p>
                        <p><a href="/evaluations">"All evaluations"</a>" · "<a href="/sign-in?next=/evaluations">"Sign in"</a></p>
                    }.into_any(),
                    Ok(report) => view! { <Report report=report/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(report: EvaluationReport) -> impl IntoView {
    let item = report.item.clone();
    let late = match report.late {
        0 => String::new(),
        1 => " 1 of them arrived after the closing date: it is kept and counted, marked late.".to_owned(),
        n => format!(" {n} of them arrived after the closing date: they are kept and counted, marked late."),
    };
    let responses = super::answers(item.responses);
    let batches = (report.waiting > 0 || report.figures_from != item.responses).then(|| {
        let waiting = match report.waiting {
            0 => String::new(),
            1 => " 1 answer received waits for the next ones (or the closing date).".to_owned(),
            n => format!(" {n} answers received wait for the next ones (or the closing date)."),
        };
        format!(
            "The figures count {} of them: while an anonymous questionnaire is open its figures move {LIVE_BATCH} answers at a time, so that the order of arrival tells nobody who answered what.{waiting}",
            report.figures_from
        )
    });
    let questions = report.form.questions.clone();
    // `?texts=<question id>`: that question's free texts all listed (the others show their
    // first ones, see `chart::TEXTS_SHOWN`).
    let all_texts = use_query_map().read_untracked().get("texts");
    let live = (item.status == Status::Open).then(|| {
        let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
        view! {
            <p class="note live-note" data-live-note="" data-live-events=format!("/evaluations/{}/live", item.id) role="status" hidden></p>
            <script src="/live-results.js" defer nonce=nonce></script>
        }
    });
    view! {
        <Title text=item.title.clone()/>
        <p class="breadcrumb"><a href="/evaluations">"Evaluations"</a></p>
        <h1>{item.title.clone()}</h1>
        <dl class="evaluation-facts">
            <dt>"Activity"</dt><dd>{item.activity_name.clone()}</dd>
            <dt>"Format"</dt><dd>{item.format_name.clone()}</dd>
            <dt>"Dates"</dt><dd>{format!("{} to {} ({})", item.opens, item.closes, item.status.words())}</dd>
            <dt>"Form"</dt><dd>{format!("version {}", report.version)}{report.may_edit_questions.then(|| view! {
                " · "<a href=format!("/evaluations/{}/questions", item.id)>"Adjust the questions"</a>
            })}</dd>
        </dl>
        {live}
        <div data-live-results="">
        <p class="response-count">{format!("{responses} counted (each respondent once, by their latest submission).{late}")}</p>
        {batches.map(|text| view! { <p class="note batches">{text}</p> })}
        {report.rate.clone().map(|rate| view! { <p class="response-rate">{rate}</p> })}
        {report.may_answer.then(|| view! { <p><a class="button" href=format!("/evaluations/{}/answer", item.id)>"Answer this evaluation"</a></p> })}
        {report.link.clone().map(|link| view! { <Link link=link id=item.id.clone()/> })}
        {report.may_export.then(|| view! {
            <p><a class="button" href=format!("/api/v1/evaluations/{}/answers.csv", item.id) download="">"Download the answers (CSV)"</a></p>
        })}
        <h2>"Results"</h2>
        {match report.results {
            None => view! {
                <p class="note">{format!("The results of an anonymous questionnaire are shown from {MIN_ANONYMOUS_RESPONSES} answers, so that nobody's answers can be picked out.")}</p>
            }.into_any(),
            Some(results) => results.questions.into_iter().enumerate().filter_map(|(i, result)| {
                let question = questions.iter().find(|q| q.id == result.question)?.clone();
                let all = all_texts.as_deref() == Some(question.id.as_str());
                Some(view! { <QuestionChart question=question result=result number=i + 1 all_texts=all/> })
            }).collect_view().into_any(),
        }}
        </div>
    }
}

/// The participants' link, to copy or to show as a QR code on a slide.
#[component]
fn Link(link: String, id: String) -> impl IntoView {
    let href = link.clone();
    view! {
        <section class="participants-link" aria-labelledby="link-h">
            <h2 id="link-h">"Participants' link"</h2>
            <p>"Participants answer without an account, anonymously, through this link; each browser answers once (answering again replaces its answer)."</p>
            <p><a href=href class="link-text">{link}</a></p>
            <img class="qr" src=format!("/api/v1/evaluations/{id}/link.svg") width="240" height="240" alt="QR code of the participants' link, to show on a slide"/>
        </section>
    }
}
