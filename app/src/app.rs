//! The HTML shell and the router: which page answers which path.
//!
//! The app runs in Leptos's islands mode: every page is rendered on the server, and only the
//! parts that act in the browser are islands, hydrated from the wasm bundle (the sync
//! indicator, the sign-out form, the ToR editor with its comments, the invitation form, the
//! matrix filter and search offline, the interactive mark). The router, the pages and the
//! programme never reach the bundle, so a page costs the phone only what it can act on
//! (README, "The phone on a slow network").

use crate::layout::{Footer, Header, Interactive};
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
                <link rel="manifest" href="/manifest.webmanifest"/>
                <meta name="theme-color" content="#0b4f8a"/>
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    ProgrammeResource::provide();
    Live::get();

    // Every route renders in full before it is sent (SsrMode::Async): pages read without
    // JavaScript, titles land in <head>, and an unknown id can answer 404.
    view! {
        <Title formatter=|text: String| {
            let title = if text.is_empty() { "Programme Desk".to_owned() } else { format!("{text} · Programme Desk") };
            // leptos_meta writes the title into <head> as it is given: escaped here, since some
            // titles are typed by people (an evaluation's). Titles are only rendered on the
            // server (pages are not islands).
            #[cfg(feature = "ssr")]
            let title = html_escape::encode_text(&title).into_owned();
            title
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
                    <Route path=path!("/evaluations") view=crate::pages::evaluations::EvaluationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/evaluations/:id") view=crate::pages::evaluations::EvaluationPage ssr=SsrMode::Async/>
                    <Route path=path!("/evaluations/:id/answer") view=crate::pages::evaluations::OwnAnswerPage ssr=SsrMode::Async/>
                    <Route path=path!("/evaluations/:id/questions") view=crate::pages::evaluations::QuestionEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/templates/:format") view=crate::pages::evaluations::TemplateEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/outcomes/:activity") view=crate::pages::evaluations::OutcomePage ssr=SsrMode::Async/>
                    <Route path=path!("/compliance") view=crate::pages::evaluations::CompliancePage ssr=SsrMode::Async/>
                    <Route path=path!("/answer/:secret") view=crate::pages::evaluations::AnswerPage ssr=SsrMode::Async/>
                    <Route path=path!("/device") view=crate::pages::device::DevicePage ssr=SsrMode::Async/>
                    <Route path=path!("/offline") view=OfflinePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
            <Interactive/>
        </Router>
    }
}

/// What the service worker shows for a page it does not keep when there is no network
/// (`public/sw.js`): the header still shows the sync state, and the pages kept on this device
/// open from the links.
#[component]
fn OfflinePage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Offline"/>
        <section class="offline-page">
            <h1>"This page is not on this device"</h1>
            <p>"You are offline, and this page was not kept for offline use. Everything you typed is kept on this device and is sent when you are back online."</p>
            <p><a href="/">"The overview"</a>" and every page of the programme and its terms of reference open offline once the app has been opened online on this device."</p>
        </section>
    }
}
