//! One module per page. Each page reads the shared programme through
//! [`crate::layout::WithProgramme`] and renders plain, semantic HTML.

pub mod about;
pub mod action;
pub mod matrix;
pub mod not_found;
pub mod overview;
mod parts;
pub mod permanent;
pub mod priority;
pub mod search;
pub mod tor;
pub mod working_methods;
