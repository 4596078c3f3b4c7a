//! Answering: who the respondent is for each format (an anonymous browser key, a Secretariat
//! member, a delegation), and a submission checked here as the browser checked it (the form
//! version, required answers, types, bounds, unknown questions: `Versions::accept` inside the
//! store's transaction). A refused submission keeps the answers as the respondent's draft and
//! says why; one arriving after the closing date is kept and marked late, never dropped.

use super::{respondent, EvaluationError, Evaluations};
use crate::store::evaluations::{EvaluationRow, NewSubmission, Recorded};
use desk_core::evaluation::{from_fields, Answers, FormVersion, Format, Problem, Submission, SubmissionError};
use serde::Serialize;
use std::net::IpAddr;

/// Who is answering, as the request shows it.
#[derive(Clone, Debug)]
pub enum Respondent {
    /// A browser with its respondent key (see `respondent.rs`), signed in or not: the
    /// questionnaire stays anonymous either way.
    Browser { key: String },
    /// A signed-in account.
    Account { id: i64, secretariat: bool, delegation: Option<String> },
}

/// What a submission came to. JSON: `{"outcome": "accepted", "revision", "late"}` or
/// `{"outcome": "refused", "message", "problems": [Problem, …]}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SubmitOutcome {
    Accepted {
        revision: u64,
        late: bool,
    },
    /// Nothing recorded; the answers are kept as the draft.
    Refused {
        message: String,
        problems: Vec<Problem>,
    },
}

impl SubmitOutcome {
    fn refused(message: impl Into<String>) -> Self {
        Self::Refused { message: message.into(), problems: vec![] }
    }
}

/// Today, `yyyy-mm-dd` (UTC), and now, `yyyy-mm-ddThh:mm:ssZ`.
pub fn today_and_now() -> (String, String) {
    let now = cookie::time::OffsetDateTime::now_utc();
    let date = format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day());
    let time = format!("{date}T{:02}:{:02}:{:02}Z", now.hour(), now.minute(), now.second());
    (date, time)
}

impl Evaluations {
    /// A new respondent key for a browser at `address`, unless that address minted too many
    /// just now.
    pub fn mint_key(&self, address: IpAddr) -> Result<String, EvaluationError> {
        if !self.keys.allow(address) {
            return Err(EvaluationError::TooManyNewRespondents);
        }
        respondent::new_key().map_err(|e| EvaluationError::Store(crate::store::StoreError::Database(format!("no randomness: {e}").into())))
    }

    /// The respondent id `who` answers `evaluation` as, or why they may not answer it.
    pub fn respondent_id(&self, evaluation: &EvaluationRow, who: &Respondent) -> Result<String, EvaluationError> {
        let refused = |why: &str| Err(EvaluationError::Refused(why.to_owned()));
        match (evaluation.format, who) {
            (Format::PostActivityQuestionnaire, Respondent::Browser { key }) if respondent::is_key(key) => Ok(respondent::anonymous_id(&evaluation.id, key)),
            (Format::PostActivityQuestionnaire, _) => refused("open the questionnaire from its link first (this browser has no respondent key)"),
            (Format::IndividualInternal, Respondent::Account { id, secretariat: true, .. }) => Ok(format!("account-{id}")),
            (Format::IndividualInternal, _) => refused("the individual internal evaluation is answered by the Secretariat's members, signed in"),
            (Format::MidTerm, Respondent::Account { delegation: Some(delegation), .. }) => Ok(format!("delegation-{}", delegation.trim().to_lowercase())),
            (Format::MidTerm, _) => refused("the mid-term evaluation is answered for a delegation: sign in with an account that has one"),
            (Format::CollectiveInternal | Format::Outcome, _) => refused("this evaluation is written as a document, not answered as a form"),
        }
    }

    /// The draft kept for `who` (answers a refused submission left), if any.
    pub async fn draft_for(&self, evaluation: &EvaluationRow, who: &Respondent) -> Result<Option<Answers>, EvaluationError> {
        let Ok(respondent) = self.respondent_id(evaluation, who) else { return Ok(None) };
        Ok(self.store().draft(&evaluation.id, &respondent).await?)
    }

    /// Whether `who` has submitted to `evaluation` already (their latest revision).
    pub async fn answered(&self, evaluation: &EvaluationRow, who: &Respondent) -> Result<Option<u64>, EvaluationError> {
        let Ok(respondent) = self.respondent_id(evaluation, who) else { return Ok(None) };
        Ok(self.store().latest_revision(&evaluation.id, &respondent).await?)
    }

    /// Checks and records `submission` by `who`, today being `today` (`yyyy-mm-dd`).
    pub async fn submit(
        &self,
        evaluation: &EvaluationRow,
        who: &Respondent,
        submission: Submission,
        today: &str,
        now: &str,
    ) -> Result<SubmitOutcome, EvaluationError> {
        let respondent = self.respondent_id(evaluation, who)?;
        if today < evaluation.opens.as_str() {
            self.store().save_draft(&evaluation.id, &respondent, &submission.answers).await?;
            return Ok(SubmitOutcome::refused(format!("this evaluation opens on {}; your answers are kept until then", evaluation.opens)));
        }
        let late = today > evaluation.closes.as_str();
        let anonymous = evaluation.format.respondents().anonymous();
        let new = NewSubmission {
            evaluation: evaluation.id.clone(),
            respondent,
            // The time of day of an anonymous answer could tell who gave it.
            submitted: if anonymous { today.to_owned() } else { now.to_owned() },
            late,
            submission,
        };
        Ok(match self.store().record_submission(&new).await? {
            Recorded::Accepted { revision } => SubmitOutcome::Accepted { revision, late },
            Recorded::Refused(refused) => {
                let problems = match &refused {
                    SubmissionError::Invalid { problems } => problems.clone(),
                    _ => vec![],
                };
                SubmitOutcome::Refused { message: refused.to_string(), problems }
            }
            Recorded::NoEvaluation => return Err(EvaluationError::NotFound),
        })
    }

    /// A plain HTML form's submission (JavaScript off): `form_version` and the questions'
    /// fields (`desk_core::evaluation::from_fields`). What cannot be read is refused with the
    /// rest kept as the draft, the same as a refused submission.
    pub async fn submit_fields(
        &self,
        evaluation: &EvaluationRow,
        who: &Respondent,
        fields: &[(String, String)],
        today: &str,
        now: &str,
    ) -> Result<SubmitOutcome, EvaluationError> {
        let respondent = self.respondent_id(evaluation, who)?;
        let answered = fields.iter().find(|(name, _)| name == "form_version").and_then(|(_, v)| v.trim().parse::<u32>().ok()).map(FormVersion);
        let (current, _) = evaluation.versions.current().ok_or(EvaluationError::NotFound)?;
        let version = answered.unwrap_or(current);
        let Some(form) = evaluation.versions.get(version).or_else(|| evaluation.versions.get(current)) else {
            return Err(EvaluationError::NotFound);
        };
        let (answers, problems) = from_fields(form, fields);
        if !problems.is_empty() {
            self.store().save_draft(&evaluation.id, &respondent, &answers).await?;
            let message = format!("some answers need attention: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
            return Ok(SubmitOutcome::Refused { message, problems });
        }
        self.submit(evaluation, who, Submission { form_version: version, answers }, today, now).await
    }
}
