//! The matrix: actions × the eight expected outputs, grouped by priority, with the activity
//! format. The filter lives in the URL (`?format=…&output=…`) so a view can be shared; the form
//! works without JavaScript. Up to 1024 px wide the stylesheet turns each row into a card.

use super::comments::{OpenCommentCounts, OpenComments, TorLink};
use super::parts::FormatBadge;
use super::query_notice::{rendered_query, QueryNotice};
use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::filter::ActionFilter;
use crate::model::{Action, ActivityFormat, Output, Programme};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

#[component]
pub fn MatrixPage() -> impl IntoView {
    OpenCommentCounts::provide();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        ActionFilter::from_query(q.get("format").as_deref(), q.get("output").as_deref())
    };
    view! {
        <Title text="Matrix"/>
        <h1>"Actions and expected outputs"</h1>
        <p>"Each action of the work programme, the format it is implemented in and the outputs expected from it."</p>
        <QueryNotice rendered=rendered_query() message="You are offline, and this filter was not kept on this device: the matrix shows every action. Filtering works again once you are back online.".to_owned()/>
        <WithProgramme render=ProgrammeView::new(move |p: Arc<Programme>| move || {
            let (filter, unknown) = filter();
            view! {
                <FilterForm filter=filter/>
                {unknown
                    .into_iter()
                    .map(|u| view! { <p class="notice" role="alert">{format!("Unknown {} “{}”: it was ignored.", u.parameter, u.value)}</p> })
                    .collect_view()}
                <Matrix programme=p.clone() filter=filter/>
            }
        })/>
    }
}

#[component]
fn FilterForm(filter: ActionFilter) -> impl IntoView {
    let formats = ActivityFormat::ALL.map(|f| (f.key(), f.label()));
    let outputs = Output::ALL.map(|o| (o.key(), o.label()));
    view! {
        <Form method="GET" action="/matrix" attr:class="filters" attr:aria-label="Filter the matrix">
            <Choice label="Format" name="format" any="Any format" options=formats.to_vec() selected=filter.format.map(|f| f.key())/>
            <Choice label="Output" name="output" any="Any output" options=outputs.to_vec() selected=filter.output.map(|o| o.key())/>
            <button type="submit">"Filter"</button>
            {(!filter.is_empty()).then(|| view! { <a href="/matrix">"Show all"</a> })}
        </Form>
    }
}

/// A labelled `<select>` with an "any" choice first; option values are URL keys.
#[component]
fn Choice(
    label: &'static str,
    name: &'static str,
    any: &'static str,
    options: Vec<(&'static str, &'static str)>,
    selected: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label>
            {label}" "
            <select name=name>
                <option value="" selected=selected.is_none()>{any}</option>
                {options
                    .into_iter()
                    .map(|(key, text)| view! { <option value=key selected=selected == Some(key)>{text}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
fn Matrix(programme: Arc<Programme>, filter: ActionFilter) -> impl IntoView {
    let total = programme.actions().count();
    let shown = programme.actions().filter(|a| filter.matches(a)).count();
    let groups: Vec<_> = programme
        .priorities
        .iter()
        .map(|p| (p.title.clone(), p.actions.iter().filter(|a| filter.matches(a)).cloned().collect::<Vec<_>>()))
        .filter(|(_, actions)| !actions.is_empty())
        .collect();
    view! {
        <p class="count" role="status">{format!("Showing {shown} of {total} actions.")}</p>
        <table class="matrix">
            <caption class="visually-hidden">"Actions by thematic priority, with activity format and expected outputs"</caption>
            <thead>
                <tr>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Format"</th>
                    {Output::ALL.into_iter().map(|o| view! { <th scope="col" class="output-col">{o.label()}</th> }).collect_view()}
                </tr>
            </thead>
            {groups
                .into_iter()
                .map(|(title, actions)| view! {
                    <tbody>
                        <tr class="priority-row"><th scope="colgroup" colspan="10">{title}</th></tr>
                        {actions.into_iter().map(|a| view! { <MatrixRow action=a/> }).collect_view()}
                    </tbody>
                })
                .collect_view()}
        </table>
    }
}

#[component]
fn MatrixRow(action: Action) -> impl IntoView {
    let class = if action.level == 2 { "action sub-action" } else { "action" };
    view! {
        <tr class=class>
            <th scope="row">
                <a href=format!("/actions/{}", action.id)>{action.title.clone()}</a>
                " "<TorLink subject=action.id.clone() label="ToR" of=format!(" of {}", action.title) class="tor-link"/>
                " "<OpenComments subject=action.id.clone()/>
            </th>
            <td class="format-cell"><FormatBadge format=action.format/></td>
            {Output::ALL
                .into_iter()
                .map(|o| {
                    if action.has_output(o) {
                        view! {
                            <td class="mark yes" data-label=o.label()>
                                <span aria-hidden="true">"●"</span>
                                <span class="visually-hidden">{o.label()}</span>
                            </td>
                        }
                        .into_any()
                    } else {
                        view! { <td class="mark no"></td> }.into_any()
                    }
                })
                .collect_view()}
        </tr>
    }
}
