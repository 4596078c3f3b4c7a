//! The list of answers written on this device and not sent yet (the service worker's outbox,
//! `public/sw.js`), filled in by `public/answers.js`, which this component loads: the forms to
//! answer and the "this device" page show it. Hidden until the script fills it (without
//! JavaScript nothing is kept on the device, so nothing waits).

use leptos::prelude::*;

/// The list, with a "Send now" button; `always`: shown even when nothing waits (the "this
/// device" page says so then).
#[component]
pub fn UnsentAnswers(#[prop(optional)] always: bool) -> impl IntoView {
    // The page's Content-Security-Policy runs scripts with its nonce only (`app.rs`).
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    view! {
        <section class="unsent-answers" data-unsent-answers="" data-always=always.then_some("") aria-labelledby="unsent-answers-heading" hidden>
            <h2 id="unsent-answers-heading">"Answers not sent yet"</h2>
            <p data-unsent-summary="" role="status"></p>
            <ul></ul>
            <button type="button" data-send-answers="" hidden>"Send now"</button>
        </section>
        <script src="/answers.js" defer nonce=nonce></script>
    }
}
