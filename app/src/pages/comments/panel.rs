//! The panel itself: its filters and list, and the form for a new comment.

// On the server the actions below compile to nothing (no button is ever pressed there).
#![cfg_attr(not(feature = "hydrate"), allow(unused_variables, dead_code))]

use super::*;

#[component]
pub fn CommentsPanel() -> impl IntoView {
    let ui = expect_context::<CommentsUi>();
    let open_count = move || ui.threads.with(|t| t.iter().filter(|p| Filter::Open.keeps(p, "")).count());
    let listed = move || {
        let (filter, me) = (ui.filter.get(), ui.me.get());
        ui.threads.with(|threads| threads.iter().filter(|p| filter.keeps(p, &me)).map(|p| p.thread.id.clone()).collect::<Vec<_>>())
    };
    let export = format!("/api/v1/tor/{}.md", ui.doc.with_value(|d| d.subject().to_owned()));
    view! {
        <aside class="comments-panel" class:open=move || ui.sheet_open.get() aria-labelledby="comments-h">
            <button type="button" class="sheet-toggle" aria-controls="comments-body"
                aria-expanded=move || ui.sheet_open.get().to_string()
                on:click=move |_| ui.sheet_open.update(|open| *open = !*open)>
                "Comments · " {open_count} " open"
            </button>
            <div id="comments-body" class="comments-body">
                <h2 id="comments-h">"Comments"</h2>
                <noscript><p class="note">"Comments need JavaScript."</p></noscript>
                <div class="filters" role="group" aria-label="Show comments">
                    {Filter::ALL.into_iter().map(|filter| {
                        let count = move || ui.threads.with(|t| t.iter().filter(|p| filter.keeps(p, &ui.me.get())).count());
                        view! {
                            <button type="button" aria-pressed=move || (ui.filter.get() == filter).to_string()
                                on:click=move |_| ui.filter.set(filter)>
                                {filter.label()} " (" {count} ")"
                            </button>
                        }
                    }).collect_view()}
                </div>
                {move || ui.notice.get().map(|notice| view! { <p class="comment-notice" role="alert">{notice}</p> })}
                {move || ui.draft.get().map(|draft| view! { <DraftForm draft=draft/> })}
                <ol class="threads">
                    <For each=listed key=|id| id.clone() let:id>
                        <ThreadCard id=id/>
                    </For>
                </ol>
                {move || listed().is_empty().then(|| view! { <p class="empty">"No comments here."</p> })}
                <p class="export"><a href=export.clone() download="">"Download with comments (Markdown)"</a></p>
            </div>
        </aside>
    }
}

#[component]
pub(super) fn DraftForm(draft: Draft) -> impl IntoView {
    let ui = expect_context::<CommentsUi>();
    let body = NodeRef::<leptos::html::Textarea>::new();
    let suggestion = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(body) = body.get() {
            let _ = body.focus();
        }
    });
    let reattach = draft.reattach.clone();
    let submit = {
        let draft = draft.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let doc = ui.doc.get_value();
            let text = body.get().map(|b| b.value()).unwrap_or_default();
            let proposed = suggestion.get().map(|s| s.value()).filter(|s| !s.is_empty());
            let _ = (&doc, &text, &proposed);
            let result = match &draft.reattach {
                Some(thread) => in_browser!(crate::browser::comments::reattach(&doc, thread, draft.section, draft.start, draft.end)),
                None => in_browser!(crate::browser::comments::add(&doc, draft.section, draft.start, draft.end, &text, proposed)),
            };
            if ui.report(result) {
                ui.draft.set(None);
            }
        }
    };
    view! {
        <form class="draft" on:submit=submit>
            <p class="quote">{if reattach.is_some() { "Re-attach to: " } else { "On: " }}"“"{draft.quote.clone()}"”"</p>
            {reattach.is_none().then(|| view! {
                <label for="draft-body">"Comment"</label>
                <textarea id="draft-body" node_ref=body rows="3" maxlength="10000"></textarea>
                <label for="draft-suggestion">"Suggest replacement text (optional)"</label>
                <textarea id="draft-suggestion" node_ref=suggestion rows="2" maxlength="10000"></textarea>
            })}
            <div class="actions">
                <button type="submit">{if reattach.is_some() { "Re-attach" } else { "Add comment" }}</button>
                <button type="button" on:click=move |_| ui.draft.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
