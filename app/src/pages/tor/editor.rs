//! The editor around the fields: the sections, who is here, and the name I show as.

use super::*;

/// The whole editor, with the comments panel and the print view: one view, so the fields,
/// the panel and the carets share one reactive state (`CommentsUi`); the island around it is
/// [`super::loader::Editor`]. `subject`: the action's or permanent activity's id;
/// `considerations`: the seed's considerations for ToRs, shown as hints.
#[component]
pub(super) fn EditorBody(subject: String, considerations: Vec<String>) -> impl IntoView {
    // The server checked the id before rendering the island; props that do not name a ToR
    // (edited by hand in the page) render nothing.
    let Ok(doc) = DocId::terms_of_reference(&subject) else { return ().into_any() };
    let live = Live::get();
    CommentsUi::provide(doc.clone());
    #[cfg(feature = "hydrate")]
    {
        let opened = doc.clone();
        Effect::new(move |_| {
            crate::browser::join_doc(&opened);
        });
        let left = doc.clone();
        on_cleanup(move || crate::browser::leave(&left));
    }
    let doc_for_people = doc.clone();
    let hydrated = crate::live::hydrated();
    let people = move || {
        live.presence.track();
        live.status.track();
        if hydrated.get() {
            people_here(&doc_for_people)
        } else {
            Vec::new()
        }
    };
    let texts = Resource::new(
        {
            let subject = doc.subject().to_owned();
            move || subject.clone()
        },
        get_tor_text,
    );
    let fields_doc = doc.clone();
    let fields = move || {
        let (doc, considerations) = (fields_doc.clone(), considerations.clone());
        Suspend::new(async move {
            // Offline with nothing cached, the fields start empty and fill from this browser,
            // editable (the server refuses the change later if it must, and says so).
            let texts = texts.await.unwrap_or(TorText { sections: Vec::new(), may_edit: true });
            let may_edit = texts.may_edit;
            let note = (!may_edit).then(|| {
                view! {
                    <p class="note" role="note">"You may read this text and comment on it; editing it takes an editor role in the group that owns it."</p>
                }
            });
            let fields = TorSection::ALL
                .into_iter()
                .enumerate()
                .map(|(i, section)| {
                    let hint = match section {
                        TorSection::ExistingWork => considerations.first().cloned(),
                        TorSection::Synergies => considerations.get(1).cloned(),
                        TorSection::ExpectedResults => considerations.get(2).cloned(),
                        _ => None,
                    };
                    let text = texts.sections.get(i).cloned().unwrap_or_default();
                    let used = text.encode_utf16().count() as u32;
                    let initial = textarea_text(text);
                    view! { <Field doc=doc.clone() section=section hint=hint initial=initial used=used may_edit=may_edit/> }
                })
                .collect_view();
            view! { {note} {fields} }
        })
    };
    view! {
        <section class="presence" aria-labelledby="presence-h">
            <h2 id="presence-h" class="visually-hidden">"People in this document"</h2>
            <ul class="people" aria-live="polite">
                {move || people().into_iter().map(|(name, color, me)| view! {
                    <li class:me=me style=format!("--peer: {color}")>
                        <span class="person-dot" aria-hidden="true"></span>
                        {name}{me.then_some(" (you)")}
                    </li>
                }).collect_view()}
            </ul>
            <NameField doc=doc.clone()/>
        </section>
        <div class="tor-layout">
            <form class="tor-form" on:submit=|ev| ev.prevent_default()>
                <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the terms of reference…"</p> }>
                    {fields}
                </Suspense>
            </form>
            <CommentsPanel/>
        </div>
        <PrintView doc=doc.clone()/>
    }
    .into_any()
}

/// Everyone here, me first: (name, colour, is me).
pub(super) fn people_here(doc: &DocId) -> Vec<(String, String, bool)> {
    #[cfg(feature = "hydrate")]
    {
        let (_, others, me) = crate::browser::presence_of(doc);
        me.into_iter().map(|u| (u.name, u.color, true)).chain(others.into_iter().map(|u| (u.name, u.color, false))).collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = doc;
        Vec::new()
    }
}

#[component]
pub(super) fn NameField(doc: DocId) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let _ = (&ev, &doc);
        #[cfg(feature = "hydrate")]
        {
            crate::browser::rename(&event_target_value(&ev));
            crate::browser::set_caret(&doc, None);
        }
    };
    // Signed in, people see the account's name and delegation: nothing to type.
    let session = Resource::new(|| (), |_| crate::programme_api::get_session());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let on_change = on_change.clone();
                Suspend::new(async move {
                    match session.await {
                        Ok(Some(me)) => view! { <p class="name-field">"Others see you as "<strong>{me.shown_as}</strong>"."</p> }.into_any(),
                        _ => view! {
                            <p class="name-field">
                                <label for="my-name">"Your name, as others see it"</label>
                                <input id="my-name" type="text" maxlength="60" autocomplete="name" on:change=on_change/>
                            </p>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
