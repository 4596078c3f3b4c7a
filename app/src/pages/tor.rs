//! The terms of reference of an action or a permanent activity: nine plain-text sections that
//! several people edit at once, live or offline, with who is here and where their carets are.
//! The server renders the page with each section's text as it has it, read-only; once the
//! page is interactive, the tab's local replica (`crate::browser`) takes the fields over and
//! makes them editable.

use super::comments::{CommentsPanel, CommentsUi};
use super::not_found::NotFound;
use super::overlay::{overlay_pieces, Piece};
use crate::doc::{DocId, TorSection, MAX_SECTION_UNITS, SECTION_WARN_UNITS};
use crate::layout::{ProgrammeView, WithProgramme};
use crate::live::Live;
use crate::model::Programme;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

/// What a ToR is about, looked up in the programme.
struct Subject {
    title: String,
    /// Where the subject's own page is.
    href: String,
    /// What the outputs section starts with (the matrix's outputs of an action).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    outputs: Option<String>,
}

fn subject(p: &Programme, id: &str) -> Option<Subject> {
    if let Some(action) = p.action(id) {
        let outputs = action.outputs.iter().map(|o| o.label()).collect::<Vec<_>>().join("\n");
        return Some(Subject { title: action.title.clone(), href: format!("/actions/{id}"), outputs: Some(outputs) });
    }
    p.permanent_activity(id).map(|a| Subject { title: a.name.clone(), href: format!("/permanent-activities#{id}"), outputs: None })
}

/// The outputs a ToR is pre-filled with (None for permanent activities).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn outputs_prefill(p: &Programme, doc: &DocId) -> Option<String> {
    subject(p, doc.subject()).and_then(|s| s.outputs)
}

/// The text of each section (in `TorSection::ALL` order) as the server has it: what the page
/// shows before the browser's replica takes over, and all it shows without JavaScript.
/// A GET, so the service worker keeps the last answer for offline use.
/// A ToR's stored text, section by section, and whether the session may edit it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TorText {
    pub sections: Vec<String>,
    pub may_edit: bool,
}

#[server(prefix = "/_app", endpoint = "tor_text", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_tor_text(id: String) -> Result<TorText, ServerFnError> {
    use crate::doc::TorDoc;
    use crate::programme_api::{DocSource, ProgrammeSource};
    let doc = DocId::terms_of_reference(&id).map_err(|e| ServerFnError::new(e.to_string()))?;
    let programme = use_context::<ProgrammeSource>().ok_or_else(|| ServerFnError::new("the programme is not loaded"))?;
    if !doc.exists_in(&programme.0) || !crate::programme_api::may_read(&doc).await {
        return Err(ServerFnError::new(format!("there is no document {doc}")));
    }
    let source = use_context::<DocSource>().ok_or_else(|| ServerFnError::new("documents are not available"))?;
    let replica = TorDoc::new(0);
    if let Some(stored) = source.0.load(doc.clone()).await.map_err(ServerFnError::new)? {
        replica.apply_update(&stored).map_err(|e| ServerFnError::new(e.to_string()))?;
    }
    let may_edit = crate::programme_api::may(&doc, crate::access::Action::Edit).await;
    Ok(TorText { sections: TorSection::ALL.into_iter().map(|section| replica.text(section)).collect(), may_edit })
}

#[component]
pub fn TorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! { <WithProgramme render=ProgrammeView::new(move |p: Arc<Programme>| move || tor_page(&p, &id()))/> }
}

fn tor_page(p: &Programme, id: &str) -> impl IntoView + use<> {
    let (Some(subject), Ok(doc)) = (subject(p, id), DocId::terms_of_reference(id)) else {
        return Either::Right(view! { <NotFound what="There is no action or permanent activity with this id."/> });
    };
    let considerations = p.working_methods.terms_of_reference.considerations.clone();
    Either::Left(view! {
        <Title text=format!("Terms of reference: {}", subject.title)/>
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/">"Overview"</a>" › "<a href=subject.href.clone()>{subject.title.clone()}</a>
        </nav>
        <p class="kicker">"Terms of reference"</p>
        <h1>{subject.title.clone()}</h1>
        <noscript>
            <p class="note">"Editing terms of reference together needs JavaScript."</p>
        </noscript>
        <Editor doc=doc considerations=considerations/>
    })
}

