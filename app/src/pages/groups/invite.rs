//! Inviting someone: the server function `POST /_app/invite` and the form that calls it,
//! which shows the link to send once.

use super::{sentence, utc, GroupChoice, InvitationMade};
use crate::access::Role;
use leptos::prelude::*;

/// Makes an invitation (a POST: it changes something).
#[server(prefix = "/_app", endpoint = "invite")]
pub async fn make_invitation(email: String, group: String, role: String, delegation: String) -> Result<InvitationMade, ServerFnError> {
    use crate::backend::{BackendError, Current};
    let role = Role::parse(&role).ok_or_else(|| BackendError::Refused(format!("{role:?} is not a role")))?;
    let current = Current::get()?;
    let delegation = Some(delegation).filter(|d| !d.is_empty());
    Ok(current.backend.invite(current.session, email, group, role, delegation).await?)
}

/// The invitation form: an island (it calls the server and shows the link it answers).
#[island]
pub(super) fn InviteForm(groups: Vec<GroupChoice>, delegations: Vec<String>) -> impl IntoView {
    // A plain form and a direct call: Leptos's ActionForm would add its form-decoding
    // machinery to the bundle (about 50 KB gzip) for this one form.
    let email = NodeRef::<leptos::html::Input>::new();
    let group = NodeRef::<leptos::html::Select>::new();
    let role = NodeRef::<leptos::html::Select>::new();
    let delegation = NodeRef::<leptos::html::Select>::new();
    let result = RwSignal::new(None::<Result<InvitationMade, String>>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email = email.get().map(|e| e.value()).unwrap_or_default();
        let group = group.get().map(|g| g.value()).unwrap_or_default();
        let role = role.get().map(|r| r.value()).unwrap_or_default();
        let delegation = delegation.get().map(|d| d.value()).unwrap_or_default();
        pending.set(true);
        leptos::task::spawn_local(async move {
            result.set(Some(make_invitation(email, group, role, delegation).await.map_err(|e| sentence(&e))));
            pending.set(false);
        });
    };
    view! {
        <section aria-labelledby="invite-h">
            <h2 id="invite-h">"Invite someone"</h2>
            <p>"They get a link that makes their account with this role. It works once and for seven days; send it to them yourself."</p>
            <noscript><p class="note">"Making invitations needs JavaScript."</p></noscript>
            <form class="invite-form" on:submit=submit>
                <label>"Their email"<input node_ref=email type="email" name="email" required maxlength="254"/></label>
                <label>"Group"
                    <select node_ref=group name="group">
                        {groups.into_iter().map(|g| view! { <option value=g.id>{g.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Role"
                    <select node_ref=role name="role">
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == Role::Commenter>{r.as_str()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Delegation"
                    <select node_ref=delegation name="delegation">
                        <option value="">"None (the Secretariat, observers)"</option>
                        {delegations.into_iter().map(|d| {
                            let value = d.clone();
                            view! { <option value=value>{d}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" disabled=move || pending.get()>"Make invitation link"</button>
            </form>
            <div aria-live="polite">
                {move || result.get().map(|made| match made {
                    Ok(made) => {
                        let link = absolute(&made.link);
                        view! {
                            <p class="invitation" role="status">
                                "Invitation for "{made.email}", until "{utc(made.expires_ms)}": "
                                <input class="invitation-link" type="text" readonly value=link aria-label="Invitation link"/>
                            </p>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

/// A link on this site with its origin, to send by email.
fn absolute(path: &str) -> String {
    #[cfg(feature = "hydrate")]
    if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
        return format!("{origin}{path}");
    }
    path.to_owned()
}
