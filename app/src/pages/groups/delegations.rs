//! The list of delegations (the member States), kept by the Secretariat's managers on the
//! groups page: plain forms posting to `/groups/delegations` (add) and
//! `/groups/delegations/remove`, which answer back here with `?delegations=<code>&name=…`
//! (works without JavaScript). Invitations name a delegation from this list.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the address says of the last change (`?delegations=<code>&name=<name>`).
fn outcome(code: &str, name: &str) -> (bool, String) {
    match code {
        "added" => (true, format!("{name} is on the list.")),
        "removed" => (true, format!("{name} was removed from the list.")),
        "in-use" => (false, format!("{name} stays on the list: accounts or open invitations name it.")),
        "unknown" => (false, format!("{name} is not on the list.")),
        "bad" if name.is_empty() => (false, "A delegation's name has 1 to 100 characters.".to_owned()),
        "bad" => (
            false,
            format!("“{name}” (as shown here) was not added: what was typed had more than 100 characters, or invisible characters (a zero-width space, a soft hyphen, a direction mark, a control character), often pasted with a name. Type the name again."),
        ),
        "forbidden" => (false, "Only the Secretariat's managers keep the list of delegations.".to_owned()),
        _ => (false, "That did not work. Try again.".to_owned()),
    }
}

#[component]
pub(super) fn Delegations(delegations: Vec<String>) -> impl IntoView {
    let query = use_query_map();
    let said = move || {
        let q = query.read();
        q.get("delegations").map(|code| outcome(&code, &q.get("name").unwrap_or_default()))
    };
    // A refused name comes back in the field (without what made it refused), to be corrected.
    let typed = move || query.read().get("delegations").filter(|code| code == "bad").and_then(|_| query.read().get("name")).unwrap_or_default();
    let count = match delegations.len() {
        1 => "1 delegation".to_owned(),
        n => format!("{n} delegations"),
    };
    view! {
        <section aria-labelledby="delegations-h" id="delegations">
            <h2 id="delegations-h">"Delegations"</h2>
            <p>{format!("The member States' delegations ({count}): an invitation names one of them, one answer per delegation counts in the mid-term evaluation, and its response rate is out of this list.")}</p>
            {move || said().map(|(done, text)| match done {
                true => view! { <p class="notice" role="status">{text}</p> }.into_any(),
                false => view! { <p class="error" role="alert">{text}</p> }.into_any(),
            })}
            <form class="delegation-add" method="post" action="/groups/delegations">
                <label>"Add a delegation"<input type="text" name="name" required maxlength="100" value=typed/></label>
                <button type="submit">"Add"</button>
            </form>
            <ul class="delegations">
                {delegations.into_iter().map(|name| {
                    let (value, label) = (name.clone(), format!("Remove {name}"));
                    view! {
                        <li>
                            <form method="post" action="/groups/delegations/remove">
                                <span>{name}</span>" "
                                <input type="hidden" name="name" value=value/>
                                <button type="submit" aria-label=label>"Remove"</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
