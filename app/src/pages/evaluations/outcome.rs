//! `/outcomes/{activity}`: one activity's outcome report (the seed's outcome evaluation,
//! "compliance of activities and outputs with the set priorities"). The Secretariat fills it
//! in as a plain form posting to the same address (works without JavaScript; the server
//! answers `?saved=<revision>`, with `&merged=1&both=<n>` when another save came between);
//! the Permanent Correspondents read it. One server function, `GET /_app/outcome`.

use super::report::sentence;
use super::EvaluationStyles;
use crate::evaluation::{
    is_web_address, outcome_field, Contribution, Delivery, Evidence, Expected, OutcomeReport, Tally, UnexpectedReport, MAX_LINK_CHARS, MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
};
use crate::model::Output;
use crate::pages::parts::textarea_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Blank rows the form offers for outputs delivered that were not expected.
const BLANK_UNEXPECTED_ROWS: usize = 2;

/// One activity's outcome report as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeView {
    pub activity: String,
    pub activity_name: String,
    /// The activity's page: `/actions/{id}` or `/permanent-activities#{id}`.
    pub activity_href: String,
    /// The revision shown; 0 before the first save.
    pub revision: u64,
    /// The latest revision (the one the form edits): more than `revision` when an earlier
    /// one is shown (`?revision=N`), read-only.
    pub latest: u64,
    /// "2026-12-03 by Anne Martin" (the date in UTC; the date alone once the account that
    /// saved it is gone, or for the demo's report), for a saved report.
    pub saved: Option<String>,
    /// A row for every expected output and priority.
    pub report: OutcomeReport,
    /// What each of `report.expected` is, in words: "Training", "Expected result 2: …".
    pub expected_words: Vec<String>,
    /// Each of `report.priorities`' name: "1. Good governance".
    pub priority_names: Vec<String>,
    /// What still needs saying before the report is finished.
    pub unfinished: Vec<String>,
    pub tally: Tally,
    /// Whether the session writes outcome reports (the Secretariat) and this is the latest
    /// revision.
    pub may_edit: bool,
}

/// What the server says of an activity that has no outcome report the session may read.
pub const NO_SUCH_OUTCOME: &str = "There is no such activity, or its outcome report is not yours to see.";

/// Activity `activity`'s outcome report (see [`super::EvaluationDesk::outcome`]).
#[server(prefix = "/_app", endpoint = "outcome", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_outcome(activity: String, revision: Option<u64>) -> Result<OutcomeView, ServerFnError> {
    let (desk, headers) = super::desk()?;
    Ok(desk.outcome(headers, activity, revision).await?)
}

