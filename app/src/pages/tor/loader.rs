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

/// The browser's half: the editor's own wasm file, loaded once and hydrated in place.
#[cfg(feature = "hydrate")]
mod hydrate {
    use super::*;
    use leptos::tachys::reactive_graph::OwnedView;
    use leptos::tachys::view::{Position, RenderHtml};
    use leptos::wasm_split::SplitLoaderError;

    /// Where loading the editor stands; what the status line above it says.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Load {
        /// Not asked for yet: the status line is empty.
        NotStarted,
        Loading,
        Ready,
        /// The editor's wasm file did not arrive (offline before it was ever kept, or the
        /// network dropped): the fields still take typing (`EarlyTyping`), and the person can
        /// try again.
        Failed,
    }

    impl Load {
        fn text(self) -> &'static str {
            match self {
                Load::NotStarted | Load::Ready => "",
                Load::Loading => "Loading comments and suggestions…",
                Load::Failed => {
                    "Comments and suggestions could not be loaded. You can still type: what you type is kept and sent. Try again when the network is back."
                }
            }
        }
    }

    #[derive(Clone)]
    pub(super) struct Props {
        pub subject: String,
        pub considerations: Vec<String>,
    }

    /// Shows where loading stands in `status` and loads the editor into `host`; `early` keeps
    /// the fields taking typing until then.
    pub(super) fn start(host: web_sys::HtmlDivElement, status: web_sys::HtmlParagraphElement, props: Props, early: crate::browser::EarlyTyping) {
        let state = RwSignal::new(Load::NotStarted);
        let early = StoredValue::new_local(Some(early));
        let retry = {
            let (host, props) = (host.clone(), props.clone());
            move || load(host.clone(), props.clone(), state, early)
        };
        let line = move || {
            let retry = retry.clone();
            view! {
                {move || state.get().text()}
                {move || (state.get() == Load::Failed).then(|| {
                    let retry = retry.clone();
                    view! { " "<button type="button" on:click=move |_| retry()>"Try again"</button> }
                })}
            }
        };
        leptos::mount::mount_to(status.into(), line).forget();
        load(host, props, state, early);
    }

    /// Loads the editor's wasm file and hydrates the editor the server rendered inside `host`;
    /// `load` follows. Offline keeping waits meanwhile (`crate::browser::Loading`).
    fn load(host: web_sys::HtmlDivElement, props: Props, load: RwSignal<Load>, early: StoredValue<Option<crate::browser::EarlyTyping>, LocalStorage>) {
        if matches!(load.get_untracked(), Load::Loading | Load::Ready) {
            return;
        }
        load.set(Load::Loading);
        let loading = crate::browser::Loading::start();
        leptos::task::spawn_local(async move {
            let done = hydrate_editor(host.clone().into(), Box::new(props)).await;
            if done.is_ok() {
                // The editor's own fields handle typing now.
                early.update_value(|early| drop(early.take()));
                // For whoever waits for the whole editor (the end-to-end tests).
                let _ = host.set_attribute("data-editor", "ready");
            }
            load.set(if done.is_ok() { Load::Ready } else { Load::Failed });
            drop(loading);
        });
    }

    /// In the split-off wasm file `tor_editor` (the first call fetches it; a failed fetch is
    /// not kept, so calling again retries). Only with the feature `split-editor`, which
    /// `make build` turns on together with `cargo leptos build --split`: without the split
    /// step, a `wasm_split` function leaves an import no browser resolves, and no island runs.
    #[cfg(feature = "split-editor")]
    #[leptos::wasm_split::wasm_split(tor_editor, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn hydrate_editor(host: web_sys::HtmlElement, props: Box<Props>) -> Result<(), SplitLoaderError> {
        hydrate_in_place(&host, *props);
        Ok(())
    }

    /// Without `split-editor`: the editor is in the main file, hydrated the same way.
    #[cfg(not(feature = "split-editor"))]
    async fn hydrate_editor(host: web_sys::HtmlElement, props: Box<Props>) -> Result<(), SplitLoaderError> {
        hydrate_in_place(&host, *props);
        Ok(())
    }

    /// Hydrates the editor the server rendered inside `host` like an island: its own owner,
    /// with the server's serialized data.
    fn hydrate_in_place(host: &web_sys::HtmlElement, Props { subject, considerations }: Props) {
        let view = Owner::new().with(|| Owner::with_hydration(|| OwnedView::new(view! { <EditorBody subject considerations/> })));
        // For the page's lifetime, as Leptos does with an island's state.
        std::mem::forget(view.hydrate_from_position::<true>(host, Position::FirstChild));
        // Its fields may now become editable (`crate::browser::fields`).
        let _ = host.set_attribute(crate::browser::LIVE_EDITOR, "");
    }
}
