//! One server function, `GET /_app/managed_groups`: the groups the session may invite into,
//! with the list of delegations.

use super::Managing;
use leptos::prelude::*;

/// The groups the session manages (all of them for the Secretariat's managers), and the
/// delegations an invitation may name.
#[server(prefix = "/_app", endpoint = "managed_groups", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_managed_groups() -> Result<Managing, ServerFnError> {
    let current = crate::backend::Current::get()?;
    Ok(current.backend.managed_groups(current.session).await?)
}
