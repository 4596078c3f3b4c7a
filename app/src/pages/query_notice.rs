//! A notice for a page opened offline at an address the service worker did not keep: it
//! stands in the kept page without the query (`public/sw.js`), and this island says so when
//! the address asks for more than the page shows (a matrix filter, a search).

use leptos::prelude::*;

/// Says `message` when the address's query is not the one the page was rendered for
/// (`rendered`, with or without its leading `?`). An island: only the browser knows the
/// address a kept page was opened at.
#[island]
pub fn QueryNotice(rendered: String, message: String) -> impl IntoView {
    let shown = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let here = window().location().search().unwrap_or_default();
        shown.set(!same_query(&here, &rendered));
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = &rendered;
    view! { {move || shown.get().then(|| view! { <p class="notice" role="status">{message.clone()}</p> })} }
}

/// The query the page was rendered for, as `QueryNotice` takes it.
pub fn rendered_query() -> String {
    leptos_router::hooks::use_location().search.get_untracked()
}

/// Whether two queries are the same, with or without their leading `?`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn same_query(a: &str, b: &str) -> bool {
    a.trim_start_matches('?') == b.trim_start_matches('?')
}

#[cfg(test)]
mod tests {
    use super::same_query;

    #[test]
    fn queries_compare_without_their_question_mark() {
        assert!(same_query("?format=expert-group", "format=expert-group"));
        assert!(same_query("", "?"));
        assert!(!same_query("?q=drugs", ""));
        assert!(!same_query("?format=a&output=b", "format=a"));
    }
}
