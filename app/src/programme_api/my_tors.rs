//! One server function, `GET /_app/my_tors`: the ToRs the session may read, for offline use.

use leptos::prelude::*;

/// A ToR the browser keeps for offline use.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeptTor {
    /// The action's or permanent activity's id (`/tor/{id}`).
    pub id: String,
    /// The action's or permanent activity's title.
    #[serde(default)]
    pub title: String,
    /// Whether the session may edit its text.
    pub may_edit: bool,
    /// What its outputs section starts with, where the session may edit it (the matrix's
    /// outputs of an action); the browser pre-fills an empty section with it.
    pub outputs_prefill: Option<String>,
    /// Only its owning group's members read it (the Airports Group's, the Precursor
    /// network's): a person may choose not to keep such documents on this device
    /// (`crate::browser::device`).
    #[serde(default)]
    pub group_only: bool,
}

/// The ToRs this session may read: the ones the browser keeps for offline use (and pre-fills,
/// where it may edit; elsewhere the server would refuse the change and it would wait
/// forever). A GET, so the service worker keeps the last answer for pages opened offline (and
/// drops it at sign-out).
#[server(prefix = "/_app", endpoint = "my_tors", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_my_tors() -> Result<Vec<KeptTor>, ServerFnError> {
    use crate::access::Action;
    let current = crate::backend::Current::get()?;
    let programme = current.backend.programme();
    let mut mine = Vec::new();
    for doc in crate::doc::DocId::all_terms_of_reference(&programme) {
        if current.may(&doc, Action::Read).await {
            let may_edit = current.may(&doc, Action::Edit).await;
            let outputs_prefill = if may_edit { crate::pages::tor::outputs_prefill(&programme, &doc) } else { None };
            let group_only = current.backend.visibility(doc.clone()).await == crate::access::Visibility::Group;
            let title = crate::pages::tor::subject_title(&programme, doc.subject()).unwrap_or_default();
            mine.push(KeptTor { id: doc.subject().to_owned(), title, may_edit, outputs_prefill, group_only });
        }
    }
    Ok(mine)
}
