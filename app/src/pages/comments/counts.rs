//! One server function, `GET /_app/open_comments`: open comments per ToR the session may
//! read, and the links and counts the programme's pages show with it.

use super::*;

/// Open comments per ToR (by action or permanent activity id), as the server has them: shown
/// on action pages and in the matrix. Every ToR the session may read is listed (0 when none
/// is open) and no other, so the list also says which ToRs to link to. A GET, so the service
/// worker keeps the last answer.
#[server(prefix = "/_app", endpoint = "open_comments", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_open_comment_counts() -> Result<std::collections::HashMap<String, usize>, ServerFnError> {
    use crate::doc::CommentsDoc;
    let current = crate::backend::Current::get()?;
    let mut counts = std::collections::HashMap::new();
    for tor in DocId::all_terms_of_reference(&current.backend.programme()) {
        // A document one may not read is not counted either (nor mentioned).
        if !current.may(&tor, crate::access::Action::Read).await {
            continue;
        }
        let Some(stored) = current.backend.stored(tor.comments()).await? else {
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
