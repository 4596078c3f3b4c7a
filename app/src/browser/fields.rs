//! The ToR text fields in the page (`<textarea data-doc=… data-section=…>`): writing merged
//! text into them without moving the user's caret or losing their selection, and reading
//! peers' carets. The caret is kept as sticky positions taken before the merge and resolved
//! after it, so it stays next to the same characters whatever others typed.

use crate::doc::{DocId, Stick, TorDoc, TorSection};
use crate::sync::{LocalStore, PeerState, SyncEngine};
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;

const NAME_KEY: &str = "pd:name";

/// The focused field's selection, as sticky positions.
pub struct Caret {
    doc: DocId,
    section: TorSection,
    start: Vec<u8>,
    end: Vec<u8>,
}

fn field_identity(field: &HtmlTextAreaElement) -> Option<(DocId, TorSection)> {
    let doc = DocId::parse(&field.get_attribute("data-doc")?).ok()?;
    let section = TorSection::from_root_name(&field.get_attribute("data-section")?)?;
    Some((doc, section))
}

impl Caret {
    pub fn capture<S: LocalStore>(engine: &SyncEngine<S>) -> Option<Self> {
        let active = web_sys::window()?.document()?.active_element()?;
        let field = active.dyn_into::<HtmlTextAreaElement>().ok()?;
        let (doc, section) = field_identity(&field)?;
        let replica = engine.doc(&doc)?;
        let (start, end) = (field.selection_start().ok()??, field.selection_end().ok()??);
        // A caret follows what was typed before it; a selection keeps exactly its words
        // (what others type at its edges stays outside).
        let (start, end) = if start == end {
            let caret = replica.sticky(section, start, Stick::ToPrevious);
            (caret.clone(), caret)
        } else {
            (replica.sticky(section, start, Stick::ToNext), replica.sticky(section, end, Stick::ToPrevious))
        };
        Some(Self { doc, section, start, end })
    }
}

/// Marks an editor whose fields listen to typing (set by [`EarlyTyping::listen`] as the ToR
/// page becomes interactive, and by `pages/tor/loader.rs` once the editor is hydrated).
/// Fields outside one keep the server's text, read-only: what was typed there would reach no
/// replica.
pub const LIVE_EDITOR: &str = "data-live";

/// Typing in a ToR's fields before the editor's own wasm file has arrived (or when it never
/// does): one `input` listener on the editor, from the main file, turns each field's new
/// value into an edit (`super::documents::edit_field`), so the fields are editable as soon as
/// the document is open. The editor's fields have handlers of their own once it is hydrated
/// (the caret shown to others, the room left, comments); dropping this removes the listener.
/// Both handling one input is harmless: the second finds the replica already equal.
pub struct EarlyTyping {
    editor: web_sys::Element,
    listener: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>,
}

impl EarlyTyping {
    pub fn listen(editor: web_sys::Element) -> Self {
        let listener = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
            let Some(field) = event.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) else { return };
            if let Some((doc, section)) = field_identity(&field) {
                super::documents::edit_field(&doc, section, &field.value());
            }
        });
        let _ = editor.add_event_listener_with_callback("input", listener.as_ref().unchecked_ref());
        let _ = editor.set_attribute(LIVE_EDITOR, "");
        Self { editor, listener }
    }
}

impl Drop for EarlyTyping {
    fn drop(&mut self) {
        let _ = self.editor.remove_event_listener_with_callback("input", self.listener.as_ref().unchecked_ref());
    }
}

/// The document's fields in live editors.
fn fields_of(doc: &DocId) -> Vec<HtmlTextAreaElement> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return Vec::new() };
    let selector = format!("[{LIVE_EDITOR}] textarea[data-doc=\"{doc}\"]");
    let Ok(list) = document.query_selector_all(&selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<HtmlTextAreaElement>().ok()).collect()
}

/// Writes the document's text into its fields where it differs, and makes them editable
/// (unless the page said the session may not edit: `data-may-edit="false"`).
/// Until the replica is known (stored locally or synced), the fields keep the server's text,
/// read-only, unless `anyway` (no server to wait for).
///
/// Offline with no local copy (never kept, or removed on the "this device" page), the fields
/// keep the text of the kept page, read-only, and the editor says why: an empty replica shown
/// in its place would look like a blank document.
pub fn refresh<S: LocalStore>(engine: &SyncEngine<S>, doc: &DocId, caret: Option<&Caret>, anyway: bool) {
    let Some(replica) = engine.doc(doc) else { return };
    let known = engine.is_known(doc);
    say_not_kept(doc, !known && anyway);
    if !known {
        return;
    }
    for field in fields_of(doc) {
        field.set_read_only(field.get_attribute("data-may-edit").as_deref() == Some("false"));
        let Some((_, section)) = field_identity(&field) else { continue };
        let text = replica.text(section);
        if field.value() == text {
            continue;
        }
        field.set_value(&text);
        if let Some(caret) = caret.filter(|c| &c.doc == doc && c.section == section) {
            if let (Some(start), Some(end)) = (replica.resolve_sticky(&caret.start), replica.resolve_sticky(&caret.end)) {
                let _ = field.set_selection_range(start, end.max(start));
            }
        }
    }
}

