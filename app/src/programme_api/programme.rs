//! One server function, `GET /_app/programme`, and the resource every page reads it from.

use crate::model::Programme;
use leptos::prelude::*;
use std::sync::Arc;

/// Returns the whole programme (shared, not copied, when a page renders on the server).
/// A GET, so the service worker can keep the answer for offline use.
#[server(prefix = "/_app", endpoint = "programme", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_programme() -> Result<Arc<Programme>, ServerFnError> {
    Ok(crate::backend::Current::get()?.backend.programme())
}

/// The resource every page reads the programme from.
#[derive(Clone, Copy)]
pub struct ProgrammeResource(pub Resource<Result<Arc<Programme>, ServerFnError>>);

impl ProgrammeResource {
    /// Creates the resource and provides it as context. Called once, by the root component.
    pub fn provide() -> Self {
        let resource = Resource::new(|| (), |_| get_programme());
        let this = Self(resource);
        provide_context(this);
        this
    }
}
