//! Comments on a ToR, in the page: the panel beside the text on a desktop (a bottom sheet on a
//! phone) with filters, threads, replies, suggestions and orphans, and the state shared with
//! the fields (which words are highlighted, which thread is active). The comments themselves
//! live in the core (`crate::doc::comments`) and move through the sync engine; bodies are
//! always rendered as text.
// On the server the actions below compile to nothing (no button is ever pressed there).
#![cfg_attr(not(feature = "hydrate"), allow(unused_variables, dead_code))]

use crate::doc::{split_links, BodyPiece, Decision, DocId, Resolved, Status, Thread, TorSection};
use leptos::prelude::*;

/// Open comments per ToR (by action or permanent activity id), as the server has them: shown
/// on action pages and in the matrix. Every ToR the session may read is listed (0 when none
/// is open) and no other, so the list also says which ToRs to link to. A GET, so the service
/// worker keeps the last answer.
#[server(prefix = "/_app", endpoint = "open_comments", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_open_comment_counts() -> Result<std::collections::HashMap<String, usize>, ServerFnError> {
    use crate::doc::CommentsDoc;
    use crate::programme_api::{DocSource, ProgrammeSource};
    let programme = use_context::<ProgrammeSource>().ok_or_else(|| ServerFnError::new("the programme is not loaded"))?;
    let source = use_context::<DocSource>().ok_or_else(|| ServerFnError::new("documents are not available"))?;
    let mut counts = std::collections::HashMap::new();
    for tor in DocId::all_terms_of_reference(&programme.0) {
        // A document one may not read is not counted either (nor mentioned).
        if !crate::programme_api::may_read(&tor).await {
            continue;
        }
        let Some(stored) = source.0.load(tor.comments()).await.map_err(ServerFnError::new)? else {
            counts.insert(tor.subject().to_owned(), 0);
            continue;
        };
        let comments = CommentsDoc::new(0);
        if comments.apply_update(&stored).is_ok() {
            let open = comments.threads().iter().filter(|t| t.status == Status::Open).count();
            counts.insert(tor.subject().to_owned(), open);
        }
    }
    Ok(counts)
}

/// The counts, shared by the rows of a page.
#[derive(Clone, Copy)]
pub struct OpenCommentCounts(Resource<Result<std::collections::HashMap<String, usize>, ServerFnError>>);

impl OpenCommentCounts {
    pub fn provide() -> Self {
        let this = Self(Resource::new(|| (), |_| get_open_comment_counts()));
        provide_context(this);
        this
    }
}

/// A link to a ToR, shown only when the session may read it (or, offline, when that cannot be
/// known: the local copy is the reader's own). `of` is read by screen readers after `label`.
#[component]
pub fn TorLink(subject: String, label: &'static str, of: String, class: &'static str) -> impl IntoView {
    let OpenCommentCounts(counts) = expect_context::<OpenCommentCounts>();
    view! {
        <Suspense fallback=|| ()>
            {
                let (subject, of) = (subject.clone(), of.clone());
                move || {
                    let (subject, of) = (subject.clone(), of.clone());
                    Suspend::new(async move {
                        let readable = counts.await.map_or(true, |c| c.contains_key(&subject));
                        readable.then(|| view! {
                            <a class=class href=format!("/tor/{subject}")>{label}<span class="visually-hidden">{of}</span></a>
                        })
                    })
                }
            }
        </Suspense>
    }
}

/// "3 open comments" for one ToR (nothing when there are none or the count is unknown).
#[component]
pub fn OpenComments(subject: String) -> impl IntoView {
    let OpenCommentCounts(counts) = expect_context::<OpenCommentCounts>();
    view! {
        <Suspense fallback=|| ()>
            {
                let subject = subject.clone();
                move || {
                    let subject = subject.clone();
                    Suspend::new(async move {
                        let n = counts.await.ok().and_then(|c| c.get(&subject).copied()).unwrap_or(0);
                        (n > 0).then(|| view! {
                            <span class="open-comments">{if n == 1 { "1 open comment".to_owned() } else { format!("{n} open comments") }}</span>
                        })
                    })
                }
            }
        </Suspense>
    }
}

/// Which threads the panel lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    Open,
    Resolved,
    Mine,
    Suggestions,
    Orphaned,
}

impl Filter {
    const ALL: [Filter; 5] = [Filter::Open, Filter::Resolved, Filter::Mine, Filter::Suggestions, Filter::Orphaned];

    fn label(self) -> &'static str {
        match self {
            Filter::Open => "Open",
            Filter::Resolved => "Resolved",
            Filter::Mine => "Mine",
            Filter::Suggestions => "Suggestions",
            Filter::Orphaned => "Orphaned",
        }
    }

    fn keeps(self, placed: &PlacedThread, me: &str) -> bool {
        let orphaned = placed.place == Resolved::Orphaned;
        match self {
            Filter::Open => placed.thread.status == Status::Open && !orphaned,
            Filter::Resolved => placed.thread.status == Status::Resolved,
            Filter::Mine => placed.thread.author.id == me,
            Filter::Suggestions => placed.thread.suggestion.is_some(),
            Filter::Orphaned => orphaned && placed.thread.status == Status::Open,
        }
    }
}

/// A thread and where its words are now.
#[derive(Clone, Debug)]
pub struct PlacedThread {
    pub thread: Thread,
    pub place: Resolved,
}

