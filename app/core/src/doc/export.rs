//! A ToR with its comments as Markdown: the sections in order, each commented passage followed
//! by a footnote marker, and the comments (with replies, status and suggestions) as footnotes;
//! orphaned comments are listed with the words they were about. Text from people is escaped
//! so that no Markdown renderer turns it into HTML.

use super::{placed_threads, utf16, CommentsDoc, Resolved, Status, Thread, TorDoc, TorSection};
use std::fmt::Write;

/// The document as Markdown.
pub fn tor_markdown(title: &str, tor: &TorDoc, comments: &CommentsDoc) -> String {
    // Footnotes are numbered in reading order, orphans last.
    let placed = placed_threads(tor, comments);
    let number = |i: usize| i + 1;

    let mut out = format!("# Terms of reference: {}\n", escape(title));
    for section in TorSection::ALL {
        let _ = write!(out, "\n## {}\n\n", section.label());
        let text = tor.text(section);
        // Markers go after the last commented character, from the end so offsets hold.
        let mut marks: Vec<(usize, usize)> = placed
            .iter()
            .enumerate()
            .filter_map(|(i, (_, place))| match *place {
                Resolved::At { section: s, end, .. } if s == section => Some((utf16::byte_offset(&text, end), number(i))),
                _ => None,
            })
            .collect();
        marks.sort();
        let mut body = String::new();
        let mut from = 0;
        for (at, n) in marks {
            body.push_str(&escape(&text[from..at]));
            let _ = write!(body, "[^{n}]");
            from = at;
        }
        body.push_str(&escape(&text[from..]));
        out.push_str(if body.trim().is_empty() { "_(empty)_" } else { body.trim_end() });
        out.push('\n');
    }
    if !placed.is_empty() {
        out.push_str("\n## Comments\n\n");
        for (i, (thread, place)) in placed.iter().enumerate() {
            let _ = write!(out, "[^{}]: ", number(i));
            footnote(&mut out, thread, place);
        }
    }
    out
}

fn footnote(out: &mut String, thread: &Thread, place: &Resolved) {
    let status = if thread.status == Status::Resolved { "resolved" } else { "open" };
    let quote = escape(&thread.anchor.quote);
    if *place == Resolved::Orphaned {
        let _ = write!(out, "(orphaned: the words were deleted) “{quote}” ");
    } else {
        let _ = write!(out, "“{quote}” ");
    }
    let body = thread.body.as_deref().map(escape).unwrap_or_else(|| "_deleted_".into());
    let _ = writeln!(out, "**{}** ({status}): {}", escape(&thread.author.name), indent(&body));
    if let Some(suggestion) = &thread.suggestion {
        let decision = match &suggestion.decision {
            Some((decision, by, _)) => format!("{decision:?} by {}", escape(&by.name)).to_lowercase(),
            None => "pending".into(),
        };
        let _ = writeln!(out, "    Suggested text ({decision}): {}", indent(&escape(&suggestion.text)));
    }
    for reply in &thread.replies {
        let body = reply.body.as_deref().map(escape).unwrap_or_else(|| "_deleted_".into());
        let _ = writeln!(out, "    - **{}**: {}", escape(&reply.author.name), indent(&body));
    }
    out.push('\n');
}

/// Keeps continuation lines inside the footnote.
fn indent(text: &str) -> String {
    text.replace('\n', "\n    ")
}

/// Markdown-escapes people's text, and keeps HTML out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Anchor, Author, NewComment};

    #[test]
    fn sections_footnotes_and_escaping() {
        let tor = TorDoc::new(1);
        tor.splice(TorSection::Scope, 0, 0, "Early warning on NPS.");
        let comments = CommentsDoc::new(1);
        let anna = Author { id: "a1".into(), name: "Anna".into() };
        let anchor = Anchor::new(&tor, TorSection::Scope, 0, 13).unwrap();
        let new = NewComment { author: anna, body: "<script>x</script> *why*?".into(), anchor, suggestion: None, now_ms: 1 };
        comments.add(new).unwrap();
        let md = tor_markdown("NPS", &tor, &comments);
        assert!(md.starts_with("# Terms of reference: NPS\n"));
        assert!(md.contains("## Scope\n\nEarly warning[^1] on NPS.\n"), "{md}");
        assert!(md.contains("## Purpose\n\n_(empty)_\n"));
        assert!(md.contains("[^1]: “Early warning” **Anna** (open): &lt;script&gt;x&lt;/script&gt; \\*why\\*?"), "{md}");
        assert!(!md.contains("<script>"));
    }
}