#[component]
pub fn OutcomePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let activity = move || params.read().get("activity").unwrap_or_default();
    let outcome = Resource::new(
        move || (activity(), query.read().get("revision").and_then(|r| r.parse::<u64>().ok())),
        |(activity, revision)| get_outcome(activity, revision),
    );
    let notice = move || {
        let q = query.read();
        if q.get("error").as_deref() == Some("forbidden") {
            return Some(Notice { text: "Only the Secretariat writes outcome reports: nothing was saved.".to_owned(), theirs: None });
        }
        let revision = q.get("saved")?.parse::<u64>().ok()?;
        Some(match q.get("both") {
            Some(fields) => Notice {
                text: format!(
                    "Saved as revision {revision}. Someone else saved this report while you wrote: their changes are in it too, except where you both changed the same thing, where yours was kept: {fields}."
                ),
                theirs: revision.checked_sub(1),
            },
            None if q.get("merged").is_some() => Notice { text: format!("Saved as revision {revision}, together with the changes someone else saved while you wrote."), theirs: None },
            None => Notice { text: format!("Saved as revision {revision}."), theirs: None },
        })
    };
    view! {
        <EvaluationStyles/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the outcome report…"</p> }>
            {move || Suspend::new(async move {
                match outcome.await {
                    Err(e) => view! {
                        {(sentence(&e) == NO_SUCH_OUTCOME).then(crate::pages::not_found::set_not_found_status)}
                        <Title text="Outcome report"/>
                        <h1>"Outcome report"</h1>
                        <p class="note">{sentence(&e)}</p>
                        <p><a href="/compliance">"Compliance with the priorities"</a>" · "<a href=format!("/sign-in?next=/outcomes/{}", activity())>"Sign in"</a></p>
                    }.into_any(),
                    Ok(view_of) => view! { <Outcome outcome=view_of notice=notice()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the address says of the last save: its words and, when both saves changed a field,
/// the revision holding the other person's words.
struct Notice {
    text: String,
    theirs: Option<u64>,
}

#[component]
fn Outcome(outcome: OutcomeView, notice: Option<Notice>) -> impl IntoView {
    let title = format!("Outcome: {}", outcome.activity_name);
    let saved = match &outcome.saved {
        Some(saved) => format!("Revision {}, saved {saved}.", outcome.revision),
        None => "Nothing saved yet.".to_owned(),
    };
    let page = format!("/outcomes/{}", outcome.activity);
    let earlier = (outcome.revision < outcome.latest).then(|| {
        let text = format!("This is an earlier revision, read-only. The report as it stands is revision {}: ", outcome.latest);
        let current = page.clone();
        view! { <p class="notice" role="status">{text}<a href=current>"open it"</a>"."</p> }
    });
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><a href="/compliance">"Compliance with the priorities"</a>" · "<a href=outcome.activity_href.clone()>{outcome.activity_name.clone()}</a></p>
        <h1>{title}</h1>
        {notice.map(|n| {
            let theirs = n.theirs.map(|r| view! { " "<a href=format!("{page}?revision={r}")>{format!("Their words: revision {r}")}</a>"." });
            view! { <p id="saved" class="notice" role="status">{n.text}{theirs}</p> }
        })}
        {earlier}
        <p class="response-count">{outcome.tally.words()}". "{saved}</p>
        {(!outcome.unfinished.is_empty()).then(|| view! {
            <section class="unfinished" aria-labelledby="unfinished-h">
                <h2 id="unfinished-h">"Still to complete"</h2>
                <ul>{outcome.unfinished.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}</ul>
            </section>
        })}
        {if outcome.may_edit { view! { <OutcomeForm outcome=outcome/> }.into_any() } else { view! { <OutcomeRead outcome=outcome/> }.into_any() }}
    }
}

/// The report for the Secretariat to fill in: a plain form, posting every row.
#[component]
fn OutcomeForm(outcome: OutcomeView) -> impl IntoView {
    let OutcomeView { activity, report, expected_words, priority_names, revision, .. } = outcome;
    let blank = UnexpectedReport { output: Output::Other, name: String::new(), evidence: Evidence::default() };
    let unexpected: Vec<UnexpectedReport> = report.unexpected.iter().cloned().chain(std::iter::repeat_n(blank, BLANK_UNEXPECTED_ROWS)).collect();
    view! {
        <form class="outcome" method="post" action=format!("/outcomes/{activity}")>
            <input type="hidden" name="revision" value=revision.to_string()/>
            <h2>{expected_heading(&report)}</h2>
            {report.expected.iter().zip(expected_words).enumerate().map(|(i, (row, words))| {
                let name_label = if row.expected == Expected::Output(Output::Other) { "What the output is (needed)" } else { "Title of the output (optional)" };
                view! {
                    <fieldset class="question outcome-row">
                        <legend>{words}</legend>
                        <input type="hidden" name=outcome_field('e', i, "") value=row.expected.key()/>
                        <Choices name=outcome_field('e', i, "status") legend="Delivered?" chosen=row.status.map(Delivery::key)
                            options=Delivery::ALL.iter().map(|d| (d.key(), d.label())).collect()/>
                        <Texts kind='e' index=i name_label=name_label name=row.name.clone() evidence=row.evidence.clone()/>
                    </fieldset>
                }
            }).collect_view()}
            <h2>"Outputs delivered that were not expected"</h2>
            <p class="help">"Fill in a blank row to add one; empty a row's name, link and note to remove it. Save to get more blank rows."</p>
            {unexpected.into_iter().enumerate().map(|(j, row)| view! {
                <fieldset class="question outcome-row">
                    <legend>{format!("Output not expected {}", j + 1)}</legend>
                    <label for=outcome_field('u', j, "output")>"Kind of output"</label>
                    <select id=outcome_field('u', j, "output") name=outcome_field('u', j, "output")>
                        {Output::ALL.into_iter().map(|o| {
                            let selected = o == row.output;
                            view! { <option value=o.key() selected=selected>{o.label()}</option> }
                        }).collect_view()}
                    </select>
                    <Texts kind='u' index=j name_label="What the output is" name=row.name.clone() evidence=row.evidence.clone()/>
                </fieldset>
            }).collect_view()}
            <h2>"Contribution to the thematic priorities"</h2>
            {report.priorities.iter().zip(priority_names).enumerate().map(|(k, (judgement, name))| view! {
                <fieldset class="question outcome-row">
                    <legend>{name}</legend>
                    <input type="hidden" name=outcome_field('p', k, "") value=judgement.priority.clone()/>
                    <Choices name=outcome_field('p', k, "contribution") legend="Contribution" chosen=judgement.contribution.map(Contribution::key)
                        options=Contribution::ALL.iter().map(|c| (c.key(), c.label())).collect()/>
                    <label for=outcome_field('p', k, "note")>"Why (optional)"</label>
                    <textarea id=outcome_field('p', k, "note") name=outcome_field('p', k, "note") rows="3" maxlength=MAX_NOTE_CHARS>{textarea_text(judgement.note.clone())}</textarea>
                </fieldset>
            }).collect_view()}
            <p><button type="submit">"Save the outcome report"</button></p>
        </form>
    }
}

/// "Expected outputs" (an action's, from the matrix) or "Expected results" (a permanent
/// activity's, in the seed's words).
fn expected_heading(report: &OutcomeReport) -> &'static str {
    match report.expected.iter().any(|r| matches!(r.expected, Expected::Result(_))) {
        true => "Expected results",
        false => "Expected outputs",
    }
}

/// Radio buttons for one choice, with "Not said yet" first.
#[component]
fn Choices(name: String, legend: &'static str, chosen: Option<&'static str>, options: Vec<(&'static str, &'static str)>) -> impl IntoView {
    let none = [("", "Not said yet")];
    view! {
        <fieldset class="choices">
            <legend>{legend}</legend>
            {none.into_iter().chain(options).map(|(key, label)| {
                let id = format!("{name}-{}", if key.is_empty() { "none" } else { key });
                let (for_id, checked) = (id.clone(), chosen.unwrap_or("") == key);
                view! {
                    <label class="choice" for=for_id>
                        <input type="radio" id=id name=name.clone() value=key checked=checked/>
                        {label}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A row's name, link and note fields.
#[component]
fn Texts(kind: char, index: usize, name_label: &'static str, name: String, evidence: Evidence) -> impl IntoView {
    let field = move |part: &str| outcome_field(kind, index, part);
    view! {
        <label for=field("name")>{name_label}</label>
        <input type="text" id=field("name") name=field("name") value=name maxlength=MAX_NAME_CHARS/>
        <label for=field("link")>"Evidence: a web address (https://…)"</label>
        <input type="text" inputmode="url" id=field("link") name=field("link") value=evidence.link.unwrap_or_default() maxlength=MAX_LINK_CHARS/>
        <label for=field("note")>"Evidence: a note"</label>
        <textarea id=field("note") name=field("note") rows="3" maxlength=MAX_NOTE_CHARS>{textarea_text(evidence.note)}</textarea>
    }
}

/// The report as a Permanent Correspondent reads it.
#[component]
fn OutcomeRead(outcome: OutcomeView) -> impl IntoView {
    let OutcomeView { report, expected_words, priority_names, .. } = outcome;
    view! {
        <h2>{expected_heading(&report)}</h2>
        <ul class="outcome-read">
            {report.expected.into_iter().zip(expected_words).map(|(row, words)| view! {
                <li>
                    <strong>{words}</strong>{(!row.name.is_empty()).then(|| format!(" ({})", row.name))}": "
                    {row.status.map_or("not reported yet", Delivery::label)}
                    <Proof evidence=row.evidence/>
                </li>
            }).collect_view()}
        </ul>
        <h2>"Outputs delivered that were not expected"</h2>
        {if report.unexpected.is_empty() { view! { <p>"None reported."</p> }.into_any() } else { view! {
            <ul class="outcome-read">
                {report.unexpected.into_iter().map(|row| view! {
                    <li><strong>{row.output.label()}</strong>{format!(": {}", row.name)}<Proof evidence=row.evidence/></li>
                }).collect_view()}
            </ul>
        }.into_any() }}
        <h2>"Contribution to the thematic priorities"</h2>
        <ul class="outcome-read">
            {report.priorities.into_iter().zip(priority_names).map(|(p, name)| view! {
                <li><strong>{name}</strong>": "{p.contribution.map_or("not judged yet", Contribution::label)}
                    {(!p.note.is_empty()).then(|| view! { <span class="proof">{p.note}</span> })}</li>
            }).collect_view()}
        </ul>
    }
}

/// Evidence as text; the link a link only when it is a web address.
#[component]
fn Proof(evidence: Evidence) -> impl IntoView {
    let link = evidence.link.map(|l| match is_web_address(&l) {
        true => {
            let href = l.clone();
            view! { <a href=href rel="noopener noreferrer">{l}</a> }.into_any()
        }
        false => view! { <span>{l}</span> }.into_any(),
    });
    view! {
        {link.map(|l| view! { <span class="proof">{l}</span> })}
        {(!evidence.note.is_empty()).then(|| view! { <span class="proof">{evidence.note}</span> })}
    }
}