/// Words about to be commented on (or a thread about to be re-attached to them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub section: TorSection,
    pub start: u32,
    pub end: u32,
    pub quote: String,
    pub reattach: Option<String>,
}

/// What the panel and the fields share on one ToR page.
#[derive(Clone, Copy)]
pub struct CommentsUi {
    pub doc: StoredValue<DocId>,
    pub threads: RwSignal<Vec<PlacedThread>>,
    pub active: RwSignal<Option<String>>,
    pub draft: RwSignal<Option<Draft>>,
    pub filter: RwSignal<Filter>,
    pub sheet_open: RwSignal<bool>,
    pub notice: RwSignal<Option<String>>,
    pub me: RwSignal<String>,
}

impl CommentsUi {
    /// Creates the state for `doc`'s page and keeps the thread list current.
    pub fn provide(doc: DocId) -> Self {
        let ui = Self {
            doc: StoredValue::new(doc),
            threads: RwSignal::new(Vec::new()),
            active: RwSignal::new(None),
            draft: RwSignal::new(None),
            filter: RwSignal::new(Filter::Open),
            sheet_open: RwSignal::new(false),
            notice: RwSignal::new(None),
            me: RwSignal::new(String::new()),
        };
        #[cfg(feature = "hydrate")]
        {
            let live = expect_context::<crate::live::Live>();
            Effect::new(move |_| {
                live.texts.track();
                live.status.track();
                let threads = crate::browser::comments::threads(&ui.doc.get_value());
                ui.threads.set(threads.into_iter().map(|(thread, place)| PlacedThread { thread, place }).collect());
                ui.me.set(crate::browser::comments::me().id);
            });
        }
        provide_context(ui);
        ui
    }

    /// Highlights in one section: (start, end, thread id), open threads only.
    pub fn highlights(&self, section: TorSection) -> Vec<(u32, u32, String)> {
        self.threads.with(|threads| {
            threads
                .iter()
                .filter(|p| p.thread.status == Status::Open)
                .filter_map(|p| match p.place {
                    Resolved::At { section: s, start, end } if s == section => Some((start, end, p.thread.id.clone())),
                    _ => None,
                })
                .collect()
        })
    }

    /// The user put the caret at `index` in `section`: the thread whose words are there, if
    /// any, becomes active and its card comes into view (the sheet opens on a phone).
    pub fn caret_at(&self, section: TorSection, index: u32) {
        let hit = self.highlights(section).into_iter().find(|(start, end, _)| (*start..=*end).contains(&index));
        if let Some((_, _, id)) = hit {
            self.active.set(Some(id.clone()));
            self.sheet_open.set(true);
            scroll_to_thread(&id);
        }
    }

    /// Starts a comment on the words selected in `section`'s field.
    pub fn start_draft(&self, section: TorSection, reattach: Option<String>) {
        #[cfg(feature = "hydrate")]
        {
            let doc = self.doc.get_value();
            match crate::browser::selection_in_field(&doc, section) {
                Some((start, end)) => {
                    let text = crate::browser::section_text(&doc, section);
                    let quote = crate::doc::utf16::slice(&text, start, end).to_owned();
                    self.draft.set(Some(Draft { section, start, end, quote, reattach }));
                    self.notice.set(None);
                    self.sheet_open.set(true);
                }
                None => self.notice.set(Some(format!("Select some words in “{}” first.", section.label()))),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (section, reattach);
    }

    /// Reports what an action did: nothing when it worked, the reason when not.
    fn report(&self, result: Result<(), String>) -> bool {
        match result {
            Ok(()) => {
                self.notice.set(None);
                true
            }
            Err(reason) => {
                self.notice.set(Some(reason));
                false
            }
        }
    }
}

fn scroll_to_thread(id: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(card) = document().get_element_by_id(&format!("thread-{id}")) {
        card.scroll_into_view_with_bool(false);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Runs a comments action in the browser (nothing on the server, where no button is pressed).
macro_rules! in_browser {
    ($call:expr) => {{
        #[cfg(feature = "hydrate")]
        let result: Result<(), String> = $call;
        #[cfg(not(feature = "hydrate"))]
        let result: Result<(), String> = Err("Comments need JavaScript.".to_owned());
        result
    }};
}

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
fn DraftForm(draft: Draft) -> impl IntoView {
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

#[component]
fn ThreadCard(id: String) -> impl IntoView {
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
fn ReattachButtons(thread: String) -> impl IntoView {
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
fn Entry(name: String, at: u64, edited: Option<u64>, body: Option<String>) -> impl IntoView {
    view! {
        <p class="meta"><span class="author">{name}</span>" · "{when(at)}{edited.map(|e| format!(" · edited {}", when(e)))}</p>
        {match body {
            Some(body) => view! { <p class="body">{body_with_links(&body)}</p> }.into_any(),
            None => view! { <p class="body deleted">"deleted"</p> }.into_any(),
        }}
    }
}

/// A body as text, its web addresses as links (text too; see `doc::split_links`).
fn body_with_links(body: &str) -> Vec<AnyView> {
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
fn TextForm(label: &'static str, initial: String, on_send: impl Fn(String) -> bool + 'static) -> impl IntoView {
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
fn when(ms: u64) -> String {
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
