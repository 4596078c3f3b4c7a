//! Others' carets and the highlighted words, drawn over a field.

use super::*;

/// What is drawn over a field: others' carets and the words of open comments (see
/// `super::overlay`). Clicking happens in the field itself (see `CommentsUi::caret_at`).
#[component]
pub(super) fn Overlay(doc: DocId, section: TorSection) -> impl IntoView {
    let live = Live::get();
    let comments = expect_context::<CommentsUi>();
    let hydrated = crate::live::hydrated();
    move || {
        live.texts.track();
        live.presence.track();
        let (text, carets) = if hydrated.get() { carets_in(&doc, section) } else { Default::default() };
        let highlights = comments.highlights(section);
        (!carets.is_empty() || !highlights.is_empty()).then(|| {
            let active = comments.active.get();
            let pieces = overlay_pieces(&text, &carets, &highlights)
                .into_iter()
                .map(|piece| match piece {
                    Piece::Text { text, thread: None } => text.into_any(),
                    Piece::Text { text, thread: Some(id) } => {
                        let is_active = active.as_deref() == Some(id.as_str());
                        view! { <mark class="comment-mark" class:active=is_active data-thread=id>{text}</mark> }.into_any()
                    }
                    Piece::Caret { name, color } => view! {
                        <span class="peer-caret" style=format!("--peer: {color}")><span class="peer-name">{name}</span></span>
                    }
                    .into_any(),
                })
                .collect_view();
            view! { <div class="caret-layer" aria-hidden="true">{pieces}" "</div> }
        })
    }
}

/// A section's text and the peers' carets in it, sorted: (position, name, colour).
pub(super) fn carets_in(doc: &DocId, section: TorSection) -> (String, Vec<(u32, String, String)>) {
    #[cfg(feature = "hydrate")]
    {
        let text = section_text(doc, section);
        let mut carets: Vec<_> = crate::browser::caret_positions(doc, section).into_iter().map(|c| (c.index, c.name, c.color)).collect();
        carets.sort();
        (text, carets)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (doc, section);
        (String::new(), Vec::new())
    }
}
