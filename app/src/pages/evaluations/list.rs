//! `/evaluations`: every evaluation the session may read, filtered by format, thematic
//! priority and whether it is open (a plain GET form: the filters are in the address, so a
//! filtered list can be shared and works without JavaScript), and for the Secretariat the form
//! that creates one (`POST /evaluations/new`, answered with a redirect to the new evaluation,
//! or back here with `?error=<OccasionProblem code>`). One server function,
//! `GET /_app/evaluations`.

use super::EvaluationStyles;
use super::{EvaluationItem, EvaluationList, Status};
use crate::evaluation::{Format, OccasionProblem};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The evaluations the session may read (see [`super::EvaluationDesk::evaluations`]).
#[server(prefix = "/_app", endpoint = "evaluations", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_evaluations() -> Result<EvaluationList, ServerFnError> {
    let (desk, headers) = super::desk()?;
    Ok(desk.evaluations(headers).await?)
}

/// The filters as the address gives them: format key, priority id, open only.
#[derive(Clone, Default, PartialEq)]
struct Filters {
    format: String,
    priority: String,
    open: bool,
}

impl Filters {
    fn keeps(&self, item: &EvaluationItem) -> bool {
        (self.format.is_empty() || item.format == self.format)
            && (self.priority.is_empty() || item.priority.as_deref() == Some(self.priority.as_str()))
            && (!self.open || item.status == Status::Open)
    }
}

