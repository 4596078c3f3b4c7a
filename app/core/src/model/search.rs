//! Word search across actions, priorities and permanent activities. Every word of the query
//! must occur (as a word prefix, ignoring case, accents and the Unicode normalization form:
//! both sides go through [`fold`]) in a record; hits in the title rank first. The programme is
//! small (some forty records), so a scan is fast and needs no index. The same matching serves
//! the text of terms of reference ([`all_words_in`]), which the server searches for the
//! session (see `pages::search`). It runs on the server and, after hydration, in the browser
//! (the search page renders its results again there).

use super::fold::fold;
use super::Programme;
use serde::{Deserialize, Serialize};

/// Queries longer than this are cut; more words than [`MAX_WORDS`] are ignored.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_WORDS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Priority,
    Action,
    PermanentActivity,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: HitKind,
    pub id: String,
    pub title: String,
    /// The page of the hit, e.g. "/actions/nps".
    pub href: String,
}

/// Folds `text` ([`fold`]: NFKD, no accents, lowercase) and splits it into words: runs of
/// letters and digits (`char::is_alphanumeric`: Unicode Alphabetic or Numeric, so Greek,
/// Cyrillic, Arabic, Devanagari, Han …) and each pictograph ([`is_pictograph`]: emoji) on its
/// own. Everything else separates words: white space, punctuation (so "PG’s" and "PG's" are
/// both `["pg", "s"]`), the zero-width joiner of emoji sequences, other symbols. Folding comes
/// first, so a decomposed accent cannot split a word. Shape: `words("Re\u{301}union 🎉!")
/// == ["reunion", "🎉"]`.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in fold(text).chars() {
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if is_pictograph(c) {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Whether `c` is in a block where emoji live (Unicode's emoji-data.txt, property `Emoji`):
/// ©, ®, arrows, technical and geometric symbols, dingbats, and the pictograph blocks of
/// the Supplementary Multilingual Plane, U+1F000–U+1FAFF (emoticons, flags' regional indicators, skin-tone modifiers …).
/// Whole blocks rather than the exact list, so the wasm bundle carries a dozen ranges and
/// emoji added to these blocks later are words too; `every_emoji_is_a_word` checks the list
/// against `unicode-properties`' `Emoji` on the host.
fn is_pictograph(c: char) -> bool {
    const BLOCKS: [(char, char); 11] = [
        ('\u{A9}', '\u{A9}'),
        ('\u{AE}', '\u{AE}'),
        ('\u{2190}', '\u{21FF}'),   // Arrows
        ('\u{2300}', '\u{23FF}'),   // Miscellaneous Technical
        ('\u{25A0}', '\u{25FF}'),   // Geometric Shapes
        ('\u{2600}', '\u{27BF}'),   // Miscellaneous Symbols, Dingbats
        ('\u{2900}', '\u{297F}'),   // Supplemental Arrows-B
        ('\u{2B00}', '\u{2BFF}'),   // Miscellaneous Symbols and Arrows
        ('\u{3030}', '\u{3030}'),   // wavy dash
        ('\u{303D}', '\u{303D}'),   // part alternation mark
        ('\u{1F000}', '\u{1FAFF}'), // Mahjong Tiles … Symbols and Pictographs Extended-A
    ];
    BLOCKS.iter().any(|&(first, last)| (first..=last).contains(&c))
}

/// The query's words ([`words`]: folded), bounded in length (in chars, before folding) and
/// number.
pub fn query_words(query: &str) -> Vec<String> {
    let cut: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut out = words(&cut);
    out.dedup();
    out.truncate(MAX_WORDS);
    out
}

struct Record<'a> {
    kind: HitKind,
    id: &'a str,
    title: &'a str,
    href: String,
    body: Vec<&'a str>,
}

fn records(p: &Programme) -> Vec<Record<'_>> {
    let mut out = Vec::new();
    for priority in &p.priorities {
        let mut body = Vec::new();
        for item in &priority.items {
            body.push(item.text.as_str());
            body.extend(item.items.iter().map(String::as_str));
        }
        out.push(Record { kind: HitKind::Priority, id: &priority.id, title: &priority.title, href: format!("/priorities/{}", priority.id), body });
    }
    for action in p.actions() {
        out.push(Record {
            kind: HitKind::Action,
            id: &action.id,
            title: &action.title,
            href: format!("/actions/{}", action.id),
            body: vec![action.format.label()],
        });
    }
    for activity in &p.permanent_activities {
        let mut body = vec![activity.aims.as_str()];
        body.extend(activity.expected_results_lead.as_deref());
        body.extend(activity.expected_results.iter().map(String::as_str));
        out.push(Record {
            kind: HitKind::PermanentActivity,
            id: &activity.id,
            title: &activity.name,
            href: format!("/permanent-activities#{}", activity.id),
            body,
        });
    }
    out
}

fn contains_all(haystack: &[String], needles: &[String]) -> bool {
    needles.iter().all(|n| haystack.iter().any(|w| w.starts_with(n.as_str())))
}

