//! The "this device" page (`/device`): what this browser keeps for working offline. Which
//! documents are kept and how many of their changes are not sent yet, how much of the local
//! store is used and whether the browser promised to keep it (persistent storage), removing
//! copies kept only for reading, and what to keep (every ToR, all but group-only ones, only
//! what is opened); and the answers to evaluation forms not sent yet (`UnsentAnswers`). Only the browser knows any of it: the server renders the frame, the
//! [`report::DeviceReport`] island fills it in once the page is interactive (until then, and
//! without JavaScript, the page says it needs it).

mod report;
// Used by the browser's half (and tested on the host).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub mod storage;

use leptos::prelude::*;
use leptos_meta::Title;
use report::DeviceReport;

#[component]
pub fn DevicePage() -> impl IntoView {
    // The titles of the ToRs this session may read: the island names the kept copies with them.
    let tors = Resource::new(|| (), |_| crate::programme_api::get_my_tors());
    view! {
        <Title text="This device"/>
        <h1>"This device"</h1>
        <p>
            "Programme Desk keeps the documents you work on in this browser, so that they open and can be changed with no network; "
            "your changes are sent when the connection is back. This page shows what is kept here."
        </p>
        // Shown until the page is interactive (style/main.css): without JavaScript, for good.
        <p class="note until-interactive">"This page reads what this browser keeps, which takes JavaScript. Without it, nothing is kept on this device."</p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Reading what this device keeps…"</p> }>
            {move || Suspend::new(async move {
                let titles = tors.await.unwrap_or_default().into_iter().map(|tor| (tor.id, tor.title)).collect();
                view! { <DeviceReport titles/> }
            })}
        </Suspense>
        <crate::pages::evaluations::UnsentAnswers always=true/>
    }
}
