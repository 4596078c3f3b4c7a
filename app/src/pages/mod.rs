//! One module per page. Each page reads the shared programme through
//! [`crate::layout::WithProgramme`] and renders plain, semantic HTML.

pub mod about;
pub mod action;
pub mod comments;
pub mod device;
pub mod evaluations;
pub mod groups;
pub mod matrix;
pub mod not_found;
mod overlay;
pub mod overview;
mod parts;
pub mod permanent;
pub mod priority;
mod query_notice;
pub mod search;
pub mod session;
pub mod tor;
pub mod working_methods;
