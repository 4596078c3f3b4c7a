//! One server function, `GET /_app/tor_text`: a ToR's stored text, section by section, and
//! whether the session may edit it (a GET, so the service worker keeps the last answer).

use super::*;

/// The text of each section (in `TorSection::ALL` order) as the server has it: what the page
/// shows before the browser's replica takes over, and all it shows without JavaScript.
/// A GET, so the service worker keeps the last answer for offline use.
/// A ToR's stored text, section by section, and whether the session may edit it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TorText {
    pub sections: Vec<String>,
    pub may_edit: bool,
}

#[server(prefix = "/_app", endpoint = "tor_text", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_tor_text(id: String) -> Result<TorText, ServerFnError> {
    use crate::doc::TorDoc;
    use crate::programme_api::{DocSource, ProgrammeSource};
    let doc = DocId::terms_of_reference(&id).map_err(|e| ServerFnError::new(e.to_string()))?;
    let programme = use_context::<ProgrammeSource>().ok_or_else(|| ServerFnError::new("the programme is not loaded"))?;
    if !doc.exists_in(&programme.0) || !crate::programme_api::may_read(&doc).await {
        return Err(ServerFnError::new(format!("there is no document {doc}")));
    }
    let source = use_context::<DocSource>().ok_or_else(|| ServerFnError::new("documents are not available"))?;
    let replica = TorDoc::new(0);
    if let Some(stored) = source.0.load(doc.clone()).await.map_err(ServerFnError::new)? {
        replica.apply_update(&stored).map_err(|e| ServerFnError::new(e.to_string()))?;
    }
    let may_edit = crate::programme_api::may(&doc, crate::access::Action::Edit).await;
    Ok(TorText { sections: TorSection::ALL.into_iter().map(|section| replica.text(section)).collect(), may_edit })
}
