//! Results and the CSV export of one evaluation's current form version, as the server gives
//! them: counted by `desk_core::evaluation::results`, hidden for an anonymous questionnaire
//! under [`MIN_ANONYMOUS_RESPONSES`], its figures and CSV moving in batches while it is open
//! (`desk_core::evaluation::published`; the count of respondents is always current), and the CSV written with the `csv` crate (UTF-8 with a
//! byte-order mark so spreadsheets read accents; rows shuffled, so their order does not
//! follow arrival; cells typed and neutralised by desk_core's `export`).

use super::{EvaluationError, EvaluationSummary, Evaluations};
use crate::store::evaluations::EvaluationRow;
use crate::store::evaluations::StoredResponse;
use desk_core::evaluation::{columns, latest, may_show, published, results, rows, Respondents, Response, ResponseRate, Results, MIN_ANONYMOUS_RESPONSES};
use serde::Serialize;

/// An evaluation's results as the API gives them. JSON: `{"evaluation": EvaluationSummary,
/// "responses", "rate": {"responses", "expected"?}, "late", "figures_from", "waiting", "shown",
/// "note"?, "results"?: Results}`.
#[derive(Clone, Debug, Serialize)]
pub struct ResultsView {
    pub evaluation: EvaluationSummary,
    /// Respondents counted (their latest submission, to the current version).
    pub responses: u32,
    /// Of how many could answer, where that is known: the mid-term evaluation's delegations
    /// on the Secretariat's list ("23 of 41 delegations").
    pub rate: ResponseRate,
    /// Of those, how many arrived after the closing date.
    pub late: u32,
    /// Respondents the figures (and the CSV) count: `responses`, but for an open anonymous
    /// questionnaire those of its submissions published so far (whole batches of 3).
    pub figures_from: u32,
    /// Submissions received that the figures do not count yet (0 to 2: they are published
    /// with the next ones, or when the questionnaire closes).
    pub waiting: u32,
    /// Whether the results are shown (an anonymous questionnaire's only from 3 respondents
    /// counted in its figures).
    pub shown: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Results>,
}

/// `evaluation`'s submissions in arrival order, and how many of them its figures and CSV
/// count ([`published`]).
async fn submissions(evaluations: &Evaluations, evaluation: &EvaluationRow) -> Result<(Vec<StoredResponse>, usize), EvaluationError> {
    let stored = evaluations.store().responses(&evaluation.id).await?;
    let (today, _) = super::today_and_now();
    let closed = today.as_str() > evaluation.closes.as_str();
    let counted = published(stored.len(), evaluation.format.respondents().anonymous(), closed);
    Ok((stored, counted))
}

/// The results of `evaluation`'s current version.
pub async fn results_of(evaluations: &Evaluations, evaluation: &EvaluationRow) -> Result<ResultsView, EvaluationError> {
    let (version, form) = evaluation.versions.current().ok_or(EvaluationError::NotFound)?;
    let (stored, publish) = submissions(evaluations, evaluation).await?;
    // The submissions that arrived late, by (respondent, revision): one look-up per respondent
    // counted (a thousand answers made a scan per respondent cost milliseconds).
    let mut arrived_late = std::collections::HashSet::new();
    let all: Vec<Response> = stored
        .into_iter()
        .map(|s| {
            if s.late {
                arrived_late.insert((s.response.respondent.clone(), s.response.revision));
            }
            s.response
        })
        .collect();
    let counted: Vec<_> = latest(&all).into_iter().filter(|r| r.submission.form_version == version).collect();
    let late = counted.iter().filter(|r| arrived_late.contains(&(r.respondent.clone(), r.revision))).count() as u32;
    let responses = counted.len() as u32;
    let figures_from = latest(&all[..publish]).into_iter().filter(|r| r.submission.form_version == version).count() as u32;
    let anonymous = evaluation.format.respondents().anonymous();
    let shown = may_show(anonymous, figures_from);
    let expected = match evaluation.format.respondents() {
        Respondents::EachDelegation => Some(
            evaluations
                .accounts
                .delegations()
                .await
                .map_err(|e| match e {
                    crate::accounts::AccountError::Store(e) => EvaluationError::Store(e),
                    other => EvaluationError::Refused(other.to_string()),
                })?
                .len() as u32,
        ),
        _ => None,
    };
    Ok(ResultsView {
        evaluation: EvaluationSummary::from(evaluation),
        responses,
        rate: ResponseRate { responses, expected },
        late,
        figures_from,
        waiting: (all.len() - publish) as u32,
        shown,
        note: (!shown).then(|| {
            format!("The results of an anonymous questionnaire are shown from {MIN_ANONYMOUS_RESPONSES} answers, so that nobody's answers can be picked out.")
        }),
        results: shown.then(|| results(form, version, &all[..publish])),
    })
}

/// The CSV of `evaluation`'s current version: a byte-order mark, the header of column ids,
/// one row per respondent in random order, of the submissions the figures count. Refused,
/// like the results, for an anonymous questionnaire with fewer than 3 answers counted.
pub async fn csv_of(evaluations: &Evaluations, evaluation: &EvaluationRow) -> Result<Vec<u8>, EvaluationError> {
    let (version, form) = evaluation.versions.current().ok_or(EvaluationError::NotFound)?;
    let (stored, publish) = submissions(evaluations, evaluation).await?;
    let all: Vec<Response> = stored.into_iter().take(publish).map(|s| s.response).collect();
    let mut rows = rows(form, version, &all);
    if !may_show(evaluation.format.respondents().anonymous(), rows.len() as u32) {
        return Err(EvaluationError::Refused(format!("the answers of an anonymous questionnaire are exported from {MIN_ANONYMOUS_RESPONSES} answers")));
    }
    fastrand::shuffle(&mut rows);
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let write = |e: csv::Error| EvaluationError::Store(crate::store::StoreError::Corrupt(format!("writing the CSV: {e}")));
        writer.write_record(columns(form).iter().map(|c| c.id.as_str())).map_err(write)?;
        for row in rows {
            writer.write_record(row.iter().map(|cell| cell.field())).map_err(write)?;
        }
        writer.flush().map_err(|e| write(e.into()))?;
    }
    Ok(out)
}
