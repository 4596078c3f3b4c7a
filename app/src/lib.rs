//! Programme Desk's Leptos front end, rendered on the server (feature `ssr`) and hydrated in
//! the browser (feature `hydrate`), where `browser` connects it to the sync engine. The
//! UI-free core (model, documents, sync protocol and engine, access rule) is the `desk-core`
//! crate, re-exported here under its module names.

#![recursion_limit = "256"]

pub use desk_core::{access, doc, evaluation, model, sync};

mod app;
/// The server's side of the pages: one interface, a typed session, one error.
#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "hydrate")]
mod browser;
mod layout;
pub mod live;
mod pages;
/// The evaluation pages' types and the interface the server answers them through.
pub use pages::evaluations;
/// The groups page's types, which the server's backend answers with.
pub use pages::groups;
pub mod programme_api;
#[cfg(feature = "hydrate")]
mod split;

pub use app::{shell, App};

/// The wasm entry point: Leptos's islands mode (each island hydrates itself once this has
/// run), the service worker that keeps pages for offline use, and the header menu's keyboard.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    browser::register_service_worker();
    browser::close_menu_when_left();
}
