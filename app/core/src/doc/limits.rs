//! Sizes a document may reach, shared by the browser (which says so before the limit) and
//! the server (which refuses past it), so one change always fits in one sync frame.

/// Most text one section of a terms of reference may hold, in UTF-16 code units (about
/// 5,000 words, a dozen pages). The browser's fields stop there (`maxlength`) and show a
/// count as it nears; the server limits the whole ToR (`server::sync::hub::MAX_TOR_UNITS`).
pub const MAX_SECTION_UNITS: u32 = 30_000;

/// From this share of [`MAX_SECTION_UNITS`] on, a field shows how much room is left.
pub const SECTION_WARN_UNITS: u32 = MAX_SECTION_UNITS / 10 * 8;
