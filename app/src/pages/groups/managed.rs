//! One server function, `GET /_app/managed_groups`: the groups the session may invite into.

use super::GroupChoice;
use leptos::prelude::*;

/// The groups the session manages (all of them for the Secretariat's managers).
#[server(prefix = "/_app", endpoint = "managed_groups", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_managed_groups() -> Result<Vec<GroupChoice>, ServerFnError> {
    let current = crate::backend::Current::get()?;
    Ok(current.backend.managed_groups(current.session).await?)
}
