//! Web addresses in comment bodies, found so the page can make them clickable without ever
//! treating a body as markup: a body becomes plain-text pieces and `http(s)` addresses, each
//! rendered as text (an address also as the `href` of a link). Nothing else is a link, so a
//! `javascript:` or `data:` address stays text.

/// A piece of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyPiece<'a> {
    Text(&'a str),
    Link(&'a str),
}

const SCHEMES: [&str; 2] = ["https://", "http://"];

/// `text` cut into text and addresses, in order; joined back they are `text`.
pub fn split_links(text: &str) -> Vec<BodyPiece<'_>> {
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let starts_word = text[..at].chars().next_back().is_none_or(|c| c.is_whitespace() || "([<\"'«“".contains(c));
        let scheme = SCHEMES.iter().find(|s| rest.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)));
        if let (true, Some(scheme)) = (starts_word, scheme) {
            let len = address_len(rest);
            if len > scheme.len() {
                if plain_from < at {
                    pieces.push(BodyPiece::Text(&text[plain_from..at]));
                }
                pieces.push(BodyPiece::Link(&rest[..len]));
                at += len;
                plain_from = at;
                continue;
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    if plain_from < text.len() {
        pieces.push(BodyPiece::Text(&text[plain_from..]));
    }
    pieces
}

/// How much of `rest` (which starts with a scheme) is the address: up to a space or a
/// character that cannot be in one, less the punctuation that usually ends a sentence, and a
/// closing bracket that the address did not open.
fn address_len(rest: &str) -> usize {
    let end = rest.find(|c: char| c.is_whitespace() || c.is_control() || "<>\"`{}|\\^".contains(c)).unwrap_or(rest.len());
    let mut address = &rest[..end];
    loop {
        let trimmed = address.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '»', '”']);
        let trimmed = match trimmed.strip_suffix(')') {
            Some(inner) if inner.matches('(').count() < trimmed.matches(')').count() => inner,
            _ => trimmed,
        };
        if trimmed.len() == address.len() {
            return address.len();
        }
        address = trimmed;
    }
}

#[cfg(test)]
mod tests {
    use super::BodyPiece::{Link, Text};
    use super::*;

    #[test]
    fn finds_addresses_and_leaves_the_rest_as_text() {
        assert_eq!(
            split_links("See https://www.coe.int/pompidou, and (http://example.org/a_(b)).\nThanks"),
            [Text("See "), Link("https://www.coe.int/pompidou"), Text(", and ("), Link("http://example.org/a_(b)"), Text(").\nThanks")]
        );
        assert_eq!(split_links("HTTPS://EXAMPLE.ORG?"), [Link("HTTPS://EXAMPLE.ORG"), Text("?")]);
        assert_eq!(split_links("«https://a.eu/x»"), [Text("«"), Link("https://a.eu/x"), Text("»")]);
    }

    #[test]
    fn nothing_else_is_a_link() {
        for text in [
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "<a href=\"https://x.org\">x</a>",
            "xhttps://evil.org",
            "https://",
            "http:// spaced",
            "",
            "plain words, no address",
        ] {
            let pieces = split_links(text);
            let links: Vec<_> = pieces.iter().filter(|p| matches!(p, Link(_))).collect();
            let joined: String = pieces
                .iter()
                .map(|p| match p {
                    Text(t) | Link(t) => *t,
                })
                .collect();
            assert_eq!(joined, text);
            // In markup, the address inside the attribute stops at the quote: not a link of
            // the attribute, only of its value.
            if text.starts_with("<a") {
                assert_eq!(links, [&Link("https://x.org")]);
            } else {
                assert!(links.is_empty(), "{text:?} gave {links:?}");
            }
        }
    }

    #[test]
    fn joined_back_the_pieces_are_the_body() {
        let text = "a https://é.example/ü?q=1#f b\u{1F600} http://x.y, http://z.w)";
        let joined: String = split_links(text)
            .iter()
            .map(|p| match p {
                Text(t) | Link(t) => *t,
            })
            .collect();
        assert_eq!(joined, text);
    }
}
