//! The panel's state, shared with the fields: the filter, the threads placed on the text,
//! the draft being written, which thread is active.

// On the server the actions below compile to nothing (no button is ever pressed there).
#![cfg_attr(not(feature = "hydrate"), allow(unused_variables, dead_code))]

use super::*;

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
    pub(super) const ALL: [Filter; 5] = [Filter::Open, Filter::Resolved, Filter::Mine, Filter::Suggestions, Filter::Orphaned];

    pub(super) fn label(self) -> &'static str {
        match self {
            Filter::Open => "Open",
            Filter::Resolved => "Resolved",
            Filter::Mine => "Mine",
            Filter::Suggestions => "Suggestions",
            Filter::Orphaned => "Orphaned",
        }
    }

    pub(super) fn keeps(self, placed: &PlacedThread, me: &str) -> bool {
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
            let live = crate::live::Live::get();
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
    pub(super) fn report(&self, result: Result<(), String>) -> bool {
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

pub(super) fn scroll_to_thread(id: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(card) = document().get_element_by_id(&format!("thread-{id}")) {
        card.scroll_into_view_with_bool(false);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
