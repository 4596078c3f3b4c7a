//! One thread as a card: its words, body, replies, suggestion, status and actions; bodies
//! always rendered as text (links split out, never markup).

// On the server the actions below compile to nothing (no button is ever pressed there).
#![cfg_attr(not(feature = "hydrate"), allow(unused_variables, dead_code))]

use super::*;

#[component]
pub(super) fn ThreadCard(id: String) -> impl IntoView {
    let ui = expect_context::<CommentsUi>();
    let thread_id = StoredValue::new(id.clone());
    let placed = move || ui.threads.with(|t| t.iter().find(|p| p.thread.id == thread_id.get_value()).cloned());
    let replying = RwSignal::new(false);
    let editing = RwSignal::new(None::<Option<String>>);
    let run = move |result: Result<(), String>| ui.report(result);
    let show_words = move |_| {
        if let Some(PlacedThread { place: Resolved::At { section, start, end }, .. }) = placed() {
            ui.active.set(Some(thread_id.get_value()));
            let _ = (section, start, end);
            #[cfg(feature = "hydrate")]
            crate::browser::select_in_field(&ui.doc.get_value(), section, start, end);
        }
    };
    view! {
        <li class="thread" id=format!("thread-{id}") data-thread=id.clone()
            class:active=move || ui.active.get().as_deref() == Some(thread_id.get_value().as_str())>
            {move || placed().map(|PlacedThread { thread, place }| {
                let mine = thread.author.id == ui.me.get();
                let orphaned = place == Resolved::Orphaned;
                let resolved = thread.status == Status::Resolved;
                view! {
                    {if orphaned {
                        view! { <p class="quote orphan">"Orphaned — the words were deleted: “"{thread.anchor.quote.clone()}"”"</p> }.into_any()
                    } else {
                        view! { <button type="button" class="quote" on:click=show_words>"“"{thread.anchor.quote.clone()}"”"</button> }.into_any()
                    }}
                    <Entry name=thread.author.name.clone() at=thread.created_ms edited=thread.edited_ms body=thread.body.clone()/>
                    {thread.status_changed.clone().map(|(by, at)| view! {
                        <p class="meta">{if resolved { "Resolved by " } else { "Reopened by " }}{by.name}" · "{when(at)}</p>
                    })}
                    {thread.suggestion.clone().map(|suggestion| view! {
                        <div class="suggestion">
                            <p>"Suggests: "<ins>{suggestion.text.clone()}</ins></p>
                            {match suggestion.decision {
                                Some((Decision::Accepted, by, at)) => view! {
                                    <p class="meta">{format!("Accepted by {} · {}", by.name, when(at))}</p>
                                    <div class="actions">
                                        <button type="button" on:click=move |_| {
                                            run(in_browser!(crate::browser::comments::undo_accept(&ui.doc.get_value(), &thread_id.get_value())));
                                        }>"Undo accepting"</button>
                                    </div>
                                }.into_any(),
                                Some((decision, by, at)) => view! {
                                    <p class="meta">{format!("{decision:?} by {} · {}", by.name, when(at))}</p>
                                }.into_any(),
                                None => view! {
                                    {suggestion.undone.clone().map(|(by, at)| view! {
                                        <p class="meta">{format!("Acceptance undone by {} · {}", by.name, when(at))}</p>
                                    })}
                                    <div class="actions">
                                        <button type="button" disabled=orphaned on:click=move |_| {
                                            run(in_browser!(crate::browser::comments::accept(&ui.doc.get_value(), &thread_id.get_value())));
                                        }>"Accept"</button>
                                        <button type="button" on:click=move |_| {
                                            run(in_browser!(crate::browser::comments::reject(&ui.doc.get_value(), &thread_id.get_value())));
                                        }>"Reject"</button>
                                    </div>
                                }.into_any(),
                            }}
                        </div>
                    })}
                    <ol class="replies">
                        {thread.replies.iter().map(|reply| {
                            let reply_id = StoredValue::new(reply.id.clone());
                            let own = reply.author.id == ui.me.get() && reply.body.is_some();
                            view! {
                                <li class="reply">
                                    <Entry name=reply.author.name.clone() at=reply.created_ms edited=reply.edited_ms body=reply.body.clone()/>
                                    {own.then(|| view! {
                                        <div class="actions">
                                            <button type="button" on:click=move |_| editing.set(Some(Some(reply_id.get_value())))>"Edit"</button>
                                            <button type="button" on:click=move |_| {
                                                run(in_browser!(crate::browser::comments::delete(&ui.doc.get_value(), &thread_id.get_value(), Some(&reply_id.get_value()))));
                                            }>"Delete"</button>
                                        </div>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <div class="actions">
                        <button type="button" on:click=move |_| replying.update(|r| *r = !*r)>"Reply"</button>
                        <button type="button" on:click=move |_| {
                            let status = if resolved { Status::Open } else { Status::Resolved };
                            let _ = status;
                            run(in_browser!(crate::browser::comments::set_status(&ui.doc.get_value(), &thread_id.get_value(), status)));
                        }>{if resolved { "Reopen" } else { "Resolve" }}</button>
                        {(mine && thread.body.is_some()).then(|| view! {
                            <button type="button" on:click=move |_| editing.set(Some(None))>"Edit"</button>
                            <button type="button" on:click=move |_| {
                                run(in_browser!(crate::browser::comments::delete(&ui.doc.get_value(), &thread_id.get_value(), None)));
                            }>"Delete"</button>
                        })}
                        {orphaned.then(|| view! {
                            <ReattachButtons thread=thread_id.get_value()/>
                        })}
                    </div>
                }
            })}
            {move || replying.get().then(|| view! {
                <TextForm label="Reply" initial=String::new() on_send=move |body: String| {
                    let ok = run(in_browser!(crate::browser::comments::reply(&ui.doc.get_value(), &thread_id.get_value(), &body)));
                    if ok { replying.set(false); }
                    ok
                }/>
            })}
            {move || editing.get().map(|reply: Option<String>| {
                let initial = placed().and_then(|p| match &reply {
                    None => p.thread.body.clone(),
                    Some(r) => p.thread.replies.iter().find(|x| &x.id == r).and_then(|x| x.body.clone()),
                }).unwrap_or_default();
                view! {
                    <TextForm label="Edit" initial=initial on_send=move |body: String| {
                        let ok = run(in_browser!(crate::browser::comments::edit(&ui.doc.get_value(), &thread_id.get_value(), reply.as_deref(), &body)));
                        if ok { editing.set(None); }
                        ok
                    }/>
                }
            })}
        </li>
    }
}

/// Re-attaching an orphan: pick the words in a section, then confirm in the draft form.
#[component]
pub(super) fn ReattachButtons(thread: String) -> impl IntoView {
    let ui = expect_context::<CommentsUi>();
    let thread = StoredValue::new(thread);
    let section = RwSignal::new(TorSection::Purpose);
    view! {
        <label class="visually-hidden" for=format!("reattach-{}", thread.get_value())>"Section to re-attach to"</label>
        <select id=format!("reattach-{}", thread.get_value()) on:change=move |ev| {
            if let Some(s) = TorSection::from_root_name(&event_target_value(&ev)) { section.set(s) }
        }>
            {TorSection::ALL.into_iter().map(|s| view! { <option value=s.root_name()>{s.label()}</option> }).collect_view()}
        </select>
        <button type="button" on:click=move |_| ui.start_draft(section.get(), Some(thread.get_value()))>
            "Re-attach to the words selected there"
        </button>
    }
}

/// One comment or reply: who, when, and the text (or "deleted").
#[component]
pub(super) fn Entry(name: String, at: u64, edited: Option<u64>, body: Option<String>) -> impl IntoView {
    view! {
        <p class="meta"><span class="author">{name}</span>" · "{when(at)}{edited.map(|e| format!(" · edited {}", when(e)))}</p>
        {match body {
            Some(body) => view! { <p class="body">{body_with_links(&body)}</p> }.into_any(),
            None => view! { <p class="body deleted">"deleted"</p> }.into_any(),
        }}
    }
}

/// A body as text, its web addresses as links (text too; see `doc::split_links`).
pub(super) fn body_with_links(body: &str) -> Vec<AnyView> {
    split_links(body)
        .into_iter()
        .map(|piece| match piece {
            BodyPiece::Text(text) => text.to_owned().into_any(),
            BodyPiece::Link(address) => view! {
                <a href=address.to_owned() rel="noopener noreferrer nofollow ugc" target="_blank">{address.to_owned()}</a>
            }
            .into_any(),
        })
        .collect()
}

/// A one-field form (reply, edit): sends, and keeps the text if sending was refused.
#[component]
pub(super) fn TextForm(label: &'static str, initial: String, on_send: impl Fn(String) -> bool + 'static) -> impl IntoView {
    let field = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let _ = field.focus();
        }
    });
    view! {
        <form class="text-form" on:submit=move |ev| {
            ev.prevent_default();
            if let Some(field) = field.get() {
                if on_send(field.value()) {
                    field.set_value("");
                }
            }
        }>
            <label>{label}<textarea node_ref=field rows="2" maxlength="10000">{initial}</textarea></label>
            <button type="submit">{label}</button>
        </form>
    }
}

/// A time for people: the browser's local date and time.
pub(super) fn when(ms: u64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        String::from(date.to_locale_string("en-GB", &wasm_bindgen::JsValue::UNDEFINED))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format!("{ms}")
    }
}
