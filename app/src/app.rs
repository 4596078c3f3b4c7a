//! The HTML shell and the router: which page answers which path.

use crate::layout::{Footer, Header};
use crate::live::Live;
use crate::pages::{
    about::AboutPage,
    action::ActionPage,
    matrix::MatrixPage,
    not_found::NotFoundPage,
    overview::OverviewPage,
    permanent::PermanentActivitiesPage,
    priority::PriorityPage,
    search::SearchPage,
    session::{InvitationPage, SignInPage},
    tor::TorPage,
    working_methods::WorkingMethodsPage,
};
use crate::programme_api::ProgrammeResource;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="The Pompidou Group Work Programme 2019–2022: priorities, actions, permanent activities and working methods."/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only with this response's nonce (Leptos puts it
/// on its hydration and data scripts) and what they load ('strict-dynamic'), wasm compiled,
/// nothing framed, no plugins, forms and connections to this site only. Styles may be inline
/// (positions of highlights and carets); they run nothing.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    let Some(nonce) = leptos::nonce::use_nonce() else { return };
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The element that marks the offline app shell (`/app-shell`): the browser builds the page
/// for its address instead of hydrating the shell's own.
pub const SHELL_MARKER_ID: &str = "app-shell";

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let programme = ProgrammeResource::provide();
    let live = Live::provide();
    #[cfg(feature = "hydrate")]
    {
        // Once interactive: connect, and keep every ToR this session may read in this
        // browser, so any of them opens offline, even one never visited. Outputs are
        // pre-filled from the matrix only where it may edit (elsewhere the server would refuse
        // the change and it would wait forever).
        Effect::new(move |_| crate::browser::start(live));
        Effect::new(move |_| {
            if let Some(Ok(p)) = programme.0.get() {
                leptos::task::spawn_local(async move {
                    let Ok(mine) = crate::programme_api::get_my_tors().await else { return };
                    for (id, may_edit) in mine {
                        let Ok(doc) = crate::doc::DocId::terms_of_reference(&id) else { continue };
                        let prefill = if may_edit { crate::pages::tor::outputs_prefill(&p, &doc) } else { None };
                        crate::browser::open_doc(&doc, prefill);
                    }
                });
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (programme, live);
    // Marks the page once the wasm has hydrated it, so tests (and curious people) can tell.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    // Every route renders in full before it is sent (SsrMode::Async): pages read without
    // JavaScript, titles land in <head>, and an unknown id can answer 404.
    view! {
        <Title formatter=|text: String| {
            if text.is_empty() { "Programme Desk".to_owned() } else { format!("{text} · Programme Desk") }
        }/>
        <Router>
            // rel="external": the browser, not the router, follows it, so focus moves to <main>.
            <a class="skip-link" href="#main" rel="external">"Skip to content"</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/about") view=AboutPage ssr=SsrMode::Async/>
                    <Route path=path!("/matrix") view=MatrixPage ssr=SsrMode::Async/>
                    <Route path=path!("/priorities/:id") view=PriorityPage ssr=SsrMode::Async/>
                    <Route path=path!("/actions/:id") view=ActionPage ssr=SsrMode::Async/>
                    <Route path=path!("/permanent-activities") view=PermanentActivitiesPage ssr=SsrMode::Async/>
                    <Route path=path!("/working-methods") view=WorkingMethodsPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/groups") view=crate::pages::groups::GroupsPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:secret") view=|| view! { <InvitationPage setup=false/> } ssr=SsrMode::Async/>
                    <Route path=path!("/setup/:secret") view=|| view! { <InvitationPage setup=true/> } ssr=SsrMode::Async/>
                    <Route path=path!("/tor/:id") view=TorPage ssr=SsrMode::Async/>
                    <Route path=path!("/app-shell") view=AppShell/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// The page the service worker keeps for offline use: the stylesheet and the wasm, and a
/// marker telling the wasm to build whatever page the address asks for.
#[component]
fn AppShell() -> impl IntoView {
    view! {
        <div id=SHELL_MARKER_ID>
            <p class="loading" role="status">"Opening Programme Desk…"</p>
        </div>
    }
}