/// Whether every word of `query` occurs (as a word prefix) somewhere in `texts`. An empty
/// query matches nothing.
pub fn all_words_in(texts: &[&str], query: &str) -> bool {
    let needles = query_words(query);
    let haystack: Vec<String> = texts.iter().flat_map(|text| words(text)).collect();
    !needles.is_empty() && contains_all(&haystack, &needles)
}

/// Finds the records that contain every word of `query`. Title hits come first, then the
/// rest, each group in programme order. An empty query finds nothing.
pub fn search(programme: &Programme, query: &str) -> Vec<Hit> {
    let needles = query_words(query);
    if needles.is_empty() {
        return Vec::new();
    }
    let mut in_title = Vec::new();
    let mut in_body = Vec::new();
    for record in records(programme) {
        let title_words = words(record.title);
        let mut all_words = title_words.clone();
        for text in &record.body {
            all_words.extend(words(text));
        }
        if !contains_all(&all_words, &needles) {
            continue;
        }
        let hit = Hit { kind: record.kind, id: record.id.to_owned(), title: record.title.to_owned(), href: record.href };
        if contains_all(&title_words, &needles) {
            in_title.push(hit);
        } else {
            in_body.push(hit);
        }
    }
    in_title.extend(in_body);
    in_title
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::seed;

    #[test]
    fn every_word_of_the_query_somewhere_in_the_texts() {
        let texts = ["Scope: MedNET countries", "Timespan 2019–2022"];
        assert!(all_words_in(&texts, "mednet 2019"));
        assert!(all_words_in(&texts, "COUNTR"), "a prefix, any case");
        assert!(!all_words_in(&texts, "mednet airports"));
        assert!(!all_words_in(&texts, "  "), "nothing for an empty query");
        assert!(!all_words_in(&[], "mednet"));
    }

    /// "Réunion" as typed (NFC: one "é") and as pasted from macOS or a PDF (NFD: "e" and
    /// U+0301 COMBINING ACUTE ACCENT).
    const NFC: &str = "R\u{e9}union";
    const NFD: &str = "Re\u{301}union";

    #[test]
    fn either_normalization_form_finds_the_other() {
        assert!(all_words_in(&[&format!("Annual {NFD} of correspondents")], &NFC.to_lowercase()));
        assert!(all_words_in(&[&format!("Annual {NFC} of correspondents")], &NFD.to_lowercase()));
        assert!(all_words_in(&[NFD], NFC));
        assert!(all_words_in(&[NFC], NFD));
        assert!(all_words_in(&[NFD], "R\u{e9}un"), "a prefix, composed, of decomposed text");
        assert!(!all_words_in(&[NFD], "union"), "a decomposed accent does not split a word");
    }

    #[test]
    fn accents_are_ignored_both_ways() {
        for text in [NFC, NFD] {
            assert!(all_words_in(&[text], "reunion"), "{text:?}");
            assert!(all_words_in(&[text], "REUNION"), "{text:?}");
        }
        assert!(all_words_in(&["Reunion"], NFC), "an accented query finds plain text");
        assert!(all_words_in(&["cœur"], "coeur"));
        assert!(all_words_in(&["Łódź"], "lodz"));
        assert!(all_words_in(&["ﬁnancement"], "financement"), "a ligature from a PDF");
    }

    #[test]
    fn case_beyond_ascii() {
        assert!(all_words_in(&["évaluation"], "ÉVALUATION"));
        assert!(all_words_in(&["ÉVALUATION"], "évaluation"));
        assert!(all_words_in(&["évaluation"], "E\u{301}VALUATION"), "decomposed capitals");
        assert!(all_words_in(&["Straße"], "STRASSE"));
        assert!(all_words_in(&["STRAẞE"], "straße"));
        assert!(all_words_in(&["İstanbul"], "istanbul"), "Turkish dotted capital I");
        assert!(all_words_in(&["ISPARTA"], "ısparta"), "Turkish dotless small i");
        // Greek: case, the tonos, and a final sigma that is a prefix of a longer word.
        assert!(all_words_in(&["Αθήνα"], "ΑΘΗΝΑ"));
        assert!(all_words_in(&["ΑΘΗΝΑ"], "αθήνα"));
        assert!(all_words_in(&["οδοστρωσία"], "ΟΔΟΣ"));
        assert!(all_words_in(&["ΟΔΟΣ"], "οδος"));
        // Cyrillic: case, and ё as е.
        assert!(all_words_in(&["Москва"], "МОСКВА"));
        assert!(all_words_in(&["ЁЛКА"], "ёлка"));
        assert!(all_words_in(&["ёлка"], "елка"));
    }

    #[test]
    fn emoji_and_non_latin_words_are_findable() {
        let texts = ["Kick-off 🎉 in Strasbourg", "Zoom 👩\u{200d}💻 ❤\u{fe0f}"];
        assert!(all_words_in(&texts, "🎉"));
        assert!(all_words_in(&texts, "🎉 strasbourg"));
        assert!(all_words_in(&texts, "❤"), "with or without the emoji variation selector");
        assert!(all_words_in(&texts, "❤\u{fe0f}"));
        assert!(all_words_in(&texts, "💻"), "one emoji of a ZWJ sequence");
        assert!(!all_words_in(&texts, "🍕"));
        // Arabic, with its short vowels (harakat) written or not.
        assert!(all_words_in(&["اجتماع المُدِير"], "المدير"));
        assert!(all_words_in(&["اجتماع المدير"], "المُدِير"));
        assert!(all_words_in(&["اجتماع المدير"], "اجتماع"));
        assert!(all_words_in(&["Ελληνικά", "Русский язык", "עִבְרִית", "हिन्दी", "日本語"], "ελληνικα русск עברית हिन्दी 日本語"));
    }

    /// Every character with Unicode's `Emoji` property is a word, but for the ASCII digits, "#"
    /// and "*" (words or separators as ever) and "‼" and "⁉", which NFKD makes "!!" and "?!".
    #[test]
    fn every_emoji_is_a_word() {
        use unicode_properties::UnicodeEmoji;
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|c| c.is_emoji_char() && !c.is_ascii() && !['‼', '⁉'].contains(c)) {
            assert!(!words(&c.to_string()).is_empty(), "{c} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn a_query_of_only_marks_or_nothing_finds_nothing() {
        let texts = [NFD, NFC, "🎉", "plain words"];
        for query in ["", "   ", "\u{301}", " \u{301}\u{308} \u{fe0f} ", "\u{200d}", "’ – …"] {
            assert!(query_words(query).is_empty(), "{query:?}");
            assert!(!all_words_in(&texts, query), "{query:?}");
            assert!(search(&seed::programme(), query).is_empty(), "{query:?}");
        }
    }

    #[test]
    fn programme_search_folds_and_returns_the_original_title() {
        let mut p = seed::programme();
        let title = format!("{NFD} des correspondants permanents");
        p.priorities[0].actions[0].title = title.clone();
        let id = p.priorities[0].actions[0].id.clone();
        for query in [NFC, "reunion", "RÉUNION correspondants"] {
            let hits = search(&p, query);
            assert_eq!(ids(&hits), [id.as_str()], "{query:?}");
            assert_eq!(hits[0].title, title, "the title as stored, not folded");
        }
    }

    fn ids(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn finds_actions_priorities_and_permanent_activities() {
        let p = seed::programme();
        // The action by its title, then its priority through a sub-item.
        assert_eq!(ids(&search(&p, "stimulants")), ["stimulants", "new-challenges"]);
        let hits = search(&p, "Airports");
        assert!(ids(&hits).contains(&"airports-group"), "{hits:?}");
        assert_eq!(hits[0].kind, HitKind::PermanentActivity);
        assert_eq!(hits[0].href, "/permanent-activities#airports-group");
        // A priority found through one of its sub-items.
        let hits = search(&p, "unaccompanied minors");
        assert!(ids(&hits).contains(&"new-challenges"), "{hits:?}");
        assert!(ids(&hits).contains(&"unaccompanied-minors-refugees"), "{hits:?}");
    }

    #[test]
    fn every_word_must_match_and_case_does_not_matter() {
        let p = seed::programme();
        assert_eq!(ids(&search(&p, "EARLY intervention")), ["early-intervention", "international-drug-policy"]);
        assert!(search(&p, "early zebra").is_empty());
        // Prefixes match: "stigm" finds "stigma".
        assert_eq!(ids(&search(&p, "stigm")), ["reducing-stigma", "good-governance"]);
    }

    #[test]
    fn title_hits_rank_before_body_hits() {
        let p = seed::programme();
        let hits = search(&p, "police");
        let first_body_hit = hits.iter().position(|h| !words(&h.title).iter().any(|w| w.starts_with("police")));
        if let Some(boundary) = first_body_hit {
            assert!(hits[boundary..].iter().all(|h| !words(&h.title).iter().any(|w| w.starts_with("police"))));
        }
        assert_eq!(hits[0].id, "police-in-prevention");
    }

    #[test]
    fn odd_queries_find_nothing_and_never_panic() {
        let p = seed::programme();
        assert!(search(&p, "").is_empty());
        assert!(search(&p, "   ,;:!  ").is_empty());
        assert!(search(&p, "<script>alert(1)</script>").is_empty());
        let huge = "drug ".repeat(100_000);
        assert_eq!(query_words(&huge), ["drug"]);
        assert!(!search(&p, &huge).is_empty());
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(query_words(&many).len(), MAX_WORDS);
        // Controls and noncharacters separate words; the accent is ignored.
        assert_eq!(search(&p, "\u{0}\u{ffff}é"), search(&p, "e"));
        assert!(search(&p, "\u{0}\u{ffff}ézq").is_empty());
    }
}
