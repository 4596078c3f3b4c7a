//! The server functions every page may use: the programme (`/_app/programme`, read once per
//! rendered page into one resource the page shares), who is signed in (`/_app/session`), the
//! ToRs the browser keeps offline (`/_app/my_tors`) and the pages the service worker keeps
//! (`/_app/offline_pages`); and the `?next=` path after signing in. On the server each answer
//! comes from the server's `backend::Backend`.

mod my_tors;
mod offline_pages;
mod paths;
mod programme;
mod session;

pub use my_tors::{get_my_tors, KeptTor};
pub use offline_pages::get_offline_pages;
pub use paths::{encode_path, safe_next};
pub use programme::{get_programme, ProgrammeResource};
pub use session::{get_session, SignedInAs};
