//! The island of the "this device" page: reads this browser's local store after hydration
//! (`crate::browser::device`) and offers what can be done about it. The report's code is a
//! wasm file of its own (`crate::split`), which only this page downloads. The server renders
//! it "reading…", as the browser's first render does, so hydration meets the same markup.

use leptos::prelude::*;

/// One kept document as the table shows it.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    /// The document's id (`tor/{id}`, `tor/{id}/comments`).
    doc: String,
    title: String,
    kind: &'static str,
    size: String,
    unsynced: u64,
}

/// What the page shows; `loaded` false until the browser has read its store.
#[derive(Clone, Debug, Default, PartialEq)]
struct Snapshot {
    loaded: bool,
    rows: Vec<Row>,
    /// "1.2 MB of about 5.0 MB (24%)".
    used: String,
    /// Per thousand of the limit, for the meter.
    permille: u64,
    warning: Option<String>,
    /// `Keep::as_str` of the current choice.
    keep: &'static str,
}

/// "granted", "not-granted", "unknown"; empty until asked.
type PersistenceWord = &'static str;

/// ToRs by id: (id, title).
type Titles = Vec<(String, String)>;

/// See the module's comment. `titles`: the ToRs this session may read.
#[island]
pub fn DeviceReport(titles: Titles) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    let status = NodeRef::<leptos::html::P>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (Some(host), Some(status)) = (host.get_untracked(), status.get_untracked()) else { return };
        split::start(host, status, titles.clone());
    });
    // In the browser the host is empty: hydration leaves what the server rendered in place.
    #[cfg(feature = "hydrate")]
    let report = view! { <div node_ref=host></div> };
    #[cfg(not(feature = "hydrate"))]
    let report = view! { <div node_ref=host><ReportBody titles/></div> };
    view! {
        <p class="device-load" role="status" node_ref=status></p>
        {report}
    }
}

/// The browser's half of the island: the report's own wasm file, loaded once and hydrated in
/// place.
#[cfg(feature = "hydrate")]
mod split {
    use super::*;
    use leptos::wasm_split::SplitLoaderError;

    const WORDING: crate::split::Wording = crate::split::Wording {
        loading: "",
        failed: "What this device keeps cannot be shown: the part of the page that reads it did not arrive. Try again when the network is back.",
    };

    pub(super) fn start(host: web_sys::HtmlDivElement, status: web_sys::HtmlParagraphElement, titles: Titles) {
        let fetch = move || hydrate_report(host.clone().into(), Box::new(titles.clone()));
        crate::split::load(status.into(), WORDING, fetch, || ());
    }

    /// In the split-off wasm file `device_report` (see `crate::split`).
    #[cfg(feature = "split")]
    #[leptos::wasm_split::wasm_split(device_report, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn hydrate_report(host: web_sys::HtmlElement, titles: Box<Titles>) -> Result<(), SplitLoaderError> {
        crate::split::hydrate_in_place(&host, move || view! { <ReportBody titles=*titles/> });
        Ok(())
    }

    /// Without `split`: the report is in the main file, hydrated the same way.
    #[cfg(not(feature = "split"))]
    async fn hydrate_report(host: web_sys::HtmlElement, titles: Box<Titles>) -> Result<(), SplitLoaderError> {
        crate::split::hydrate_in_place(&host, move || view! { <ReportBody titles=*titles/> });
        Ok(())
    }
}

