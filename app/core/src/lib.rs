//! Programme Desk's core, free of UI and I/O (Cargo keeps it so: no Leptos, axum or web-sys
//! here). Layered: `model` (the work programme's types, validation, search) → `doc`
//! (documents edited together, as yrs CRDTs) → `sync` (the wire protocol and the client engine
//! with its local store) → `access` (who may read, comment and edit what); beside them,
//! `evaluation` (evaluation forms: questions, answers, versions, results, the CSV's cells),
//! which uses `model` and `doc`'s rule for web addresses. The pages (`app`) and the server
//! depend on this crate.

pub mod access;
pub mod doc;
pub mod evaluation;
pub mod model;
pub mod sync;
