//! The ToR editor's island. On the server it renders the whole editor ([`EditorBody`]); in
//! the browser it hydrates an empty shell and then loads the editor from a wasm file of its
//! own (`make build` runs `cargo leptos build --split`), so a page without a ToR never
//! downloads the editor and a ToR page is interactive (links, menu, sync state) before the
//! editor arrives. README, "The phone on a slow network", has the figures.

use super::*;

/// See the module's comment. Props as [`EditorBody`]'s. The server renders the status line
/// empty; the browser fills it after hydration (what it says changes only there).
#[island]
pub(super) fn Editor(subject: String, considerations: Vec<String>) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let status = NodeRef::<leptos::html::P>::new();
    #[cfg(feature = "hydrate")]
    {
        // The document is opened now, from the main file (the engine is there), so its first
        // sync runs while the editor's file downloads and its fields take typing before the
        // editor arrives (`crate::browser::EarlyTyping`); the editor opens the document again
        // (that changes nothing) when it hydrates.
        let doc = DocId::terms_of_reference(&subject).ok();
        let props = hydrate::Props { subject, considerations };
        Effect::new(move |_| {
            let (Some(host), Some(status)) = (host.get_untracked(), status.get_untracked()) else { return };
            // Typing works from here on, once the document is open: the editor's file brings
            // the rest (carets, the room left, comments and suggestions).
            let early = crate::browser::EarlyTyping::listen(host.clone().into());
            if let Some(doc) = &doc {
                crate::browser::open_doc(doc, None);
            }
            hydrate::start(host, status, props.clone(), early);
        });
    }
    // In the browser the shell is empty: hydration leaves what the server rendered in place.
    #[cfg(feature = "hydrate")]
    let editor = view! { <div class="tor-editor" node_ref=host></div> };
    #[cfg(not(feature = "hydrate"))]
    let editor = view! { <div class="tor-editor" node_ref=host><EditorBody subject considerations/></div> };
    view! {
        <p class="editor-status" role="status" node_ref=status></p>
        {editor}
    }
}

/// The browser's half: the editor's own wasm file, loaded once and hydrated in place
/// (`crate::split`).
#[cfg(feature = "hydrate")]
mod hydrate {
    use super::*;
    use leptos::wasm_split::SplitLoaderError;

    const WORDING: crate::split::Wording = crate::split::Wording {
        loading: "Loading comments and suggestions…",
        // The fields still take typing (`EarlyTyping`).
        failed: "Comments and suggestions could not be loaded. You can still type: what you type is kept and sent. Try again when the network is back.",
    };

    #[derive(Clone)]
    pub(super) struct Props {
        pub subject: String,
        pub considerations: Vec<String>,
    }

    /// Shows where loading stands in `status` and loads the editor into `host`; `early` keeps
    /// the fields taking typing until then.
    pub(super) fn start(host: web_sys::HtmlDivElement, status: web_sys::HtmlParagraphElement, props: Props, early: crate::browser::EarlyTyping) {
        let fetch = {
            let host = host.clone();
            move || hydrate_editor(host.clone().into(), Box::new(props.clone()))
        };
        let ready = move || {
            // The editor's own fields handle typing now.
            drop(early);
            // For whoever waits for the whole editor (the end-to-end tests).
            let _ = host.set_attribute("data-editor", "ready");
        };
        crate::split::load(status.into(), WORDING, fetch, ready);
    }

    /// In the split-off wasm file `tor_editor`. Only with the feature `split`, which `make
    /// build` turns on together with `cargo leptos build --split`: without the split step, a
    /// `wasm_split` function leaves an import no browser resolves, and no island runs.
    #[cfg(feature = "split")]
    #[leptos::wasm_split::wasm_split(tor_editor, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn hydrate_editor(host: web_sys::HtmlElement, props: Box<Props>) -> Result<(), SplitLoaderError> {
        hydrate_in_place(&host, *props);
        Ok(())
    }

    /// Without `split`: the editor is in the main file, hydrated the same way.
    #[cfg(not(feature = "split"))]
    async fn hydrate_editor(host: web_sys::HtmlElement, props: Box<Props>) -> Result<(), SplitLoaderError> {
        hydrate_in_place(&host, *props);
        Ok(())
    }

    /// Hydrates the editor the server rendered inside `host` (`crate::split`).
    fn hydrate_in_place(host: &web_sys::HtmlElement, Props { subject, considerations }: Props) {
        crate::split::hydrate_in_place(host, || view! { <EditorBody subject considerations/> });
        // Its fields may now become editable (`crate::browser::fields`).
        let _ = host.set_attribute(crate::browser::LIVE_EDITOR, "");
    }
}
