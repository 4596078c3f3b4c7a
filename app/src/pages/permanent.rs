//! The seven permanent activities with their aims and expected results.

use super::comments::{OpenCommentCounts, TorLink};
use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::Programme;
use leptos::prelude::*;
use leptos_meta::Title;
use std::sync::Arc;

#[component]
pub fn PermanentActivitiesPage() -> impl IntoView {
    OpenCommentCounts::provide();
    super::evaluations::SharedEvaluations::provide();
    view! { <WithProgramme render=ProgrammeView::new(permanent_activities)/> }
}

fn permanent_activities(p: Arc<Programme>) -> impl IntoView {
    view! {
        <Title text="Permanent activities"/>
        <h1>"Permanent activities"</h1>
        <p>{p.permanent_activities_intro.clone()}</p>
        <nav aria-label="Permanent activities">
            <ul class="link-list">
                {p.permanent_activities
                    .iter()
                    .map(|a| view! { <li><a href=format!("#{}", a.id)>{a.name.clone()}</a></li> })
                    .collect_view()}
            </ul>
        </nav>
        {p.permanent_activities
            .iter()
            .cloned()
            .map(|a| view! {
                <section id=a.id.clone() class="activity" aria-labelledby=format!("{}-h", a.id)>
                    <h2 id=format!("{}-h", a.id)>{a.name.clone()}</h2>
                    <h3>"Aims"</h3>
                    <p>{a.aims}</p>
                    <h3>"Expected results"</h3>
                    {a.expected_results_lead.map(|lead| view! { <p>{lead}</p> })}
                    <ul>{a.expected_results.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                    <p><TorLink subject=a.id.clone() label="Terms of reference" of=format!(" of {}", a.name) class=""/></p>
                    <h3>"Evaluations"</h3>
                    <super::evaluations::ActivityEvaluations activity=a.id.clone()/>
                </section>
            })
            .collect_view()}
    }
}
