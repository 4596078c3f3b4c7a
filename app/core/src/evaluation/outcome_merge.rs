//! Two saves of one outcome report made from the same revision, merged field by field (the
//! Secretariat's officers fill in one activity's report from their own pages, each saving a
//! whole form). Rule: a field one side changed and the other did not takes the change; a
//! field both changed to different values takes the later save's (`mine`) and is named in
//! [`Merged::both_changed`], so the page can say so; the earlier save stays in the history of
//! revisions, so nothing is lost. Outputs not expected merge as a list: when both sides
//! changed it, the later save's rows, then the rows the earlier save appended (after the
//! base's) that the later save does not have; the earlier save's edits and removals of the
//! base's rows give way to the later save's list (the list is named in `both_changed`).

use super::outcome::{Evidence, ExpectedReport, OutcomeReport, PriorityJudgement};

/// The merged report and the fields both saves changed differently, in words
/// ("Training: the status", "priority new-challenges: the note").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    pub report: OutcomeReport,
    pub both_changed: Vec<String>,
}

/// `mine` saved over `theirs`, both made from `base` (see the module's rule).
pub fn merge(base: &OutcomeReport, theirs: &OutcomeReport, mine: &OutcomeReport) -> Merged {
    let mut both = Vec::new();
    let expected = merge_rows(
        &base.expected,
        &theirs.expected,
        &mine.expected,
        |r| r.expected,
        blank_expected,
        |b, t, m, both| {
            let item = m.expected.words();
            ExpectedReport {
                expected: m.expected,
                name: field(&item, "the name", &b.name, &t.name, &m.name, both),
                status: field(&item, "the status", &b.status, &t.status, &m.status, both),
                evidence: Evidence {
                    link: field(&item, "the link", &b.evidence.link, &t.evidence.link, &m.evidence.link, both),
                    note: field(&item, "the note", &b.evidence.note, &t.evidence.note, &m.evidence.note, both),
                },
            }
        },
        &mut both,
    );
    let priorities = merge_rows(
        &base.priorities,
        &theirs.priorities,
        &mine.priorities,
        |p| p.priority.clone(),
        blank_judgement,
        |b, t, m, both| {
            let item = format!("priority {}", m.priority);
            PriorityJudgement {
                priority: m.priority.clone(),
                contribution: field(&item, "the contribution", &b.contribution, &t.contribution, &m.contribution, both),
                note: field(&item, "the note", &b.note, &t.note, &m.note, both),
            }
        },
        &mut both,
    );
    let unexpected = if mine.unexpected == base.unexpected {
        theirs.unexpected.clone()
    } else if theirs.unexpected == base.unexpected || theirs.unexpected == mine.unexpected {
        mine.unexpected.clone()
    } else {
        both.push("outputs not expected".to_owned());
        let added = theirs.unexpected.iter().skip(base.unexpected.len()).filter(|r| !mine.unexpected.contains(r));
        mine.unexpected.iter().chain(added).cloned().collect()
    };
    Merged { report: OutcomeReport { expected, unexpected, priorities }, both_changed: both }
}

/// One field: the side that changed it, or `mine` (named in `both`) when both did.
fn field<T: PartialEq + Clone>(item: &str, what: &str, base: &T, theirs: &T, mine: &T, both: &mut Vec<String>) -> T {
    if mine == base || mine == theirs {
        theirs.clone()
    } else {
        if theirs != base {
            both.push(format!("{item}: {what}"));
        }
        mine.clone()
    }
}

/// Rows keyed by `key`, in `mine`'s order then rows only `theirs` has; a side without a row
/// has a blank one.
fn merge_rows<R: Clone, K: PartialEq>(
    base: &[R],
    theirs: &[R],
    mine: &[R],
    key: impl Fn(&R) -> K,
    blank: impl Fn(&R) -> R,
    merge_row: impl Fn(&R, &R, &R, &mut Vec<String>) -> R,
    both: &mut Vec<String>,
) -> Vec<R> {
    let find = |rows: &[R], k: &K| rows.iter().find(|r| key(r) == *k).cloned();
    let keys: Vec<&R> = mine.iter().chain(theirs.iter().filter(|t| find(mine, &key(t)).is_none())).collect();
    keys.into_iter()
        .map(|row| {
            let k = key(row);
            let b = find(base, &k).unwrap_or_else(|| blank(row));
            let t = find(theirs, &k).unwrap_or_else(|| b.clone());
            let m = find(mine, &k).unwrap_or_else(|| b.clone());
            merge_row(&b, &t, &m, both)
        })
        .collect()
}

fn blank_expected(row: &ExpectedReport) -> ExpectedReport {
    ExpectedReport { expected: row.expected, name: String::new(), status: None, evidence: Evidence::default() }
}

fn blank_judgement(row: &PriorityJudgement) -> PriorityJudgement {
    PriorityJudgement { priority: row.priority.clone(), contribution: None, note: String::new() }
}