/// The report itself: what the store holds, read once the page is interactive.
#[component]
fn ReportBody(titles: Titles) -> impl IntoView {
    let snapshot = RwSignal::new(Snapshot::default());
    let persistence = RwSignal::new(PersistenceWord::default());
    let said = RwSignal::new(None::<String>);
    let tors = StoredValue::new(titles);
    #[cfg(not(feature = "hydrate"))]
    let _ = tors;
    let refresh = move || {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move { snapshot.set(browser::read(&tors.read_value()).await) });
    };
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            leptos::task::spawn_local(async move { persistence.set(browser::word(crate::browser::device::persistence().await)) });
        });
        // Read again whenever the sync state changes (a change confirmed, the connection
        // back), so "not sent yet" is never stale.
        let status = crate::live::Live::get().status;
        Effect::new(move |_| {
            status.track();
            refresh();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = refresh;
    let remove = move |doc: String| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let titles = tors.read_value().clone();
            said.set(Some(browser::remove(&doc, &titles).await));
            refresh();
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = doc;
    };
    let remove_read_only = move || {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            said.set(Some(browser::remove_read_only().await));
            refresh();
        });
    };
    let choose = move |keep: &'static str| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            said.set(browser::choose(keep).await);
            refresh();
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = keep;
    };
    let ask_again = move || {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move { persistence.set(browser::word(crate::browser::device::ask_persistence_again().await)) });
    };
    view! {
        <div class="device-report once-interactive">
            <h2>"Kept safely?"</h2>
            <PersistenceLine persistence ask_again/>
            {move || {
                let s = snapshot.get();
                if !s.loaded {
                    return view! { <p class="loading" role="status">"Reading what this device keeps…"</p> }.into_any();
                }
                view! {
                    <h2>"Storage used"</h2>
                    <p>
                        <meter id="device-use" min="0" max="1000" low="700" high="800" optimum="0" value=s.permille.to_string()></meter>
                        " "<label for="device-use" class="device-use">{s.used.clone()}</label>
                    </p>
                    {s.warning.clone().map(|w| view! { <p class="notice" role="alert">{w}</p> })}
                    <KeepChoice keep=s.keep choose/>
                    <Copies rows=s.rows.clone() remove remove_read_only/>
                }
                .into_any()
            }}
            {move || said.get().map(|text| view! { <p class="note" role="status">{text}</p> })}
        </div>
    }
}

/// Whether the browser promised to keep this site's data, in words, with "Ask again".
#[component]
fn PersistenceLine(persistence: RwSignal<PersistenceWord>, ask_again: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <p class="device-persistence" data-persistence=move || persistence.get()>
            {move || match persistence.get() {
                "granted" => "Protected: this browser has promised not to delete what Programme Desk keeps here, even when the device runs short of space.",
                "not-granted" => "Not protected: when the device runs short of space the browser may delete what is kept here, changes not yet sent included (Safari also deletes it after seven days without a visit, unless the app was added to the home screen). Install the app (Add to Home Screen) or bookmark it, then ask again; and go online regularly so your changes are sent.",
                "unknown" => "This browser does not say whether it keeps this site's data: go online regularly so your changes are sent.",
                _ => "Asking the browser…",
            }}
        </p>
        {move || (persistence.get() == "not-granted").then(|| view! {
            <p><button type="button" on:click=move |_| ask_again()>"Ask the browser again"</button></p>
        })}
    }
}

