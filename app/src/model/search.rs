//! Word search across actions, priorities and permanent activities. Every word of the query
//! must occur (case-insensitively, as a word prefix) in a record; hits in the title rank first.
//! The programme is small (some forty records), so a scan is fast and needs no index. The
//! same matching serves the text of terms of reference ([`all_words_in`]), which the server
//! searches for the session (see `pages::search`).

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

/// Lower-cases and splits text into words (letters and digits), folding typographic
/// apostrophes so "PG’s" and "PG's" are the same word.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The query's words, bounded in length and number.
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
        out.push(Record {
            kind: HitKind::Priority,
            id: &priority.id,
            title: &priority.title,
            href: format!("/priorities/{}", priority.id),
            body,
        });
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
    needles
        .iter()
        .all(|n| haystack.iter().any(|w| w.starts_with(n.as_str())))
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
        let hit = Hit {
            kind: record.kind,
            id: record.id.to_owned(),
            title: record.title.to_owned(),
            href: record.href,
        };
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
        assert!(search(&p, "\u{0}\u{ffff}é").is_empty());
    }
}
