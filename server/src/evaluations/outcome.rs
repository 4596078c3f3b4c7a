//! The outcome evaluation on the server (issue 15): each action's and permanent activity's
//! outcome report, read by the Secretariat and the Permanent Correspondents and written by
//! the Secretariat. A save keeps whatever it can: only rows the activity does not expect, or
//! one given twice, refuse it (`OutcomeProblem::refuses`); every other problem leaves a kept
//! report listed as unfinished. A save from an older revision is merged with the newer one
//! (`desk_core::evaluation::merge`), every revision staying in the store.

use super::{EvaluationError, Evaluations};
use crate::store::outcomes::{NewOutcome, OutcomeRevision, SavedOutcome};
use desk_core::access::Principal;
use desk_core::evaluation::{OutcomeProblem, OutcomeReport, OutcomeScope};
use desk_core::model::is_slug;
use serde::Serialize;

/// Whether `principal` may read outcome reports and the compliance view: the Secretariat and
/// the Permanent Correspondents (the issue: "PCs the aggregated mid-term and outcome
/// results"). Callers also check `activity_visible`.
pub fn may_read_outcomes(principal: &Principal) -> bool {
    crate::accounts::is_secretariat(principal) || super::is_pc(principal)
}

/// Whether `principal` may write outcome reports: the Secretariat (the seed: the outcome
/// evaluation is the Secretariat's).
pub fn may_write_outcomes(principal: &Principal) -> bool {
    crate::accounts::is_secretariat(principal)
}

/// An activity's report as the API gives it. JSON: `{"activity", "revision" (0: never
/// saved), "saved_ms", "report": OutcomeReport (a row for every expected output and
/// priority), "unfinished": [text], "tally": Tally}`.
#[derive(Clone, Debug, Serialize)]
pub struct OutcomeState {
    pub activity: String,
    pub revision: u64,
    pub saved_ms: Option<i64>,
    #[serde(skip)]
    pub saved_by: Option<i64>,
    pub report: OutcomeReport,
    pub unfinished: Vec<String>,
    pub tally: desk_core::evaluation::Tally,
}

impl OutcomeState {
    fn of(activity: &str, scope: &OutcomeScope, stored: Option<OutcomeRevision>) -> Self {
        let (revision, saved_ms, saved_by, report) = match stored {
            Some(r) => (r.revision, Some(r.saved_ms), r.saved_by, r.report.completed(scope)),
            None => (0, None, None, scope.blank()),
        };
        let unfinished = report.check(scope).err().unwrap_or_default().iter().map(ToString::to_string).collect();
        Self { activity: activity.to_owned(), revision, saved_ms, saved_by, tally: report.tally(scope), report, unfinished }
    }
}

impl Evaluations {
    /// What `activity`'s report covers: an action's matrix outputs and priority, a
    /// permanent activity's expected results and every priority.
    pub fn outcome_scope(&self, activity: &str) -> Result<OutcomeScope, EvaluationError> {
        if !is_slug(activity) {
            return Err(EvaluationError::NotFound);
        }
        match (self.programme.action(activity), self.programme.permanent_activity(activity)) {
            (Some(action), _) => Ok(OutcomeScope::action(action)),
            (None, Some(permanent)) => Ok(OutcomeScope::permanent_activity(permanent, &self.programme)),
            (None, None) => Err(EvaluationError::NotFound),
        }
    }

    /// `activity`'s report as it stands (blank, revision 0, before the first save).
    pub async fn outcome(&self, activity: &str) -> Result<OutcomeState, EvaluationError> {
        let scope = self.outcome_scope(activity)?;
        let stored = self.store.outcome(activity, None).await?;
        Ok(OutcomeState::of(activity, &scope, stored))
    }

    /// Every activity's report as it stands, those never saved blank, actions first in the
    /// programme's order, then the permanent activities.
    pub async fn outcomes(&self) -> Result<Vec<OutcomeState>, EvaluationError> {
        let mut stored = self.store.latest_outcomes().await?;
        let ids = self.programme.actions().map(|a| a.id.clone()).chain(self.programme.permanent_activities.iter().map(|a| a.id.clone()));
        ids.map(|id| {
            let scope = self.outcome_scope(&id)?;
            let mine = stored.iter().position(|r| r.activity == id).map(|at| stored.swap_remove(at));
            Ok(OutcomeState::of(&id, &scope, mine))
        })
        .collect()
    }

    /// Saves `report` as `activity`'s next revision, made from revision `base`, by account
    /// `by` (the caller checked [`may_write_outcomes`]). Refused, in words, when a row is one
    /// the activity does not expect or is given twice; anything else unfinished is kept.
    pub async fn save_outcome(&self, activity: &str, base: u64, report: &OutcomeReport, by: Option<i64>) -> Result<SavedOutcome, EvaluationError> {
        let scope = self.outcome_scope(activity)?;
        let refusing: Vec<String> = report.check(&scope).err().unwrap_or_default().iter().filter(|p| p.refuses()).map(OutcomeProblem::to_string).collect();
        if !refusing.is_empty() {
            return Err(EvaluationError::BadReport(refusing.join("; ")));
        }
        let stored = self.store.outcome(activity, None).await?;
        let latest = stored.as_ref().map_or(0, |r| r.revision);
        // Saving what is stored, unchanged, from the latest revision writes nothing.
        if let Some(stored) = stored.filter(|s| s.revision == base && s.report == *report) {
            return Ok(SavedOutcome { revision: stored.revision, merged: false, both_changed: Vec::new() });
        }
        if base > latest {
            return Err(EvaluationError::BadReport(format!(
                "the form was made from revision {base} of this report, which has {latest}: reload the page, copy what you typed into it and save again"
            )));
        }
        let new = NewOutcome { activity, base, report, saved_by: by, saved_ms: crate::accounts::now_ms() };
        self.store.save_outcome(&new).await?.ok_or(EvaluationError::Contended)
    }

    /// Revision `revision` of `activity`'s report, as it was saved (not found if it never was).
    pub async fn outcome_at(&self, activity: &str, revision: u64) -> Result<OutcomeState, EvaluationError> {
        let scope = self.outcome_scope(activity)?;
        let stored = self.store.outcome(activity, Some(revision)).await?.ok_or(EvaluationError::NotFound)?;
        Ok(OutcomeState::of(activity, &scope, Some(stored)))
    }
}
