//! The print view: the whole ToR as plain text, for paper and PDF.

use super::*;

/// The document as it prints (the browser's "print to PDF"): each section's text with a
/// footnote number after every commented passage, and the comments as footnotes. Hidden on
/// screen; drawn from this tab's replica once hydrated, so it needs JavaScript (without it the
/// fields print).
#[component]
pub(super) fn PrintView(doc: DocId) -> impl IntoView {
    let live = Live::get();
    let comments = expect_context::<CommentsUi>();
    let hydrated = crate::live::hydrated();
    move || {
        live.texts.track();
        if !hydrated.get() {
            return None;
        }
        let threads = comments.threads.get();
        let number = |id: &str| threads.iter().position(|p| p.thread.id == id).map(|i| i + 1).unwrap_or(0);
        let sections = TorSection::ALL
            .into_iter()
            .map(|section| {
                let text = section_text(&doc, section);
                let marks: Vec<(u32, u32, String)> = threads
                    .iter()
                    .filter_map(|p| match p.place {
                        crate::doc::Resolved::At { section: s, start, end } if s == section => Some((start, end, p.thread.id.clone())),
                        _ => None,
                    })
                    .collect();
                let body = overlay_pieces(&text, &[], &marks)
                    .into_iter()
                    .map(|piece| match piece {
                        Piece::Text { text, thread: Some(id) } => view! { {text}<sup>{number(&id)}</sup> }.into_any(),
                        Piece::Text { text, thread: None } => text.into_any(),
                        Piece::Caret { .. } => ().into_any(),
                    })
                    .collect_view();
                view! { <h2>{section.label()}</h2><p class="print-text">{body}</p> }
            })
            .collect_view();
        let notes = threads
            .iter()
            .map(|p| {
                let t = &p.thread;
                let replies = t.replies.iter().map(|r| format!(" — {}: {}", r.author.name, r.body.as_deref().unwrap_or("deleted"))).collect::<String>();
                view! {
                    <li>"“"{t.anchor.quote.clone()}"” — "<strong>{t.author.name.clone()}</strong>": "
                        {t.body.clone().unwrap_or_else(|| "deleted".into())}{replies}</li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="print-only" aria-hidden="true">
                {sections}
                <ol class="footnotes">{notes}</ol>
            </section>
        })
    }
}

/// A section's text in this tab's replica (empty on the server).
pub(super) fn section_text(doc: &DocId, section: TorSection) -> String {
    #[cfg(feature = "hydrate")]
    return crate::browser::section_text(doc, section);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (doc, section);
        String::new()
    }
}
