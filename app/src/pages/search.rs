//! Search across actions, priorities and permanent activities (`/search?q=…`), and across the
//! text of the terms of reference the session may read (a server function: the text lives in
//! the server's document log, and the gate decides which ToRs count; one it may not read is
//! never mentioned).

use super::query_notice::{rendered_query, QueryNotice};
use crate::layout::{ProgrammeView, WithProgramme};
use crate::model::search::{search, HitKind};
use crate::model::Programme;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

/// A ToR whose text holds every word of the query.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TorHit {
    pub id: String,
    pub title: String,
}

/// `GET /_app/search_tors?q=…`: the ToRs (at most 20, in programme order) whose text holds
/// every word of `q` as [`crate::model::search::all_words_in`] matches them (word prefixes;
/// case, accents and Unicode form folded away by `model::fold`), among those the session may
/// read.
#[server(prefix = "/_app", endpoint = "search_tors", input = leptos::server_fn::codec::GetUrl)]
pub async fn search_tors(q: String) -> Result<Vec<TorHit>, ServerFnError> {
    use crate::backend::BackendError;
    use crate::doc::{DocId, TorDoc, TorSection};
    /// At most this many ToR hits are listed.
    const MAX_TOR_HITS: usize = 20;
    if crate::model::search::query_words(&q).is_empty() {
        return Ok(Vec::new());
    }
    let current = crate::backend::Current::get()?;
    let programme = current.backend.programme();
    let mut hits = Vec::new();
    for doc in DocId::all_terms_of_reference(&programme) {
        if hits.len() == MAX_TOR_HITS {
            break;
        }
        if !current.may(&doc, crate::access::Action::Read).await {
            continue;
        }
        let Some(stored) = current.backend.stored(doc.clone()).await? else { continue };
        let tor = TorDoc::new(0);
        tor.apply_update(&stored).map_err(|e| BackendError::internal(format!("stored {doc}: {e}")))?;
        let texts: Vec<String> = TorSection::ALL.into_iter().map(|section| tor.text(section)).collect();
        if crate::model::search::all_words_in(&texts.iter().map(String::as_str).collect::<Vec<_>>(), &q) {
            let id = doc.subject().to_owned();
            let title =
                programme.action(&id).map(|a| a.title.clone()).or_else(|| programme.permanent_activity(&id).map(|a| a.name.clone())).unwrap_or_default();
            hits.push(TorHit { id, title });
        }
    }
    Ok(hits)
}

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
        <QueryNotice rendered=rendered_query() message="You are offline, and this search was not made on this device before: searching needs a connection. Searches made before, and every page of the programme, open offline.".to_owned()/>
        <WithProgramme render=ProgrammeView::new(move |p: Arc<Programme>| move || results(&p, &q()))/>
        <TorResults q=Signal::derive(q)/>
    }
}

/// The ToRs whose text matches, under the programme's results (nothing when none match, or
/// offline).
#[component]
fn TorResults(q: Signal<String>) -> impl IntoView {
    let hits = Resource::new(move || q.get(), search_tors);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let hits = hits.await.unwrap_or_default();
                (!hits.is_empty()).then(|| view! {
                    <h2>"In terms of reference"</h2>
                    <ol class="results tor-results">
                        {hits.into_iter().map(|hit| view! {
                            <li><a href=format!("/tor/{}", hit.id)>{format!("ToR of {}", hit.title)}</a></li>
                        }).collect_view()}
                    </ol>
                })
            })}
        </Suspense>
    }
}

fn results(p: &Programme, q: &str) -> impl IntoView + use<> {
    let hits = search(p, q);
    let summary = match (q.trim().is_empty(), hits.len()) {
        (true, _) => String::new(),
        (false, 0) => format!("Nothing found in the programme for “{}”.", q.trim()),
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
