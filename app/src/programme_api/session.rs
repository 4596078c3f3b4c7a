//! One server function, `GET /_app/session`: who the request is signed in as.

use leptos::prelude::*;

/// Who is signed in, as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignedInAs {
    pub name: String,
    pub email: String,
    /// How others see this person in presence: the name, and the delegation in brackets when
    /// the account has one (the server puts it into every presence state it relays).
    pub shown_as: String,
}

/// Who the request being served is signed in as, if anyone. A GET, so a page opened offline
/// shows the last answer.
#[server(prefix = "/_app", endpoint = "session", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_session() -> Result<Option<SignedInAs>, ServerFnError> {
    let current = crate::backend::Current::get()?;
    Ok(current.backend.signed_in(current.session).await)
}
