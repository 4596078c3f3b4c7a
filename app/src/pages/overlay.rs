//! What is drawn over a ToR field: the words others commented on (highlighted) and others'
//! carets (a coloured bar with a name). The overlay repeats the field's text, invisibly, so
//! marks land exactly on the words; it is hidden from screen readers (the comments panel and
//! the people list say the same in words). Positions are UTF-16 units, as in the field.

use crate::doc::utf16;

/// One run of the overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text, highlighted when a thread (its id) is about it.
    Text { text: String, thread: Option<String> },
    /// A peer's caret.
    Caret { name: String, color: String },
}

/// Cuts `text` at every caret and highlight boundary. Carets are (position, name, colour);
/// highlights are (start, end, thread id); where highlights overlap, the one that starts last
/// (the innermost) shows.
pub fn overlay_pieces(text: &str, carets: &[(u32, String, String)], highlights: &[(u32, u32, String)]) -> Vec<Piece> {
    let len: u32 = text.encode_utf16().count() as u32;
    let mut cuts: Vec<u32> = carets.iter().map(|c| c.0).chain(highlights.iter().flat_map(|h| [h.0, h.1])).map(|p| p.min(len)).collect();
    cuts.extend([0, len]);
    cuts.sort_unstable();
    cuts.dedup();
    let mut pieces = Vec::new();
    for (i, &at) in cuts.iter().enumerate() {
        for (_, name, color) in carets.iter().filter(|c| c.0.min(len) == at) {
            pieces.push(Piece::Caret { name: name.clone(), color: color.clone() });
        }
        let Some(&next) = cuts.get(i + 1) else { break };
        let thread = highlights
            .iter()
            .filter(|(start, end, _)| *start <= at && next <= *end && start < end)
            .max_by_key(|(start, _, _)| *start)
            .map(|(_, _, id)| id.clone());
        pieces.push(Piece::Text { text: utf16::slice(text, at, next).to_owned(), thread });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str, thread: Option<&str>) -> Piece {
        Piece::Text { text: t.into(), thread: thread.map(Into::into) }
    }

    #[test]
    fn cuts_at_carets_and_highlights() {
        let carets = [(2, "Anna".to_owned(), "#111".to_owned())];
        let highlights = [(4, 9, "t1".to_owned())];
        assert_eq!(
            overlay_pieces("an early warning", &carets, &highlights),
            vec![
                text("an", None),
                Piece::Caret { name: "Anna".into(), color: "#111".into() },
                text(" e", None),
                text("arly ", Some("t1")),
                text("warning", None),
            ]
        );
    }

    #[test]
    fn counts_utf16_and_clamps() {
        let pieces = overlay_pieces("😀x", &[(99, "B".into(), "#222".into())], &[(2, 3, "t".into())]);
        assert_eq!(pieces, vec![text("😀", None), text("x", Some("t")), Piece::Caret { name: "B".into(), color: "#222".into() }]);
    }

    #[test]
    fn the_innermost_highlight_shows() {
        let pieces = overlay_pieces("abcdef", &[], &[(0, 6, "outer".into()), (2, 4, "inner".into())]);
        assert_eq!(pieces, vec![text("ab", Some("outer")), text("cd", Some("inner")), text("ef", Some("outer"))]);
    }
}
