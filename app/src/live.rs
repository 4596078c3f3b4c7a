//! What pages show of the sync engine: the connection state and unconfirmed changes (the
//! always-visible indicator in the header), and counters that tick when a document's text or
//! its people change, so views redraw. The browser glue (`crate::browser`) sets them; on the
//! server they keep their initial values.
//!
//! The pages are islands (see `crate::app`): each island is hydrated on its own, so these
//! signals are not a context but one set per tab ([`Live::get`]), shared by every island.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Before the page is interactive, or while the first connection is being made.
    Connecting,
    Online,
    Offline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiveStatus {
    pub connection: Connection,
    pub syncing: bool,
    /// Local changes the server has not confirmed yet.
    pub unsynced: u64,
}

/// The signals: one set per tab in the browser, one per request on the server.
#[derive(Clone, Copy)]
pub struct Live {
    pub status: RwSignal<LiveStatus>,
    /// Ticks whenever some document's text changed from elsewhere.
    pub texts: RwSignal<u64>,
    /// Ticks whenever who is present (or their caret) changed in some document.
    pub presence: RwSignal<u64>,
    /// The last problem worth telling the user (refused change, storage full).
    pub problem: RwSignal<Option<String>>,
    /// The warning that this device's local store is nearly full (`crate::browser::device`).
    pub storage_note: RwSignal<Option<String>>,
    /// Set when the server no longer knows this tab's session (it expired or was ended
    /// elsewhere): the page to come back to after signing in again.
    pub session_ended: RwSignal<Option<String>>,
}

impl Live {
    /// The tab's signals (in the browser, made once under an owner of their own that is never
    /// dropped, so no island's cleanup can dispose of them), or the request's (on the server,
    /// a context made by the first caller).
    pub fn get() -> Self {
        #[cfg(feature = "hydrate")]
        {
            thread_local! {
                static LIVE: Live = {
                    let owner = Owner::new_root(None);
                    let live = owner.with(Live::new);
                    std::mem::forget(owner);
                    live
                };
            }
            LIVE.with(|live| *live)
        }
        #[cfg(not(feature = "hydrate"))]
        use_context::<Live>().unwrap_or_else(|| {
            let live = Live::new();
            provide_context(live);
            live
        })
    }

    fn new() -> Self {
        Self {
            status: RwSignal::new(LiveStatus { connection: Connection::Connecting, syncing: false, unsynced: 0 }),
            texts: RwSignal::new(0),
            presence: RwSignal::new(0),
            problem: RwSignal::new(None),
            storage_note: RwSignal::new(None),
            session_ended: RwSignal::new(None),
        }
    }
}

impl LiveStatus {
    /// The words of the indicator.
    pub fn describe(&self) -> String {
        let changes = |n: u64| if n == 1 { "1 change".to_owned() } else { format!("{n} changes") };
        match (self.connection, self.unsynced) {
            (Connection::Connecting, 0) => "Connecting…".into(),
            (Connection::Connecting, n) => format!("Connecting… {} not yet synced", changes(n)),
            (Connection::Offline, 0) => "Offline · all changes kept on this device".into(),
            (Connection::Offline, n) => format!("Offline · {} not yet synced", changes(n)),
            (Connection::Online, 0) if !self.syncing => "Online · all changes synced".into(),
            (Connection::Online, 0) => "Syncing…".into(),
            (Connection::Online, n) => format!("Syncing · {} not yet confirmed", changes(n)),
        }
    }

    fn class(&self) -> &'static str {
        match self.connection {
            Connection::Connecting => "sync-status connecting",
            Connection::Offline => "sync-status offline",
            Connection::Online if self.syncing || self.unsynced > 0 => "sync-status syncing",
            Connection::Online => "sync-status online",
        }
    }
}

/// Turns true once the island calling it has hydrated (an effect runs only after). Islands
/// hydrate one after another, so the tab's engine may already run when one hydrates: what a
/// view draws from the engine waits for this, so that hydration meets exactly what the server
/// drew (without the engine) and the engine's state is drawn right after.
pub fn hydrated() -> ReadSignal<bool> {
    let (hydrated, set) = signal(false);
    Effect::new(move |_| set.set(true));
    hydrated
}

/// The sync indicator, on every page: an island, which starts this tab's connection and
/// engine once the page is interactive (`crate::browser::start`).
#[island]
pub fn SyncIndicator() -> impl IntoView {
    let live = Live::get();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| crate::browser::start(live));
    let status = live.status;
    view! {
        <p class=move || status.get().class() role="status" aria-live="polite" data-unsynced=move || status.get().unsynced>
            <span class="sync-dot" aria-hidden="true"></span>
            {move || status.get().describe()}
        </p>
        {move || live.problem.get().map(|problem| view! { <p class="sync-problem" role="alert">{problem}</p> })}
        {move || live.storage_note.get().map(|note| view! {
            <p class="sync-problem storage-note" role="alert">{note}" "<a href="/device">"This device"</a></p>
        })}
        {move || live.session_ended.get().map(|back| view! {
            <p class="sync-problem session-ended" role="alert">
                "You are no longer signed in here, so nothing more is sent. Your changes are kept on this device: "
                <a href=format!("/sign-in?next={}", crate::programme_api::encode_path(&back))>"sign in again"</a>
                " and they are sent."
            </p>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indicator_says_what_is_going_on() {
        let s = |connection, syncing, unsynced| LiveStatus { connection, syncing, unsynced }.describe();
        assert_eq!(s(Connection::Online, false, 0), "Online · all changes synced");
        assert_eq!(s(Connection::Online, true, 0), "Syncing…");
        assert_eq!(s(Connection::Online, true, 1), "Syncing · 1 change not yet confirmed");
        assert_eq!(s(Connection::Offline, false, 3), "Offline · 3 changes not yet synced");
        assert_eq!(s(Connection::Offline, false, 0), "Offline · all changes kept on this device");
    }
}
