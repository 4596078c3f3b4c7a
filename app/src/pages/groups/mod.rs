//! The group managers' page (`/groups`): invite someone into a group one manages (the link
//! to send them is shown once), and for the Secretariat's managers the list of delegations
//! (`delegations.rs`, plain forms) and the audit log. The server
//! answers through its backend (accounts live there); every answer is checked against the
//! request's session, so the page offers nothing the JSON API would refuse.

mod audit;
mod delegations;
mod invite;
mod managed;

pub use audit::get_audit;
pub use invite::make_invitation;
pub use managed::get_managed_groups;

use audit::AuditLog;
use delegations::Delegations;
use invite::InviteForm;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// A group the session may invite into: (id, name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: String,
    pub name: String,
}

/// What the groups page offers the session: the groups it may invite into, the delegations
/// an invitation may name, and whether it keeps that list (the Secretariat's managers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Managing {
    pub groups: Vec<GroupChoice>,
    pub delegations: Vec<String>,
    pub keeps_delegations: bool,
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
                    Ok(managing) if managing.groups.is_empty() => view! {
                        <p class="note">"You manage no group. A group's managers invite people into it; ask the Secretariat."</p>
                    }.into_any(),
                    Ok(managing) => view! {
                        <InviteForm groups=managing.groups delegations=managing.delegations.clone()/>
                        {managing.keeps_delegations.then(|| view! { <Delegations delegations=managing.delegations/> })}
                    }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { audit.await.ok().map(|lines| view! { <AuditLog lines=lines/> }) })}
        </Suspense>
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
