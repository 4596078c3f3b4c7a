//! Programme Desk's shared crate. `model` (the work programme's types, validation, search)
//! and `doc` (documents edited together, as CRDTs) are the UI-free, I/O-free core; the rest is
//! the Leptos front end, rendered on the server (feature `ssr`) and hydrated in the browser
//! (feature `hydrate`).

pub mod doc;
pub mod model;
pub mod sync;

mod app;
mod layout;
mod pages;
pub mod programme_api;

pub use app::{shell, App};

/// The wasm entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
