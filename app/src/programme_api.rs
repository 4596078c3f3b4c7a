//! How pages get the programme: one server function (`/_app/programme`), read once per page load into a
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

/// What the server's answers to pages return: a future it can send across threads.
#[cfg(feature = "ssr")]
pub type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// Stored documents, as the server has them (its document log), for server-side rendering.
#[cfg(feature = "ssr")]
pub trait StoredDocs: Send + Sync + 'static {
    /// The whole document as one update, or `None` if nothing was ever stored.
    fn load(&self, doc: crate::doc::DocId) -> BoxFuture<Result<Option<Vec<u8>>, String>>;
}

/// The server's [`StoredDocs`], provided as context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct DocSource(pub Arc<dyn StoredDocs>);

/// What a local path keeps unencoded as a query value (`?next=`): RFC 3986's unreserved
/// characters and `/`; everything else, `?`, `&`, `#` and non-ASCII included, is encoded.
const PATH_IN_QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// A local path percent-encoded as a query value (`?next=`).
pub fn encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_IN_QUERY).to_string()
}

/// Where to go after signing in: a path on this site, else the overview.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')).unwrap_or_else(|| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::{encode_path, safe_next};

    #[test]
    fn a_path_goes_into_a_query_value_intact() {
        assert_eq!(encode_path("/tor/nps"), "/tor/nps");
        assert_eq!(encode_path("/search?q=a b&x=1#top"), "/search%3Fq%3Da%20b%26x%3D1%23top");
        assert_eq!(encode_path("/é"), "/%C3%A9");
    }

    #[test]
    fn only_paths_on_this_site_are_followed_after_signing_in() {
        assert_eq!(safe_next(Some("/tor/nps".into())), "/tor/nps");
        for elsewhere in ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", ""] {
            assert_eq!(safe_next(Some(elsewhere.into())), "/", "{elsewhere:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}

/// Who is signed in, as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignedInAs {
    pub name: String,
    pub email: String,
    /// How others see this person in presence: the name, and the delegation in brackets when
    /// the account has one (the server puts it into every presence state it relays).
    pub shown_as: String,
}

/// The server's answers about a request's session (its `Cookie` headers): whether it may do
/// something to a document (the gate), and who it is.
#[cfg(feature = "ssr")]
pub trait ReadGate: Send + Sync + 'static {
    fn may(&self, cookie_headers: Vec<String>, doc: crate::doc::DocId, action: crate::access::Action) -> BoxFuture<bool>;

    fn signed_in(&self, cookie_headers: Vec<String>) -> BoxFuture<Option<SignedInAs>>;
}

/// The server's [`ReadGate`], provided as context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ReadGateSource(pub Arc<dyn ReadGate>);

/// Whether the request being served may read `doc`. Without a gate in context, no.
#[cfg(feature = "ssr")]
pub async fn may_read(doc: &crate::doc::DocId) -> bool {
    may(doc, crate::access::Action::Read).await
}

/// Whether the request being served may do `action` to `doc`. Without a gate in context, no.
#[cfg(feature = "ssr")]
pub async fn may(doc: &crate::doc::DocId, action: crate::access::Action) -> bool {
    let Some(gate) = use_context::<ReadGateSource>() else { return false };
    gate.0.may(request_cookies(), doc.clone(), action).await
}

/// The ToRs this session may read, each with whether it may edit the text: the ones the
/// browser keeps for offline use (and pre-fills, where it may edit). A GET, so the service
/// worker keeps the last answer for pages opened offline (and drops it at sign-out).
#[server(prefix = "/_app", endpoint = "my_tors", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_my_tors() -> Result<Vec<(String, bool)>, ServerFnError> {
    use crate::access::Action;
    let programme = use_context::<ProgrammeSource>().ok_or_else(|| ServerFnError::new("the programme is not loaded"))?;
    let mut mine = Vec::new();
    for doc in crate::doc::DocId::all_terms_of_reference(&programme.0) {
        if may(&doc, Action::Read).await {
            let edit = may(&doc, Action::Edit).await;
            mine.push((doc.subject().to_owned(), edit));
        }
    }
    Ok(mine)
}

#[cfg(feature = "ssr")]
pub(crate) fn request_cookies() -> Vec<String> {
    use_context::<http::request::Parts>()
        .map(|parts| parts.headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Who the request being served is signed in as, if anyone. A GET, so a page opened offline
/// shows the last answer.
#[server(prefix = "/_app", endpoint = "session", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_session() -> Result<Option<SignedInAs>, ServerFnError> {
    let gate = use_context::<ReadGateSource>().ok_or_else(|| ServerFnError::new("sessions are not available"))?;
    Ok(gate.0.signed_in(request_cookies()).await)
}

/// Returns the whole programme (shared, not copied, when a page renders on the server).
/// A GET, so the service worker can keep the answer for offline use.
#[server(prefix = "/_app", endpoint = "programme", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_programme() -> Result<Arc<Programme>, ServerFnError> {
    let source = use_context::<ProgrammeSource>().ok_or_else(|| ServerFnError::new("the programme is not loaded"))?;
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
