//! An outcome report as the fields of a plain HTML form, so the Secretariat's outcome page
//! works without JavaScript: the name of each row's fields ([`outcome_field`]) and the report
//! read back from what the browser posted ([`outcome_from_fields`]).
//!
//! Fields: expected output `i` posts `e<i>` (its [`Expected::key`]), `e<i>-status` (a
//! [`Delivery`] key, or empty: not said), `e<i>-name`, `e<i>-link`, `e<i>-note`; output not
//! expected `j` posts `u<j>-output` (an [`Output`] key), `u<j>-name`, `u<j>-link`,
//! `u<j>-note`; priority `k` posts `p<k>` (its id), `p<k>-contribution` (a [`Contribution`]
//! key, or empty), `p<k>-note`. Other fields (the revision the form started from) are not
//! the report's.

use super::outcome::{Contribution, Delivery, Evidence, Expected, ExpectedReport, OutcomeReport, PriorityJudgement, UnexpectedReport};
use crate::model::Output;
use std::collections::BTreeMap;

/// The most rows of each kind a posted form may carry (the matrix has at most eight outputs
/// per action and the seed at most a dozen expected results per permanent activity).
pub const MAX_ROWS: usize = 100;

/// The name of a row's field: `outcome_field('e', 2, "status")` is `e2-status`; an empty
/// `part` names the row's key field (`e2`).
pub fn outcome_field(kind: char, index: usize, part: &str) -> String {
    match part {
        "" => format!("{kind}{index}"),
        part => format!("{kind}{index}-{part}"),
    }
}

/// One row's fields as posted: part ("" for the key) → value.
type Row = BTreeMap<String, String>;

/// The report in a posted form's `fields` (name, value). Rules: text is trimmed, and an
/// empty link is no link; an output not expected whose name, link and note are all blank is
/// no row (the form offers blank rows to fill in); an empty status or contribution is "not
/// said yet". Errors, in words: a key or a choice that is not one of the form's (only a
/// tampered form sends one), a row index over [`MAX_ROWS`], a field given twice.
pub fn outcome_from_fields(fields: &[(String, String)]) -> Result<OutcomeReport, String> {
    let mut rows: BTreeMap<(char, usize), Row> = BTreeMap::new();
    for (name, value) in fields {
        let Some((kind, index, part)) = split_name(name) else { continue };
        if index >= MAX_ROWS {
            return Err(format!("the form has more than {MAX_ROWS} rows"));
        }
        if rows.entry((kind, index)).or_default().insert(part.to_owned(), value.trim().to_owned()).is_some() {
            return Err(format!("the field {name} was sent twice"));
        }
    }
    let mut report = OutcomeReport::default();
    for ((kind, _), row) in rows {
        let text = |part: &str| row.get(part).cloned().unwrap_or_default();
        let evidence = Evidence { link: Some(text("link")).filter(|l| !l.is_empty()), note: text("note") };
        match kind {
            'e' => {
                let key = text("");
                let expected = Expected::from_key(&key).ok_or_else(|| format!("{key:?} is not an expected output"))?;
                let status = choice(&text("status"), Delivery::from_key, "a delivery status")?;
                report.expected.push(ExpectedReport { expected, name: text("name"), status, evidence });
            }
            'u' => {
                if text("name").is_empty() && evidence.is_empty() {
                    continue;
                }
                let key = text("output");
                let output = Output::from_key(&key).ok_or_else(|| format!("{key:?} is not a kind of output"))?;
                report.unexpected.push(UnexpectedReport { output, name: text("name"), evidence });
            }
            _ => {
                let contribution = choice(&text("contribution"), Contribution::from_key, "a contribution")?;
                report.priorities.push(PriorityJudgement { priority: text(""), contribution, note: text("note") });
            }
        }
    }
    Ok(report)
}

/// `e12-status` → ('e', 12, "status"); `p0` → ('p', 0, ""); anything else `None`.
fn split_name(name: &str) -> Option<(char, usize, &str)> {
    let kind = name.chars().next().filter(|c| matches!(c, 'e' | 'u' | 'p'))?;
    let rest = &name[1..];
    let (index, part) = rest.split_once('-').unwrap_or((rest, ""));
    if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // An index too long to read is over [`MAX_ROWS`] too: refused, not ignored.
    Some((kind, index.parse().unwrap_or(usize::MAX), part))
}

/// An empty choice is none; otherwise one of `from_key`'s, or an error naming `what`.
fn choice<T>(key: &str, from_key: fn(&str) -> Option<T>, what: &str) -> Result<Option<T>, String> {
    match key {
        "" => Ok(None),
        key => from_key(key).map(Some).ok_or_else(|| format!("{key:?} is not {what}")),
    }
}
