//! What every page shares: the header with navigation and search, the footer, the
//! interactive mark, and [`WithProgramme`], which renders a page once the programme is at
//! hand (on the server: pages are not hydrated, only their islands).

use crate::live::SyncIndicator;
use crate::model::Programme;
use crate::pages::session::SessionLinks;
use crate::programme_api::ProgrammeResource;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use std::sync::Arc;

/// The header: on a phone one bar (the name, the sync state, a menu button); the menu holds
/// the navigation, the search and the session links. The menu is a `<details>`, so it opens
/// without JavaScript; on wider screens the stylesheet shows its contents in the bar.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-name">"Programme Desk"</span>
                <span class="brand-sub">"Pompidou Group · Work Programme 2019–2022"</span>
            </a>
            <div class="sync"><SyncIndicator/></div>
            <details class="site-menu">
                <summary>"Menu"</summary>
                <div class="site-menu-body">
                    <nav aria-label="Main">
                        <ul>
                            <li><A href="/" exact=true>"Overview"</A></li>
                            <li><A href="/matrix">"Matrix"</A></li>
                            <li><A href="/permanent-activities">"Permanent activities"</A></li>
                            <li><A href="/working-methods">"Working methods"</A></li>
                            <li><A href="/evaluations">"Evaluations"</A></li>
                            <li><A href="/about">"About"</A></li>
                            <li><A href="/device">"This device"</A></li>
                        </ul>
                    </nav>
                    <Form method="GET" action="/search" attr:class="header-search" attr:role="search">
                        <label for="header-q" class="visually-hidden">"Search the programme"</label>
                        <input id="header-q" type="search" name="q" placeholder="Search the programme" maxlength="200"/>
                        <button type="submit">"Search"</button>
                    </Form>
                    <div class="session-links"><SessionLinks/></div>
                </div>
            </details>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "P-PG/MinConf (2018) 4 · Adopted at the 17th Ministerial Conference, Stavanger, 27 – 28 November 2018. "
                <a href="/api/v1/programme">"The programme as JSON"</a>
            </p>
        </footer>
    }
}

/// The last island of every page: hydrated after all the others (islands hydrate in document
/// order), it marks the page interactive (`<body data-hydrated>`, what tests and `make phone`
/// wait for) and then starts what only keeps things for offline use, in the background
/// (`crate::browser::after_interactive`).
#[island]
pub fn Interactive() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
        crate::browser::after_interactive();
    }
}

/// Renders `render(programme)` once the shared programme resource has resolved, or a clear
/// message if it could not be loaded. Not generic over `render`, so the suspense machinery is
/// compiled once for all pages (a smaller wasm bundle).
#[component]
pub fn WithProgramme(render: ProgrammeView) -> impl IntoView {
    let ProgrammeResource(resource) = expect_context::<ProgrammeResource>();
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the work programme…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(programme) => Either::Left(render.0(programme)),
                        Err(error) => Either::Right(view! {
                            <div class="error" role="alert">
                                <h1>"The work programme could not be loaded"</h1>
                                <p>{error.to_string()}</p>
                            </div>
                        }),
                    }
                })
            }}
        </Suspense>
    }
}

/// A page body drawn from the programme.
#[derive(Clone)]
pub struct ProgrammeView(Arc<dyn Fn(Arc<Programme>) -> AnyView + Send + Sync>);

impl ProgrammeView {
    pub fn new<V: IntoView + 'static>(render: impl Fn(Arc<Programme>) -> V + Send + Sync + 'static) -> Self {
        Self(Arc::new(move |programme| render(programme).into_any()))
    }
}
