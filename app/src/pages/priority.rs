//! A thematic priority: its sub-items and its actions.

use super::not_found::NotFound;
use super::parts::ActionSummary;
use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::Programme;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

#[component]
pub fn PriorityPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! { <WithProgramme render=ProgrammeView::new(move |p: Arc<Programme>| move || priority(&p, &id()))/> }
}

fn priority(p: &Programme, id: &str) -> impl IntoView + use<> {
    let Some(priority) = p.priority(id).cloned() else {
        return Either::Right(view! { <NotFound what="There is no thematic priority with this id."/> });
    };
    let top_level: Vec<_> = priority.actions.iter().filter(|a| a.level == 1).cloned().collect();
    let action_count = priority.actions.len();
    let all_actions = priority.actions.clone();
    let children = move |parent: &str| -> Vec<_> { all_actions.iter().filter(|a| a.parent.as_deref() == Some(parent)).cloned().collect() };
    Either::Left(view! {
        <Title text=priority.title.clone()/>
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/">"Overview"</a>" › "<span aria-current="page">{priority.title.clone()}</span>
        </nav>
        <p class="kicker">{format!("Thematic priority {}", priority.number)}</p>
        <h1>{priority.title.clone()}</h1>
        <section aria-labelledby="items">
            <h2 id="items">"What it covers"</h2>
            <ul class="items">
                {priority
                    .items
                    .iter()
                    .map(|item| view! {
                        <li>
                            {item.text.clone()}
                            {(!item.items.is_empty()).then(|| view! {
                                <ul>{item.items.iter().map(|sub| view! { <li>{sub.clone()}</li> }).collect_view()}</ul>
                            })}
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
        <section aria-labelledby="actions">
            <h2 id="actions">{format!("Actions ({action_count})")}</h2>
            <ul class="action-tree">
                {top_level
                    .into_iter()
                    .map(|action| {
                        let subs = children(&action.id);
                        view! {
                            <li>
                                <ActionSummary action=action/>
                                {(!subs.is_empty()).then(|| view! {
                                    <ul>{subs.into_iter().map(|s| view! { <li><ActionSummary action=s/></li> }).collect_view()}</ul>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p><a href="/matrix">"See all actions in the matrix"</a></p>
        </section>
    })
}
