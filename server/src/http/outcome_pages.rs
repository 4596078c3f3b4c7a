//! The outcome pages' backend (`app::evaluations::EvaluationDesk::{outcome, compliance}`):
//! the same reports and rules as the JSON routes in `outcomes.rs`, shaped for the pages.

use crate::accounts::{Accounts, Signed};
use crate::evaluations::outcome::{may_read_outcomes, may_write_outcomes, OutcomeState};
use crate::evaluations::{activity_visible, Evaluations};
use crate::gate::{Credential, Gate};
use app::backend::BackendError;
use app::evaluations::{ComplianceView, OutcomeLine, OutcomeView, NO_SUCH_OUTCOME};
use axum::http::HeaderMap;
use desk_core::evaluation::{activity_name, Expected};
use desk_core::model::Programme;

/// Whether the session in `headers` may see `activity`'s report.
async fn visible(gate: &Gate, headers: &HeaderMap, activity: &str) -> bool {
    activity_visible(gate, &Credential::session(crate::cookies::token_in(headers)), activity).await
}

/// Who asks for which report: `activity`'s, as it stands or at `revision`.
pub struct Asked<'a> {
    pub who: &'a Signed,
    pub activity: &'a str,
    pub revision: Option<u64>,
}

/// The report `asked` for, or not found.
pub async fn outcome(
    evaluations: &Evaluations,
    accounts: &Accounts,
    gate: &Gate,
    programme: &Programme,
    headers: &HeaderMap,
    asked: Asked<'_>,
) -> Result<OutcomeView, BackendError> {
    let Asked { who, activity, revision } = asked;
    let hidden = || BackendError::NotFound(NO_SUCH_OUTCOME.into());
    if !may_read_outcomes(&who.principal) || evaluations.outcome_scope(activity).is_err() || !visible(gate, headers, activity).await {
        return Err(hidden());
    }
    let latest = evaluations.outcome(activity).await.map_err(BackendError::from)?;
    let latest_revision = latest.revision;
    let state = match revision {
        Some(r) if r != latest_revision => evaluations.outcome_at(activity, r).await.map_err(|_| hidden())?,
        _ => latest,
    };
    let saved = match state.saved_ms {
        Some(ms) => {
            let name = match state.saved_by {
                Some(id) => accounts.display_name(id).await.map_err(BackendError::internal)?,
                None => None,
            };
            Some(match name {
                Some(name) => format!("{} by {name}", date_of(ms)),
                None => date_of(ms),
            })
        }
        None => None,
    };
    let permanent = programme.permanent_activity(activity);
    let expected_words = state
        .report
        .expected
        .iter()
        .map(|row| match (row.expected, permanent) {
            (Expected::Result(n), Some(p)) => match p.expected_results.get(n as usize - 1) {
                Some(text) => format!("Expected result {n}: {text}"),
                None => format!("Expected result {n} (no longer in the programme)"),
            },
            (e, _) => e.words(),
        })
        .collect();
    let priority_names = state
        .report
        .priorities
        .iter()
        .map(|j| programme.priorities.iter().find(|p| p.id == j.priority).map_or_else(|| j.priority.clone(), |p| format!("{}. {}", p.number, p.title)))
        .collect();
    Ok(OutcomeView {
        activity: activity.to_owned(),
        activity_name: activity_name(programme, activity).unwrap_or_else(|| activity.to_owned()),
        activity_href: match permanent {
            Some(p) => format!("/permanent-activities#{}", p.id),
            None => format!("/actions/{activity}"),
        },
        revision: state.revision,
        latest: latest_revision,
        saved,
        expected_words,
        priority_names,
        unfinished: state.unfinished.iter().map(|u| priority_named(u, programme)).collect(),
        tally: state.tally,
        report: state.report,
        may_edit: may_write_outcomes(&who.principal) && state.revision == latest_revision,
    })
}

/// Every report `who` may see: those saved, for the evaluation list's lines.
pub async fn lines(evaluations: &Evaluations, gate: &Gate, headers: &HeaderMap, who: &Signed) -> Result<Vec<OutcomeLine>, BackendError> {
    if !may_read_outcomes(&who.principal) {
        return Ok(Vec::new());
    }
    let mut lines = Vec::new();
    for state in readable(evaluations, gate, headers).await? {
        if state.revision > 0 {
            lines.push(OutcomeLine { activity: state.activity.clone(), words: state.tally.words() });
        }
    }
    Ok(lines)
}

/// The compliance view for `who` (the Secretariat and the PCs).
pub async fn compliance(
    evaluations: &Evaluations,
    gate: &Gate,
    programme: &Programme,
    headers: &HeaderMap,
    who: &Signed,
) -> Result<ComplianceView, BackendError> {
    if !may_read_outcomes(&who.principal) {
        return Err(BackendError::Refused("The compliance view is for the Secretariat and the Permanent Correspondents.".into()));
    }
    let states = readable(evaluations, gate, headers).await?;
    let reports: Vec<(String, desk_core::evaluation::OutcomeReport)> = states.iter().map(|s| (s.activity.clone(), s.report.clone())).collect();
    Ok(ComplianceView::build(programme, &reports, |id| states.iter().any(|s| s.activity == id)))
}

async fn readable(evaluations: &Evaluations, gate: &Gate, headers: &HeaderMap) -> Result<Vec<OutcomeState>, BackendError> {
    let mut readable = Vec::new();
    for state in evaluations.outcomes().await.map_err(BackendError::from)? {
        if visible(gate, headers, &state.activity).await {
            readable.push(state);
        }
    }
    Ok(readable)
}

/// A problem's text with its priority's id ("priority good-governance: …", desk-core's
/// words) replaced by the priority's name ("Priority 1. Good governance: …").
fn priority_named(problem: &str, programme: &Programme) -> String {
    programme
        .priorities
        .iter()
        .find_map(|p| problem.strip_prefix(&format!("priority {}:", p.id)).map(|rest| format!("Priority {}. {}:{rest}", p.number, p.title)))
        .unwrap_or_else(|| problem.to_owned())
}

/// `yyyy-mm-dd` (UTC) of `ms` milliseconds since the Unix epoch.
fn date_of(ms: i64) -> String {
    match cookie::time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) {
        Ok(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        Err(_) => "on an unreadable date".to_owned(),
    }
}
