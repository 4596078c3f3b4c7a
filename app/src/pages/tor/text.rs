//! One server function, `GET /_app/tor_text`: a ToR's stored text, section by section, and
//! whether the session may edit it (a GET, so the service worker keeps the last answer).

use super::*;

/// A ToR's stored text, section by section, and whether the session may edit it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TorText {
    pub sections: Vec<String>,
    pub may_edit: bool,
}

/// The text of each section (in `TorSection::ALL` order) as the server has it: what the page
/// shows before the browser's replica takes over, and all it shows without JavaScript.
/// A ToR the session may not read is not found, as one that does not exist.
#[server(prefix = "/_app", endpoint = "tor_text", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_tor_text(id: String) -> Result<TorText, ServerFnError> {
    use crate::access::Action;
    use crate::backend::{BackendError, Current};
    use crate::doc::TorDoc;
    let doc = DocId::terms_of_reference(&id).map_err(|e| BackendError::NotFound(e.to_string()))?;
    let current = Current::get()?;
    if !doc.exists_in(&current.backend.programme()) || !current.may(&doc, Action::Read).await {
        return Err(BackendError::NotFound(format!("there is no document {doc}")).into());
    }
    let replica = TorDoc::new(0);
    if let Some(stored) = current.backend.stored(doc.clone()).await? {
        replica.apply_update(&stored).map_err(|e| BackendError::internal(format!("stored {doc}: {e}")))?;
    }
    let may_edit = current.may(&doc, Action::Edit).await;
    Ok(TorText { sections: TorSection::ALL.into_iter().map(|section| replica.text(section)).collect(), may_edit })
}
