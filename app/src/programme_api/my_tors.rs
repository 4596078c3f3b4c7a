//! One server function, `GET /_app/my_tors`: the ToRs the session may read, for offline use.

use leptos::prelude::*;

/// The ToRs this session may read, each with whether it may edit the text: the ones the
/// browser keeps for offline use (and pre-fills, where it may edit). A GET, so the service
/// worker keeps the last answer for pages opened offline (and drops it at sign-out).
#[server(prefix = "/_app", endpoint = "my_tors", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_my_tors() -> Result<Vec<(String, bool)>, ServerFnError> {
    use crate::access::Action;
    let current = crate::backend::Current::get()?;
    let mut mine = Vec::new();
    for doc in crate::doc::DocId::all_terms_of_reference(&current.backend.programme()) {
        if current.may(&doc, Action::Read).await {
            let edit = current.may(&doc, Action::Edit).await;
            mine.push((doc.subject().to_owned(), edit));
        }
    }
    Ok(mine)
}
