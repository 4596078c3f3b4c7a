//! An activity's evaluations, on its action page and on the permanent activities page: each
//! with its format, dates and answers counted, linking to its results, its latest results in a
//! line (the first rating's mean) where they may be shown, and its outcome report
//! in a line once one is saved (the chain: … → its evaluations → its outcome). Only
//! those the session may read are listed (none signed out, where the section says how to see them).

use super::{get_evaluations, EvaluationItem, EvaluationList};
use leptos::prelude::*;

/// One read of the evaluations for a whole page that lists several activities' (the
/// permanent activities page), provided as context; without it each list reads its own.
#[derive(Clone, Copy)]
pub struct SharedEvaluations(Resource<Result<EvaluationList, ServerFnError>>);

impl SharedEvaluations {
    pub fn provide() {
        provide_context(Self(Resource::new(|| (), |_| get_evaluations())));
    }
}

/// The evaluations of activity `activity` (an action's or a permanent activity's id).
#[component]
pub fn ActivityEvaluations(activity: String) -> impl IntoView {
    let list = use_context::<SharedEvaluations>().map_or_else(|| Resource::new(|| (), |_| get_evaluations()), |shared| shared.0);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let activity = activity.clone();
                Suspend::new(async move {
                    let (mine, outcome): (Vec<EvaluationItem>, Option<String>) = match list.await {
                        Ok(list) => (
                            list.items.into_iter().filter(|item| item.activity == activity).collect(),
                            list.outcomes.into_iter().find(|o| o.activity == activity).map(|o| o.words),
                        ),
                        Err(_) => return view! { <p class="note">"Signed in, the Secretariat and the Permanent Correspondents see this activity's evaluations and results here."</p> }.into_any(),
                    };
                    let outcome = outcome.map(|words| view! {
                        <p class="outcome-line"><a href=format!("/outcomes/{activity}")>"Outcome"</a>{format!(": {words}.")}</p>
                    });
                    if mine.is_empty() {
                        return view! { <p class="note">"No evaluation of this activity yet."</p> {outcome} }.into_any();
                    }
                    view! {
                        <ul class="activity-evaluations">
                            {mine.into_iter().map(|item| {
                                let answers = super::answers(item.responses);
                                let headline = item.headline.map(|line| view! { <br/><span class="headline">{format!("Latest results: {line}.")}</span> });
                                view! {
                                    <li>
                                        <a href=format!("/evaluations/{}", item.id)>{item.title}</a>
                                        {format!(" — {}, {} to {} ({}), {answers}", item.format_name, item.opens, item.closes, item.status.words())}
                                        {headline}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {outcome}
                    }.into_any()
                })
            }}
        </Suspense>
    }
}

/// "2 of 14 actions evaluated" for priority `priority` (its `actions` counted by the page),
/// for whoever may read evaluations; nothing otherwise.
#[component]
pub fn PriorityEvaluated(priority: String, actions: usize) -> impl IntoView {
    let list = use_context::<SharedEvaluations>().map_or_else(|| Resource::new(|| (), |_| get_evaluations()), |shared| shared.0);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let priority = priority.clone();
                Suspend::new(async move {
                    let list = list.await.ok()?;
                    let evaluated: std::collections::BTreeSet<String> =
                        list.items.into_iter().filter(|item| item.priority.as_deref() == Some(priority.as_str())).map(|item| item.activity).collect();
                    let text = match evaluated.len() {
                        1 => format!("1 of {actions} actions evaluated"),
                        n => format!("{n} of {actions} actions evaluated"),
                    };
                    Some(view! { <p class="evaluated"><a href=format!("/evaluations?priority={priority}")>{text}</a></p> })
                })
            }}
        </Suspense>
    }
}
