//! One action: its place in the programme, format, expected outputs, sub-actions, and what
//! its terms of reference and evaluation must cover.

use super::comments::{OpenCommentCounts, OpenComments, TorLink};
use super::not_found::NotFound;
use super::parts::{ActionSummary, FormatBadge, OutputList};
use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::Programme;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

#[component]
pub fn ActionPage() -> impl IntoView {
    OpenCommentCounts::provide();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! { <WithProgramme render=ProgrammeView::new(move |p: Arc<Programme>| move || action(&p, &id()))/> }
}

fn action(p: &Programme, id: &str) -> impl IntoView + use<> {
    let Some(action) = p.action(id).cloned() else {
        return Either::Right(view! { <NotFound what="There is no action with this id."/> });
    };
    let priority = p.priority(&action.priority).cloned();
    let parent = action.parent.as_deref().and_then(|id| p.action(id)).cloned();
    let children: Vec<_> = p.children(&action.id).cloned().collect();
    let runs_under = action.format.permanent_activity().and_then(|id| p.permanent_activity(id)).cloned();
    let tor = p.working_methods.terms_of_reference.clone();
    let evaluation = p.working_methods.evaluation.clone();
    let level = if action.level == 1 { "Action" } else { "Sub-action" };
    Either::Left(view! {
        <Title text=action.title.clone()/>
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/">"Overview"</a>
            {priority.clone().map(|pr| view! { " › "<a href=format!("/priorities/{}", pr.id)>{pr.title}</a> })}
            {parent.clone().map(|pa| view! { " › "<a href=format!("/actions/{}", pa.id)>{pa.title}</a> })}
        </nav>
        <p class="kicker">{level}</p>
        <h1>{action.title.clone()}</h1>
        <dl class="facts">
            <dt>"Thematic priority"</dt>
            <dd>{priority.map(|pr| view! { <a href=format!("/priorities/{}", pr.id)>{pr.title}</a> })}</dd>
            {parent.map(|pa| view! {
                <dt>"Part of"</dt>
                <dd><a href=format!("/actions/{}", pa.id)>{pa.title}</a></dd>
            })}
            <dt>"Activity format"</dt>
            <dd>
                <FormatBadge format=action.format/>
                {runs_under.map(|pa| view! { " — run by the permanent activity " <a href=format!("/permanent-activities#{}", pa.id)>{pa.name}</a> })}
                " · "<a href=format!("/matrix?format={}", action.format.key())>"other actions in this format"</a>
            </dd>
            <dt>"Expected outputs"</dt>
            <dd><OutputList outputs=action.outputs.clone()/></dd>
        </dl>
        {(!children.is_empty()).then(|| view! {
            <section aria-labelledby="sub-actions">
                <h2 id="sub-actions">"Sub-actions"</h2>
                <ul class="action-tree">
                    {children.into_iter().map(|c| view! { <li><ActionSummary action=c/></li> }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="tor">
            <h2 id="tor">"Terms of reference"</h2>
            <p>
                <TorLink subject=action.id.clone() label="Open the terms of reference" of=String::new() class="button"/>
                " "<OpenComments subject=action.id.clone()/>
            </p>
            <p>"The terms of reference of this action must take into account:"</p>
            <ol class="roman">{tor.considerations.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ol>
        </section>
        <section aria-labelledby="evaluation">
            <h2 id="evaluation">"Evaluation"</h2>
            <p>"Process evaluation:"</p>
            <ul>{evaluation.process.into_iter().map(|f| view! { <li>{f.full_name()}</li> }).collect_view()}</ul>
            <p>"Outcome evaluation:"</p>
            <ul>{evaluation.outcome.into_iter().map(|f| view! { <li>{f.full_name()}</li> }).collect_view()}</ul>
            <h3>"Evaluations of this action"</h3>
            <super::evaluations::ActivityEvaluations activity=action.id.clone()/>
        </section>
    })
}
