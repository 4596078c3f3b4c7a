//! Islands whose body lives in a wasm file of its own (`cargo leptos build --split` with the
//! feature `split`, as `make build` asks): on the server the island renders its body; in the
//! browser it hydrates an empty host, fetches the body's file through a `wasm_split` function
//! and hydrates what the server rendered inside the host in place, as Leptos hydrates an
//! island, while a status line says where loading stands. The ToR editor
//! (`pages/tor/loader.rs`) and the "this device" report (`pages/device/report.rs`) load this
//! way, so no other page downloads them (app/README.md, "Islands").

use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::tachys::view::{Position, RenderHtml};
use leptos::wasm_split::SplitLoaderError;
use std::future::Future;

/// What a split island's status line says while its file loads, and when it did not arrive
/// (offline before it was ever kept, or the network dropped); "Try again" follows the latter.
pub struct Wording {
    pub loading: &'static str,
    pub failed: &'static str,
}

/// Where loading stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Load {
    NotStarted,
    Loading,
    Ready,
    Failed,
}

/// Shows in `status` where loading stands and calls `fetch`, which fetches the split file
/// and hydrates the body (the first call fetches it; a failed fetch is not kept, so "Try
/// again" calls `fetch` again). `ready` runs once, after the body is hydrated. Offline keeping
/// waits meanwhile (`crate::browser::Loading`).
pub fn load<Fut>(status: web_sys::HtmlElement, wording: Wording, fetch: impl Fn() -> Fut + Clone + Send + Sync + 'static, ready: impl FnOnce() + 'static)
where
    Fut: Future<Output = Result<(), SplitLoaderError>> + 'static,
{
    let state = RwSignal::new(Load::NotStarted);
    let ready = StoredValue::new_local(Some(Box::new(ready) as Box<dyn FnOnce()>));
    let attempt = move || {
        if matches!(state.get_untracked(), Load::Loading | Load::Ready) {
            return;
        }
        state.set(Load::Loading);
        let loading = crate::browser::Loading::start();
        let fetched = fetch();
        leptos::task::spawn_local(async move {
            let done = fetched.await.is_ok();
            if done {
                if let Some(ready) = ready.try_update_value(Option::take).flatten() {
                    ready();
                }
            }
            state.set(if done { Load::Ready } else { Load::Failed });
            drop(loading);
        });
    };
    let line = {
        let attempt = attempt.clone();
        move || {
            let attempt = attempt.clone();
            view! {
                {move || match state.get() {
                    Load::Loading => wording.loading,
                    Load::Failed => wording.failed,
                    Load::NotStarted | Load::Ready => "",
                }}
                {move || (state.get() == Load::Failed).then(|| {
                    let attempt = attempt.clone();
                    view! { " "<button type="button" on:click=move |_| attempt()>"Try again"</button> }
                })}
            }
        }
    };
    leptos::mount::mount_to(status, line).forget();
    attempt();
}

/// Hydrates `body()` against the markup the server rendered as `host`'s first child: its own
/// owner, with the server's serialized data, kept for the page's lifetime (as Leptos keeps an
/// island's state). Called from inside the split file, so the body's code is there too.
pub fn hydrate_in_place<V: RenderHtml + 'static>(host: &web_sys::HtmlElement, body: impl FnOnce() -> V + 'static) {
    let view = Owner::new().with(|| Owner::with_hydration(|| OwnedView::new(body())));
    std::mem::forget(view.hydrate_from_position::<true>(host, Position::FirstChild));
}