/// The kept documents, with a way to remove those with nothing unsent.
#[component]
fn Copies(rows: Vec<Row>, remove: impl Fn(String) + Copy + Send + Sync + 'static, remove_read_only: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let unsent: u64 = rows.iter().map(|r| r.unsynced).sum();
    let removable = rows.iter().any(|r| r.unsynced == 0);
    let summary = match (rows.len(), unsent) {
        (0, _) => "No document is kept on this device.".to_owned(),
        (n, 0) => format!("{n} documents kept here; every change made here is on the server."),
        (n, 1) => format!("{n} documents kept here; 1 change made here is not on the server yet."),
        (n, u) => format!("{n} documents kept here; {u} changes made here are not on the server yet."),
    };
    view! {
        <h2>"Documents kept here"</h2>
        <p class="device-summary">{summary}</p>
        {removable.then(|| view! {
            <p><button type="button" on:click=move |_| remove_read_only()>"Remove every copy with nothing unsent"</button></p>
            <p class="note">"A removed copy comes back when you open the document online, or, when you keep every terms of reference, the next time a page opens online."</p>
        })}
        {(!rows.is_empty()).then(|| view! {
            <div class="table-scroll">
                <table class="device-copies">
                    <thead><tr><th scope="col">"Document"</th><th scope="col">"Size"</th><th scope="col">"Not sent yet"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let label = format!("Remove the copy of {} ({})", row.title, row.kind);
                            let doc = row.doc.clone();
                            view! {
                                <tr data-doc=row.doc.clone()>
                                    <td><span dir="auto">{row.title}</span><br/><small>{row.kind}</small></td>
                                    <td>{row.size}</td>
                                    <td>{if row.unsynced == 0 { "–".to_owned() } else { row.unsynced.to_string() }}</td>
                                    <td>{if row.unsynced == 0 {
                                        view! { <button type="button" aria-label=label on:click=move |_| remove(doc.clone())>"Remove"</button> }.into_any()
                                    } else {
                                        view! { <small>"Stays until sent"</small> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

/// What to keep on this device: radio buttons, applied at once.
#[component]
fn KeepChoice(keep: &'static str, choose: impl Fn(&'static str) + Copy + Send + Sync + 'static) -> impl IntoView {
    const CHOICES: [(&str, &str); 3] = [
        ("every-tor", "Every terms of reference I may read, to read them offline"),
        ("except-group-only", "All of them except group-only ones (the Airports Group's, the Precursor network's): those are not kept on this device"),
        ("only-opened", "Only what I open on this device (group-only ones are not kept either)"),
    ];
    view! {
        <fieldset class="device-keep">
            <legend>"Keep on this device"</legend>
            {CHOICES.into_iter().map(|(value, label)| {
                let id = format!("keep-{value}");
                view! {
                    <p>
                        <input type="radio" name="keep" id=id.clone() value=value checked=keep == value on:change=move |_| choose(value)/>
                        " "<label for=id>{label}</label>
                    </p>
                }
            }).collect_view()}
            <p class="note">"Signing out deletes everything kept here for your account."</p>
        </fieldset>
    }
}

/// The browser's half: reading the store and acting on it.
#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::browser::device::{self, Keep, Persistence};
    use crate::doc::{DocId, DocKind};
    use crate::pages::device::storage::megabytes;

    pub(super) fn word(p: Persistence) -> PersistenceWord {
        match p {
            Persistence::Granted => "granted",
            Persistence::NotGranted => "not-granted",
            Persistence::Unknown => "unknown",
        }
    }

    fn title(doc: &DocId, tors: &[(String, String)]) -> String {
        tors.iter().find(|(id, _)| id == doc.subject()).map_or_else(|| doc.subject().to_owned(), |(_, title)| title.clone())
    }

    pub(super) async fn read(tors: &[(String, String)]) -> Snapshot {
        let rows = device::kept_copies()
            .await
            .into_iter()
            .map(|copy| Row {
                doc: copy.doc.to_string(),
                title: title(&copy.doc, tors),
                kind: if copy.doc.kind() == DocKind::TorComments { "Comments" } else { "Terms of reference" },
                size: megabytes(copy.bytes),
                unsynced: copy.unsynced,
            })
            .collect();
        let usage = device::storage_use().await;
        Snapshot {
            loaded: true,
            rows,
            used: usage.map_or_else(|| "This browser does not say how much it allows.".to_owned(), |u| u.describe()),
            permille: usage.map_or(0, |u| (u.fraction() * 1000.0).min(1000.0) as u64),
            warning: usage.and_then(|u| u.warning()),
            keep: device::chosen().as_str(),
        }
    }

    pub(super) async fn remove(doc: &str, tors: &[(String, String)]) -> String {
        let Ok(doc) = DocId::parse(doc) else { return format!("{doc} is not a document.") };
        match device::remove_copy(&doc).await {
            Ok(()) => format!("The copy of {} was removed from this device.", title(&doc, tors)),
            Err(e) => e,
        }
    }

    pub(super) async fn remove_read_only() -> String {
        let mut removed = 0;
        for copy in device::kept_copies().await.into_iter().filter(|c| c.unsynced == 0) {
            if device::remove_copy(&copy.doc).await.is_ok() {
                removed += 1;
            }
        }
        match removed {
            1 => "1 copy was removed from this device.".to_owned(),
            n => format!("{n} copies were removed from this device."),
        }
    }

    pub(super) async fn choose(keep: &str) -> Option<String> {
        let keep = Keep::parse(keep)?;
        device::choose(keep);
        // Applied now: copies no longer wanted go (those with nothing unsent), and the service
        // worker drops the pages of group-only ToRs.
        crate::browser::keep_as_chosen().await;
        Some("Your choice is saved for this browser.".to_owned())
    }
}
