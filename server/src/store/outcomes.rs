//! What the server asks of its database for outcome reports (issue 15's outcome evaluation):
//! every saved revision of each activity's report, the latest being the report. The rules
//! (who may save, what a report must say, how two saves merge) are `crate::evaluations::outcome`'s
//! and `desk_core::evaluation`'s; a store keeps the rows and does each save in one transaction.

use super::StoreError;
use async_trait::async_trait;
use desk_core::evaluation::OutcomeReport;

/// One saved revision of an activity's report.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeRevision {
    /// The action's or permanent activity's programme id.
    pub activity: String,
    /// 1 for the first save, one more for each save after it.
    pub revision: u64,
    pub report: OutcomeReport,
    /// The account that saved it (`None` once that account is gone).
    pub saved_by: Option<i64>,
    /// Milliseconds since the Unix epoch.
    pub saved_ms: i64,
}

/// A save to record: `report` as its author saw it, made from revision `base` (0: from no
/// report).
pub struct NewOutcome<'a> {
    pub activity: &'a str,
    pub base: u64,
    pub report: &'a OutcomeReport,
    pub saved_by: Option<i64>,
    pub saved_ms: i64,
}

/// What a save came to: the revision written and, when others saved since `base`, the
/// fields both changed (see `desk_core::evaluation::merge`; empty when nothing was merged).
#[derive(Clone, Debug, PartialEq)]
pub struct SavedOutcome {
    pub revision: u64,
    pub merged: bool,
    pub both_changed: Vec<String>,
}

#[async_trait]
pub trait OutcomeStore: Send + Sync + 'static {
    /// The latest revision of every activity's report, in no particular order.
    async fn latest_outcomes(&self) -> Result<Vec<OutcomeRevision>, StoreError>;
    /// Revision `revision` of `activity`'s report, or its latest with `None`.
    async fn outcome(&self, activity: &str, revision: Option<u64>) -> Result<Option<OutcomeRevision>, StoreError>;
    /// Writes the next revision of `new.activity`'s report in one transaction: `new.report`
    /// itself when the latest is still `new.base`, else `new.report` merged with the latest
    /// from revision `base` (a `base` newer than the latest is read as the latest). `None`
    /// when others kept taking the next revision number while this save tried.
    async fn save_outcome(&self, new: &NewOutcome<'_>) -> Result<Option<SavedOutcome>, StoreError>;
}
