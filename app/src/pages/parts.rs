//! Small pieces several pages show: an action's format and outputs, a listing of points.

use crate::model::{Action, ActivityFormat, Listing, Output};
use leptos::prelude::*;

/// The activity format as a short badge.
#[component]
pub fn FormatBadge(format: ActivityFormat) -> impl IntoView {
    view! { <span class=format!("format format-{}", format.key())>{format.label()}</span> }
}

/// The expected outputs of an action, as a list.
#[component]
pub fn OutputList(outputs: Vec<Output>) -> impl IntoView {
    view! {
        <ul class="outputs" aria-label="Expected outputs">
            {outputs.into_iter().map(|o| view! { <li>{o.label()}</li> }).collect_view()}
        </ul>
    }
}

/// An action as one line of a list: link, format, outputs.
#[component]
pub fn ActionSummary(action: Action) -> impl IntoView {
    view! {
        <a href=format!("/actions/{}", action.id)>{action.title.clone()}</a>
        " "
        <FormatBadge format=action.format/>
        <OutputList outputs=action.outputs.clone()/>
    }
}

/// A lead sentence and its points; a point's label is emphasised as in the seed.
#[component]
pub fn ListingView(listing: Listing) -> impl IntoView {
    view! {
        <p>{listing.lead}</p>
        <ul class="points">
            {listing
                .points
                .into_iter()
                .map(|point| view! { <li>{point.label.map(|l| view! { <em>{l}</em> })}{point.text}</li> })
                .collect_view()}
        </ul>
    }
}

/// Text to put inside `<textarea>…</textarea>`, on every page that fills one in. tachys
/// writes a textarea's children into server-rendered HTML unescaped (it counts textarea as
/// raw text), so on the server the text is escaped here, or a text holding
/// `</textarea><meta http-equiv=refresh …>` would break out of the field (a ToR section, an
/// outcome report's note, a kept answer), and `&amp;` would come back as `&`. In the browser,
/// children are DOM text nodes and need nothing.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    return html_escape::encode_text(&text).into_owned();
    #[cfg(not(feature = "ssr"))]
    text
}
