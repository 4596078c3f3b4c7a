//! The audit log for the Secretariat's managers: the server function `GET /_app/audit` and the
//! table that shows it.

use super::{utc, AuditLine};
use leptos::prelude::*;

/// The newest audit entries, for the Secretariat's managers.
#[server(prefix = "/_app", endpoint = "audit", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_audit() -> Result<Vec<AuditLine>, ServerFnError> {
    let current = crate::backend::Current::get()?;
    Ok(current.backend.audit(current.session).await?)
}

#[component]
pub(super) fn AuditLog(lines: Vec<AuditLine>) -> impl IntoView {
    view! {
        <section aria-labelledby="audit-h">
            <h2 id="audit-h">"Audit log"</h2>
            <p>"Sign-ins, refused sign-ins and accesses, invitations, roles and visibility: the newest first."</p>
            <div class="table-scroll">
                <table class="audit">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"Account"</th><th scope="col">"Details"</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|line| view! {
                            <tr>
                                <td>{utc(line.at_ms)}</td>
                                <td>{line.event}</td>
                                <td>{line.account_id.map(|id| id.to_string()).unwrap_or_default()}</td>
                                <td>{line.detail}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