/// Writes `doc`'s text into its fields after this tab's replica took in another tab's words
/// (merged from the local store during a local change): the focused field keeps its caret
/// and selection next to the same characters (`crate::doc::moved_position`).
pub fn refresh_after_merge<S: LocalStore>(engine: &SyncEngine<S>, doc: &DocId) {
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
        .filter(|field| field_identity(field).is_some_and(|(d, _)| &d == doc));
    let before = focused.as_ref().map(|field| (field.value(), field.selection_start().ok().flatten(), field.selection_end().ok().flatten()));
    refresh(engine, doc, None, false);
    if let (Some(field), Some((old, Some(start), Some(end)))) = (focused, before) {
        let new = field.value();
        let _ = field.set_selection_range(crate::doc::moved_position(&old, &new, start), crate::doc::moved_position(&old, &new, end));
    }
}

/// Shows (or removes) the note that `doc` is not kept on this device, at the top of its live
/// editors.
fn say_not_kept(doc: &DocId, shown: bool) {
    const NOTE: &str = "This document is not kept on this device, so it is shown as this page was kept, read-only. It becomes editable once online.";
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let selector = format!("[{LIVE_EDITOR}]:has(textarea[data-doc=\"{doc}\"])");
    let Ok(editors) = document.query_selector_all(&selector) else { return };
    for editor in (0..editors.length()).filter_map(|i| editors.item(i)?.dyn_into::<web_sys::Element>().ok()) {
        let present = editor.query_selector(":scope > .not-kept").ok().flatten();
        match (present, shown) {
            (None, true) => {
                let Ok(note) = document.create_element("p") else { continue };
                note.set_class_name("notice not-kept");
                let _ = note.set_attribute("role", "status");
                note.set_text_content(Some(NOTE));
                let _ = editor.prepend_with_node_1(&note);
            }
            (Some(note), false) => note.remove(),
            _ => {}
        }
    }
}

/// A peer's caret, resolved to a position in a section's current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerCaret {
    pub section: TorSection,
    pub index: u32,
    pub name: String,
    pub color: String,
}

pub fn carets(replica: &TorDoc, peers: &[(u64, PeerState)]) -> Vec<PeerCaret> {
    peers
        .iter()
        .filter_map(|(_, state)| {
            let cursor = state.cursor.as_ref()?;
            let section = TorSection::from_root_name(&cursor.section)?;
            let index = replica.resolve_sticky(&cursor.head)?;
            Some(PeerCaret { section, index, name: state.user.name.clone(), color: state.user.color.clone() })
        })
        .collect()
}

/// The documents whose fields are on the page.
pub fn open_docs() -> Vec<DocId> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return Vec::new() };
    let Ok(list) = document.query_selector_all("textarea[data-doc]") else { return Vec::new() };
    let mut docs: Vec<DocId> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlTextAreaElement>().ok())
        .filter_map(|field| field_identity(&field).map(|(doc, _)| doc))
        .collect();
    docs.dedup();
    docs
}

/// The name shown to others: the one typed last time, or "Guest" and a number.
pub fn my_name(client_id: u64) -> String {
    LocalStorage::get::<String>(NAME_KEY).unwrap_or_else(|_| format!("Guest {}", client_id % 1000))
}

pub fn remember_name(name: &str) {
    let _ = LocalStorage::set(NAME_KEY, name);
}

/// Focuses a section's field with `[start, end)` selected and scrolls it into view (a thread
/// was clicked: show its words).
pub fn select_in_field(doc: &DocId, section: TorSection, start: u32, end: u32) {
    let Some(field) = fields_of(doc).into_iter().find(|f| field_identity(f).is_some_and(|(_, s)| s == section)) else { return };
    let _ = field.focus();
    let _ = field.set_selection_range(start, end);
    field.scroll_into_view_with_bool(false);
}

/// The selection in a section's field, if any: (start, end) in UTF-16 units.
pub fn selection_in_field(doc: &DocId, section: TorSection) -> Option<(u32, u32)> {
    let field = fields_of(doc).into_iter().find(|f| field_identity(f).is_some_and(|(_, s)| s == section))?;
    let (start, end) = (field.selection_start().ok()??, field.selection_end().ok()??);
    (start < end).then_some((start, end))
}
