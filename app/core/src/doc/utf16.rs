//! Positions in UTF-16 code units (what browsers, Yjs and these documents count) mapped onto
//! Rust strings, snapping to character boundaries.

/// The byte offset of UTF-16 unit `units` in `text` (the end if it is past it; the next
/// character boundary if it falls inside a surrogate pair).
pub fn byte_offset(text: &str, units: u32) -> usize {
    let mut count = 0u32;
    for (byte, ch) in text.char_indices() {
        if count >= units {
            return byte;
        }
        count += ch.len_utf16() as u32;
    }
    text.len()
}

/// The length of `text` in UTF-16 units.
pub fn len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

/// The part of `text` from UTF-16 unit `start` to `end`.
pub fn slice(text: &str, start: u32, end: u32) -> &str {
    let (start, end) = (byte_offset(text, start), byte_offset(text, end));
    &text[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_and_clamps() {
        assert_eq!(byte_offset("a😀b", 3), 5);
        assert_eq!(slice("a😀b", 1, 3), "😀");
        assert_eq!(slice("ab", 1, 99), "b");
        assert_eq!(slice("ab", 2, 1), "");
    }
}
