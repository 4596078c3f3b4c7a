//! How pages get the programme: one server function (`/_app/programme`), read once per page load into a
//! resource that every page shares, so client-side navigation needs no further request;
//! also who is signed in (`/_app/session`), the ToRs kept offline (`/_app/my_tors`) and the
//! `?next=` path after signing in. On the server each answer comes from the
//! server's `backend::Backend`.

mod my_tors;
mod paths;
mod programme;
mod session;

pub use my_tors::get_my_tors;
pub use paths::{encode_path, safe_next};
pub use programme::{get_programme, ProgrammeResource};
pub use session::{get_session, SignedInAs};
