//! The overview: the programme at a glance, with counts and links to everything else.

use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::{ActivityFormat, Output, Programme};
use leptos::prelude::*;
use leptos_meta::Title;
use std::sync::Arc;

#[component]
pub fn OverviewPage() -> impl IntoView {
    super::evaluations::SharedEvaluations::provide();
    view! { <WithProgramme render=ProgrammeView::new(overview)/> }
}

fn overview(p: Arc<Programme>) -> impl IntoView {
    let actions = p.actions().count();
    let sub_actions = p.actions().filter(|a| a.level == 2).count();
    let evaluation_formats = p.working_methods.evaluation.process.len() + p.working_methods.evaluation.outcome.len();
    let counts = [
        (p.priorities.len(), "thematic priorities", "#priorities"),
        (actions, "actions", "/matrix"),
        (p.permanent_activities.len(), "permanent activities", "/permanent-activities"),
        (ActivityFormat::ALL.len(), "activity formats", "/matrix"),
        (Output::ALL.len(), "kinds of expected output", "/matrix"),
        (evaluation_formats, "evaluation formats", "/working-methods#evaluation"),
    ];
    view! {
        <Title text="Overview"/>
        <section class="hero">
            <p class="reference">{p.reference.clone()}" · "{p.date.clone()}</p>
            <h1>{p.title.clone()}</h1>
            <p class="motto">{p.motto.clone()}</p>
            <p>{p.adopted.clone()}</p>
        </section>
        <section aria-labelledby="at-a-glance">
            <h2 id="at-a-glance">"At a glance"</h2>
            <ul class="counts">
                {counts
                    .into_iter()
                    .map(|(n, what, href)| view! { <li><a href=href><strong>{n}</strong>" "{what}</a></li> })
                    .collect_view()}
            </ul>
            <p>{format!("{actions} actions: {} top-level actions and {sub_actions} sub-actions.", actions - sub_actions)}</p>
        </section>
        <section id="priorities" aria-labelledby="priorities-heading">
            <h2 id="priorities-heading">"Thematic priorities"</h2>
            <p>{p.priorities_intro.clone()}</p>
            <ol class="cards">
                {p.priorities
                    .iter()
                    .map(|priority| {
                        let top = priority.actions.iter().filter(|a| a.level == 1).count();
                        view! {
                            <li class="card">
                                <h3><a href=format!("/priorities/{}", priority.id)>{priority.title.clone()}</a></h3>
                                <p>{format!("{} actions ({top} top-level)", priority.actions.len())}</p>
                                <super::evaluations::PriorityEvaluated priority=priority.id.clone() actions=priority.actions.len()/>
                                <ul>
                                    {priority
                                        .actions
                                        .iter()
                                        .filter(|a| a.level == 1)
                                        .map(|a| view! { <li><a href=format!("/actions/{}", a.id)>{a.title.clone()}</a></li> })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        <section aria-labelledby="more">
            <h2 id="more">"Read further"</h2>
            <ul class="link-list">
                <li><a href="/matrix">"Actions × expected outputs matrix"</a></li>
                <li><a href="/permanent-activities">"Permanent activities, their aims and expected results"</a></li>
                <li><a href="/working-methods">"Working methods: formats, criteria for new activities, terms of reference, evaluation"</a></li>
                <li><a href="/about">"Introduction, principles, added value, expected outcomes and products"</a></li>
            </ul>
        </section>
    }
}
