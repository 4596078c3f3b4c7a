//! Search across actions, priorities and permanent activities (`/search?q=…`).

use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::search::{search, HitKind};
use crate::model::Programme;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    view! {
        <Title text="Search"/>
        <h1>"Search"</h1>
        <Form method="GET" action="/search" attr:role="search" attr:class="search-form">
            <label for="q">"Words to find in actions, priorities and permanent activities"</label>
            <input id="q" type="search" name="q" prop:value=q maxlength="200"/>
            <button type="submit">"Search"</button>
        </Form>
        <WithProgramme render=ProgrammeView::new(move |p: Arc<Programme>| move || results(&p, &q()))/>
    }
}

fn results(p: &Programme, q: &str) -> impl IntoView + use<> {
    let hits = search(p, q);
    let summary = match (q.trim().is_empty(), hits.len()) {
        (true, _) => String::new(),
        (false, 0) => format!("Nothing found for “{}”.", q.trim()),
        (false, 1) => format!("1 result for “{}”.", q.trim()),
        (false, n) => format!("{n} results for “{}”.", q.trim()),
    };
    view! {
        <p class="count" role="status">{summary}</p>
        <ol class="results">
            {hits
                .into_iter()
                .map(|hit| {
                    let kind = match hit.kind {
                        HitKind::Priority => "Thematic priority",
                        HitKind::Action => "Action",
                        HitKind::PermanentActivity => "Permanent activity",
                    };
                    view! { <li><a href=hit.href>{hit.title}</a>" "<span class="kind">{kind}</span></li> }
                })
                .collect_view()}
        </ol>
    }
}
