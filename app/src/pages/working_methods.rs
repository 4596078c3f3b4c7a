//! Working methods: focusing on priorities, synergies, work formats, criteria for new
//! activities, expected results, terms of reference and evaluation.

use super::parts::ListingView;
use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::Programme;
use leptos::prelude::*;
use leptos_meta::Title;
use std::sync::Arc;

#[component]
pub fn WorkingMethodsPage() -> impl IntoView {
    view! { <WithProgramme render=ProgrammeView::new(working_methods)/> }
}

fn working_methods(p: Arc<Programme>) -> impl IntoView {
    let wm = p.working_methods.clone();
    view! {
        <Title text="Working methods"/>
        <h1>"Working methods"</h1>
        <section id="focusing-on-priorities">
            <h2>"Focusing on priorities"</h2>
            {wm.focusing_on_priorities.into_iter().map(|t| view! { <p>{t}</p> }).collect_view()}
        </section>
        <section id="synergies">
            <h2>"Synergies and efficiency"</h2>
            <ListingView listing=wm.synergies/>
        </section>
        <section id="work-formats">
            <h2>"Work formats"</h2>
            <p>{wm.work_formats_lead}</p>
            <dl class="formats">
                {wm.work_formats
                    .into_iter()
                    .map(|f| view! { <dt>{f.name}</dt><dd>{"→ "}{f.produces}</dd> })
                    .collect_view()}
            </dl>
        </section>
        <section id="criteria">
            <h2>"New activities"</h2>
            <p>{wm.new_activities}</p>
            <ul>{wm.criteria.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
        </section>
        <section id="expected-results">
            <h2>"Expected results"</h2>
            <p>{wm.expected_results}</p>
        </section>
        <section id="terms-of-reference">
            <h2>"Terms of reference"</h2>
            <p>{wm.terms_of_reference.text}</p>
            <ol class="roman">
                {wm.terms_of_reference.considerations.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
            </ol>
        </section>
        <section id="evaluation">
            <h2>"Evaluation"</h2>
            <p>{wm.evaluation.lead}</p>
            <h3>"Process evaluation"</h3>
            <ul>
                {wm.evaluation
                    .process
                    .into_iter()
                    .map(|f| view! { <li id=f.id.clone()>{f.full_name()}</li> })
                    .collect_view()}
            </ul>
            <p>{wm.evaluation.outcome_lead}</p>
            <h3>"Outcome evaluation"</h3>
            <ul>{wm.evaluation.outcome.into_iter().map(|f| view! { <li id=f.id.clone()>{f.full_name()}</li> }).collect_view()}</ul>
        </section>
    }
}