#[component]
fn Editor(doc: DocId, considerations: Vec<String>) -> impl IntoView {
    let live = expect_context::<Live>();
    CommentsUi::provide(doc.clone());
    #[cfg(feature = "hydrate")]
    {
        let opened = doc.clone();
        Effect::new(move |_| {
            crate::browser::open_doc(&opened, None);
            crate::browser::set_caret(&opened, None);
        });
        let left = doc.clone();
        on_cleanup(move || crate::browser::leave(&left));
    }
    let doc_for_people = doc.clone();
    let people = move || {
        live.presence.track();
        live.status.track();
        people_here(&doc_for_people)
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
}

/// Everyone here, me first: (name, colour, is me).
fn people_here(doc: &DocId) -> Vec<(String, String, bool)> {
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
fn NameField(doc: DocId) -> impl IntoView {
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

/// A section's field. `used`: the length of its text in UTF-16 code units, as browsers
/// count `maxlength`; the field stops at [`MAX_SECTION_UNITS`] and, from
/// [`SECTION_WARN_UNITS`] on, says how much of it is used, before the limit is reached.
#[component]
fn Field(doc: DocId, section: TorSection, hint: Option<String>, initial: String, used: u32, may_edit: bool) -> impl IntoView {
    let comments = expect_context::<CommentsUi>();
    let field_id = format!("tor-{}", section.root_name());
    let hint_id = format!("{field_id}-hint");
    let count_id = format!("{field_id}-count");
    let used = RwSignal::new(used);
    let near_limit = move || used.get() >= SECTION_WARN_UNITS;
    let described_by = {
        let (hint_id, count_id, has_hint) = (hint_id.clone(), count_id.clone(), hint.is_some());
        move || {
            let ids: Vec<&str> = [has_hint.then_some(hint_id.as_str()), near_limit().then_some(count_id.as_str())].into_iter().flatten().collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    #[cfg(feature = "hydrate")]
    {
        // Text merged from elsewhere changes the count too.
        let (doc, live) = (doc.clone(), expect_context::<Live>());
        Effect::new(move |_| {
            live.texts.track();
            used.set(crate::browser::section_text(&doc, section).encode_utf16().count() as u32);
        });
    }
    let on_input = {
        let doc = doc.clone();
        move |ev: leptos::ev::Event| {
            let _ = (&ev, &doc);
            #[cfg(feature = "hydrate")]
            {
                let value = event_target_value(&ev);
                used.set(value.encode_utf16().count() as u32);
                crate::browser::edit_field(&doc, section, &value);
                report_caret(&doc, section, &ev);
            }
        }
    };
    let on_blur = {
        let doc = doc.clone();
        move |_: leptos::ev::FocusEvent| {
            let _ = &doc;
            #[cfg(feature = "hydrate")]
            crate::browser::set_caret(&doc, None);
        }
    };
    view! {
        <div class="tor-section">
            <label for=field_id.clone()>{section.label()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <div class="tor-field">
                <textarea
                    id=field_id
                    data-doc=doc.to_string()
                    data-section=section.root_name()
                    aria-describedby=described_by
                    rows="3"
                    maxlength=MAX_SECTION_UNITS
                    spellcheck="true"
                    // Editable once this browser's copy is ready, if the session may edit (see
                    // browser::fields::refresh).
                    readonly=true
                    data-may-edit=if may_edit { "true" } else { "false" }
                    on:input=on_input
                    on:select=caret_reporter(&doc, section)
                    on:keyup=caret_reporter(&doc, section)
                    on:click=caret_reporter(&doc, section)
                    on:mouseup=move |ev: leptos::ev::MouseEvent| {
                        let _ = &ev;
                        #[cfg(feature = "hydrate")]
                        if let Some(index) = caret_of(ev.as_ref()) {
                            comments.caret_at(section, index);
                        }
                    }
                    on:focus=caret_reporter(&doc, section)
                    on:blur=on_blur
                >{initial}</textarea>
                <Overlay doc=doc section=section/>
            </div>
            <p class="field-count" id=count_id aria-live="polite" hidden=move || !near_limit()>
                {move || section_count(used.get())}
            </p>
            <button type="button" class="comment-button" on:click=move |_| comments.start_draft(section, None)>
                "Comment on the selected words"<span class="visually-hidden">" in “"{section.label()}"”"</span>
            </button>
        </div>
    }
}

/// How much of a section's room is used, in words a person reads.
fn section_count(used: u32) -> String {
    let left = MAX_SECTION_UNITS.saturating_sub(used);
    if left == 0 {
        format!("This section is full ({} characters, the most one section holds). Shorten it to add more.", thousands(MAX_SECTION_UNITS))
    } else {
        format!("{} of {} characters used; {} left in this section.", thousands(used), thousands(MAX_SECTION_UNITS), thousands(left))
    }
}

/// 30000 → "30,000".
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An event handler that tells the others where my caret is now.
fn caret_reporter<E: AsRef<leptos::ev::Event>>(doc: &DocId, section: TorSection) -> impl Fn(E) + 'static {
    let doc = doc.clone();
    move |ev: E| {
        let _ = (&ev, &doc, section);
        #[cfg(feature = "hydrate")]
        report_caret(&doc, section, ev.as_ref());
    }
}

/// The collapsed caret of the field an event happened in.
#[cfg(feature = "hydrate")]
fn caret_of(ev: &leptos::ev::Event) -> Option<u32> {
    use wasm_bindgen::JsCast;
    let field = ev.target()?.dyn_into::<web_sys::HtmlTextAreaElement>().ok()?;
    let (start, end) = (field.selection_start().ok()??, field.selection_end().ok()??);
    (start == end).then_some(start)
}

#[cfg(feature = "hydrate")]
fn report_caret(doc: &DocId, section: TorSection, ev: &leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    let Some(field) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
    let (Ok(Some(start)), Ok(Some(end))) = (field.selection_start(), field.selection_end()) else { return };
    crate::browser::set_caret(doc, Some((section, start, end)));
}

/// What is drawn over a field: others' carets and the words of open comments (see
/// `super::overlay`). Clicking happens in the field itself (see `CommentsUi::caret_at`).
#[component]
fn Overlay(doc: DocId, section: TorSection) -> impl IntoView {
    let live = expect_context::<Live>();
    let comments = expect_context::<CommentsUi>();
    move || {
        live.texts.track();
        live.presence.track();
        let (text, carets) = carets_in(&doc, section);
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

/// The document as it prints (the browser's "print to PDF"): each section's text with a
/// footnote number after every commented passage, and the comments as footnotes. Hidden on
/// screen; drawn from this tab's replica, so it needs JavaScript (without it the fields print).
#[component]
fn PrintView(doc: DocId) -> impl IntoView {
    let live = expect_context::<Live>();
    let comments = expect_context::<CommentsUi>();
    move || {
        live.texts.track();
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
        view! {
            <section class="print-only" aria-hidden="true">
                {sections}
                <ol class="footnotes">{notes}</ol>
            </section>
        }
    }
}

/// A section's text in this tab's replica (empty on the server).
fn section_text(doc: &DocId, section: TorSection) -> String {
    #[cfg(feature = "hydrate")]
    return crate::browser::section_text(doc, section);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (doc, section);
        String::new()
    }
}

/// A section's text and the peers' carets in it, sorted: (position, name, colour).
fn carets_in(doc: &DocId, section: TorSection) -> (String, Vec<(u32, String, String)>) {
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

/// Text to put inside `<textarea>…</textarea>`. tachys writes a textarea's children into
/// server-rendered HTML unescaped (it counts textarea as raw text), so on the server the text
/// is escaped here, or a section holding `</textarea><script>` would break out of the field.
/// In the browser, children are DOM text nodes and need nothing.
fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    return html_escape::encode_text(&text).into_owned();
    #[cfg(not(feature = "ssr"))]
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_says_how_much_room_is_left_and_when_it_is_full() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(30_000), "30,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(section_count(24_000), "24,000 of 30,000 characters used; 6,000 left in this section.");
        assert!(section_count(MAX_SECTION_UNITS).starts_with("This section is full"));
    }
}
