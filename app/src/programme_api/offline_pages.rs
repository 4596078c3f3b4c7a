//! One server function, `GET /_app/offline_pages`: every page the service worker keeps so
//! that it opens offline, for this session.

use leptos::prelude::*;

/// The paths of every page this session may open that reads without the server: the
/// programme's pages (overview, about, matrix, permanent activities, working methods, each
/// priority and action), the search page, the "this device" page, the offline page, and the ToR of every action and
/// permanent activity the session may read (one it may not read is never listed). The
/// service worker fetches them in the background once a page is interactive
/// (`public/sw.js`, "keep-pages").
#[server(prefix = "/_app", endpoint = "offline_pages", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_offline_pages() -> Result<Vec<String>, ServerFnError> {
    use crate::access::Action;
    let current = crate::backend::Current::get()?;
    let programme = current.backend.programme();
    let fixed = ["/", "/about", "/matrix", "/permanent-activities", "/working-methods", "/search", "/device", "/offline"];
    let mut pages: Vec<String> = fixed.into_iter().map(str::to_owned).collect();
    pages.extend(programme.priorities.iter().map(|p| format!("/priorities/{}", p.id)));
    pages.extend(programme.actions().map(|a| format!("/actions/{}", a.id)));
    for doc in crate::doc::DocId::all_terms_of_reference(&programme) {
        if current.may(&doc, Action::Read).await {
            pages.push(format!("/tor/{}", doc.subject()));
        }
    }
    Ok(pages)
}