#[component]
pub fn EvaluationsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        Filters { format: q.get("format").unwrap_or_default(), priority: q.get("priority").unwrap_or_default(), open: q.get("open").is_some() }
    };
    // A refused creation comes back with its code and what was typed (`POST /evaluations/new`).
    let refused = move || {
        let q = query.read();
        q.get("error").map(|code| {
            let message = match code.as_str() {
                "forbidden" => "Only the Secretariat creates evaluations.".to_owned(),
                code => OccasionProblem::from_code(code).map_or_else(|| "That did not work. Try again.".to_owned(), |p| p.to_string()),
            };
            let typed = |name: &str| q.get(name).unwrap_or_default();
            Typed {
                message,
                title: typed("title"),
                id: typed("id"),
                activity: typed("activity"),
                format: typed("format"),
                opens: typed("opens"),
                closes: typed("closes"),
            }
        })
    };
    let list = Resource::new(|| (), |_| get_evaluations());
    view! {
        <EvaluationStyles/>
        <Title text="Evaluations"/>
        <h1>"Evaluations"</h1>
        <p>"Every activity is assessed with the programme's evaluation formats: participants' questionnaires, the Secretariat's internal evaluations, the Permanent Correspondents' mid-term evaluation, and the outcome evaluation against the priorities (" <a href="/compliance">"compliance with the priorities"</a>")."</p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the evaluations…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! {
                        <p class="note">{super::report::sentence(&e)}" "<a href="/sign-in?next=/evaluations">"Sign in"</a></p>
                    }.into_any(),
                    Ok(list) => {
                        let (filters, refused) = (filters(), refused());
                        view! { <Listing list=list filters=filters refused=refused/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// What a refused creation form held, and why it was refused.
#[derive(Clone, Default, PartialEq)]
struct Typed {
    message: String,
    title: String,
    id: String,
    activity: String,
    format: String,
    opens: String,
    closes: String,
}

#[component]
fn Listing(list: EvaluationList, filters: Filters, refused: Option<Typed>) -> impl IntoView {
    let shown: Vec<EvaluationItem> = list.items.iter().filter(|item| filters.keeps(item)).cloned().collect();
    let summary = match (shown.len(), list.items.len()) {
        (0, 0) => "No evaluation yet.".to_owned(),
        (1, 1) => "1 evaluation.".to_owned(),
        (n, total) if n == total => format!("{total} evaluations."),
        (n, total) => format!("{n} of {total} evaluations match."),
    };
    view! {
        <form class="filters" method="get" action="/evaluations" aria-label="Filter the evaluations">
            <label for="filter-format">"Format"</label>
                <select id="filter-format" name="format">
                    <option value="" selected=filters.format.is_empty()>"Any"</option>
                    {Format::ALL.into_iter().map(|f| view! { <option value=f.key() selected=filters.format == f.key()>{f.label()}</option> }).collect_view()}
                </select>
            <label for="filter-priority">"Priority"</label>
                <select id="filter-priority" name="priority">
                    <option value="" selected=filters.priority.is_empty()>"Any"</option>
                    {list.priorities.iter().map(|(id, name)| view! { <option value=id.clone() selected=filters.priority == *id>{name.clone()}</option> }).collect_view()}
                </select>
            <label><input type="checkbox" name="open" value="1" checked=filters.open/>" Open now"</label>
            <button type="submit">"Filter"</button>
        </form>
        <p class="evaluation-count" role="status">{summary}</p>
        {(!shown.is_empty()).then(|| view! {
            <ul class="evaluation-list">
                {shown.into_iter().map(|item| {
                    let answers = super::answers(item.responses);
                    view! {
                        <li>
                            <a href=format!("/evaluations/{}", item.id)>{item.title}</a>
                            <span class="evaluation-meta">{format!("{} · {} · {} to {} ({}) · {answers}", item.activity_name, item.format_name, item.opens, item.closes, item.status.words())}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {list.may_create.then(|| view! { <CreateForm activities=list.activities typed=refused.unwrap_or_default()/> })}
        {(!list.templates.is_empty()).then(|| view! {
            <h2 id="templates">"Templates"</h2>
            <p>"A new evaluation starts from its format's template; its questions can then be adjusted on their own."</p>
            <ul>
                {list.templates.into_iter().map(|(key, name, version)| view! {
                    <li><a href=format!("/templates/{key}")>{name}</a>{format!(" (version {version})")}</li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// The Secretariat's form for a new evaluation (the formats answered as forms).
#[component]
fn CreateForm(activities: Vec<(String, String)>, typed: Typed) -> impl IntoView {
    let formats = [Format::PostActivityQuestionnaire, Format::IndividualInternal, Format::MidTerm];
    let Typed { message, title, id, activity, format, opens, closes } = typed;
    view! {
        <h2 id="new-evaluation">"New evaluation"</h2>
        {(!message.is_empty()).then(|| view! { <p class="error" role="alert">{message}</p> })}
        <form class="new-evaluation" method="post" action="/evaluations/new" aria-labelledby="new-evaluation">
            <label for="ev-title">"Title"</label>
            <input id="ev-title" type="text" name="title" required maxlength="200" placeholder="Executive Training 2020" value=title/>
            <label for="ev-id">"Id, in the address (lowercase letters, digits, hyphens)"</label>
            <input id="ev-id" type="text" name="id" required maxlength="64" pattern="[a-z0-9]+(-[a-z0-9]+)*" placeholder="executive-training-2020" value=id/>
            <label for="ev-activity">"Activity"</label>
            <select id="ev-activity" name="activity" required>
                {activities.into_iter().map(|(id, name)| {
                    let selected = id == activity;
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <label for="ev-format">"Format"</label>
            <select id="ev-format" name="format">
                {formats.into_iter().map(|f| view! { <option value=f.key() selected=format == f.key()>{f.label()}</option> }).collect_view()}
            </select>
            <label for="ev-opens">"Opens (yyyy-mm-dd)"</label>
            <input id="ev-opens" type="date" name="opens" required value=opens/>
            <label for="ev-closes">"Closes (yyyy-mm-dd)"</label>
            <input id="ev-closes" type="date" name="closes" required value=closes/>
            <button type="submit">"Create the evaluation"</button>
        </form>
        <p class="note">"The form starts from the format's template. The collective internal evaluation and the outcome evaluation are written as documents and come later."</p>
    }
}
