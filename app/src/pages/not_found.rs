//! The 404 page: for unknown routes, and for unknown ids on known routes.

use leptos::prelude::*;
use leptos_meta::Title;

/// Marks the response as 404 when rendered on the server.
pub fn set_not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// "Not found" content, naming what was looked for.
#[component]
pub fn NotFound(#[prop(into)] what: String) -> impl IntoView {
    set_not_found_status();
    view! {
        <Title text="Not found"/>
        <section class="not-found">
            <h1>"Not found"</h1>
            <p>{what}</p>
            <p>
                <a href="/">"Back to the overview"</a>
                " · "
                <a href="/search">"Search the programme"</a>
            </p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFound what="There is no page at this address."/> }
}
