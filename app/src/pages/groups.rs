//! The group managers' page (`/groups`): invite someone into a group one manages (the link
//! to send them is shown once), and for the Secretariat's managers the audit log. The server
//! answers through [`GroupDesk`] (accounts live there); every answer is checked against the
//! request's session, so the page offers nothing the JSON API would refuse.

use crate::access::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// A group the session may invite into: (id, name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: String,
    pub name: String,
}

/// An invitation just made: the path of its link and when it stops working.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationMade {
    pub link: String,
    pub email: String,
    pub expires_ms: i64,
}

/// One entry of the audit log, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at_ms: i64,
    pub event: String,
    pub account_id: Option<i64>,
    pub detail: String,
}

/// What the server does for this page, for the session of the request (its `Cookie`
/// headers). Errors are sentences for the user.
#[cfg(feature = "ssr")]
pub trait GroupDesk: Send + Sync + 'static {
    fn managed_groups(&self, cookie_headers: Vec<String>) -> BoxFuture<Result<Vec<GroupChoice>, String>>;
    fn invite(&self, cookie_headers: Vec<String>, email: String, group: String, role: Role) -> BoxFuture<Result<InvitationMade, String>>;
    fn audit(&self, cookie_headers: Vec<String>) -> BoxFuture<Result<Vec<AuditLine>, String>>;
}

#[cfg(feature = "ssr")]
pub use crate::programme_api::BoxFuture;

/// The server's [`GroupDesk`], provided as context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct GroupDeskSource(pub std::sync::Arc<dyn GroupDesk>);

#[cfg(feature = "ssr")]
fn desk() -> Result<GroupDeskSource, ServerFnError> {
    use_context::<GroupDeskSource>().ok_or_else(|| ServerFnError::new("groups are not available"))
}

/// The groups the session manages (all of them for the Secretariat's managers).
#[server(prefix = "/_app", endpoint = "managed_groups", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_managed_groups() -> Result<Vec<GroupChoice>, ServerFnError> {
    desk()?.0.managed_groups(crate::programme_api::request_cookies()).await.map_err(ServerFnError::new)
}

/// Makes an invitation (a POST: it changes something).
#[server(prefix = "/_app", endpoint = "invite")]
pub async fn make_invitation(email: String, group: String, role: String) -> Result<InvitationMade, ServerFnError> {
    let role = Role::parse(&role).ok_or_else(|| ServerFnError::new(format!("{role:?} is not a role")))?;
    desk()?.0.invite(crate::programme_api::request_cookies(), email, group, role).await.map_err(ServerFnError::new)
}

/// The newest audit entries, for the Secretariat's managers.
#[server(prefix = "/_app", endpoint = "audit", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_audit() -> Result<Vec<AuditLine>, ServerFnError> {
    desk()?.0.audit(crate::programme_api::request_cookies()).await.map_err(ServerFnError::new)
}

/// A server function's error as the sentence the server wrote.
fn sentence(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(text) => text.clone(),
        other => other.to_string(),
    }
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let groups = Resource::new(|| (), |_| get_managed_groups());
    let audit = Resource::new(|| (), |_| get_audit());
    view! {
        <Title text="Groups"/>
        <h1>"Groups"</h1>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading your groups…"</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Err(e) => view! { <p class="note">{sentence(&e)}</p> }.into_any(),
                    Ok(groups) if groups.is_empty() => view! {
                        <p class="note">"You manage no group. A group's managers invite people into it; ask the Secretariat."</p>
                    }.into_any(),
                    Ok(groups) => view! { <InviteForm groups=groups/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { audit.await.ok().map(|lines| view! { <AuditLog lines=lines/> }) })}
        </Suspense>
    }
}

#[component]
fn InviteForm(groups: Vec<GroupChoice>) -> impl IntoView {
    // A plain form and a direct call: Leptos's ActionForm would add its form-decoding
    // machinery to the bundle (about 50 KB gzip) for this one form.
    let email = NodeRef::<leptos::html::Input>::new();
    let group = NodeRef::<leptos::html::Select>::new();
    let role = NodeRef::<leptos::html::Select>::new();
    let result = RwSignal::new(None::<Result<InvitationMade, String>>);
    let pending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email = email.get().map(|e| e.value()).unwrap_or_default();
        let group = group.get().map(|g| g.value()).unwrap_or_default();
        let role = role.get().map(|r| r.value()).unwrap_or_default();
        pending.set(true);
        leptos::task::spawn_local(async move {
            result.set(Some(make_invitation(email, group, role).await.map_err(|e| sentence(&e))));
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

/// A time as `2026-11-27 14:05 UTC`: the same on the server and in the browser, and the same
/// for every delegate whatever their time zone.
pub fn utc(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000);
    let (days, minute_of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", minute_of_day / 60, minute_of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn times_read_the_same_everywhere() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_795_740_300_000), "2026-11-27 00:45 UTC");
        assert_eq!(utc(-60_000), "1969-12-31 23:59 UTC");
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

#[component]
fn AuditLog(lines: Vec<AuditLine>) -> impl IntoView {
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
