//! How pages get the programme: one server function, read once per page load into a
//! resource that every page shares, so client-side navigation needs no further request.
//! On the server the programme comes from [`ProgrammeSource`], which the server fills from
//! its database, and stored documents from [`DocSource`] (its document log).

use crate::model::Programme;
use leptos::prelude::*;
use std::sync::Arc;

/// The programme as the server has it, provided to server functions and SSR as context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ProgrammeSource(pub Arc<Programme>);

/// Stored documents, as the server has them (its document log), for server-side rendering.
#[cfg(feature = "ssr")]
pub trait StoredDocs: Send + Sync + 'static {
    /// The whole document as one update, or `None` if nothing was ever stored.
    fn load(
        &self,
        doc: crate::doc::DocId,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<Vec<u8>>, String>> + Send>>;
}

/// The server's [`StoredDocs`], provided as context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct DocSource(pub Arc<dyn StoredDocs>);

/// Whether the session of a request (its `Cookie` headers) may read a document, as the
/// server's gate decides.
#[cfg(feature = "ssr")]
pub trait ReadGate: Send + Sync + 'static {
    fn may_read(
        &self,
        cookie_headers: Vec<String>,
        doc: crate::doc::DocId,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send>>;
}

/// The server's [`ReadGate`], provided as context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ReadGateSource(pub Arc<dyn ReadGate>);

/// Whether the request being served may read `doc`. Without a gate in context, no.
#[cfg(feature = "ssr")]
pub async fn may_read(doc: &crate::doc::DocId) -> bool {
    let Some(gate) = use_context::<ReadGateSource>() else { return false };
    let cookies = use_context::<http::request::Parts>()
        .map(|parts| parts.headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect())
        .unwrap_or_default();
    gate.0.may_read(cookies, doc.clone()).await
}

/// Returns the whole programme (shared, not copied, when a page renders on the server).
/// A GET, so the service worker can keep the answer for offline use.
#[server(prefix = "/_app", endpoint = "programme", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_programme() -> Result<Arc<Programme>, ServerFnError> {
    let source = use_context::<ProgrammeSource>()
        .ok_or_else(|| ServerFnError::new("the programme is not loaded"))?;
    Ok(source.0)
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
