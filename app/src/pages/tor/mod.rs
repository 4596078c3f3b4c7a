//! The terms of reference of an action or a permanent activity: nine plain-text sections that
//! several people edit at once, live or offline, with who is here and where their carets are.
//! The server renders the page with each section's text as it has it, read-only; once the
//! page is interactive, the tab's local replica (`crate::browser`) takes the fields over and
//! makes them editable.

mod carets;
mod editor;
mod field;
mod loader;
mod print;
mod text;

use super::comments::{CommentsPanel, CommentsUi};
use super::not_found::NotFound;
use super::overlay::{overlay_pieces, Piece};
use super::parts::textarea_text;
use crate::doc::{DocId, TorSection, MAX_SECTION_UNITS, SECTION_WARN_UNITS};
use crate::layout::{ProgrammeView, WithProgramme};
use crate::live::Live;
use crate::model::Programme;
use carets::*;
use editor::*;
use field::*;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use loader::Editor;
use print::*;
use std::sync::Arc;
use text::*;

/// What a ToR is about, looked up in the programme.
struct Subject {
    title: String,
    /// Where the subject's own page is.
    href: String,
    /// What the outputs section starts with (the matrix's outputs of an action).
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    outputs: Option<String>,
}

fn subject(p: &Programme, id: &str) -> Option<Subject> {
    if let Some(action) = p.action(id) {
        let outputs = action.outputs.iter().map(|o| o.label()).collect::<Vec<_>>().join("\n");
        return Some(Subject { title: action.title.clone(), href: format!("/actions/{id}"), outputs: Some(outputs) });
    }
    p.permanent_activity(id).map(|a| Subject { title: a.name.clone(), href: format!("/permanent-activities#{id}"), outputs: None })
}

/// The title of the action or permanent activity a ToR is about.
#[cfg(feature = "ssr")]
pub fn subject_title(p: &Programme, id: &str) -> Option<String> {
    subject(p, id).map(|s| s.title)
}

/// The outputs a ToR is pre-filled with (None for permanent activities).
#[cfg(feature = "ssr")]
pub fn outputs_prefill(p: &Programme, doc: &DocId) -> Option<String> {
    subject(p, doc.subject()).and_then(|s| s.outputs)
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
        <Editor subject=doc.subject().to_owned() considerations=considerations/>
    })
}
