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

/// The server secret respondent keys are signed under.
const KEY_SECRET: &str = "respondent-key";

/// Who is answering, as the request shows it.
#[derive(Clone, Debug)]
pub enum Respondent {
    /// A browser with its respondent key (see `respondent.rs`), signed in or not: the
    /// questionnaire stays anonymous either way.
    Browser { key: String },
    /// A signed-in account: whether it is in the Secretariat, whether it is a Permanent
    /// Correspondent (any role in that group), and its delegation.
    Account { id: i64, secretariat: bool, pc: bool, delegation: Option<String> },
}

impl Respondent {
    /// A signed-in account as a respondent.
    pub fn account(who: &crate::accounts::Signed) -> Self {
        Self::Account {
            id: who.account.id,
            secretariat: crate::accounts::is_secretariat(&who.principal),
            pc: super::is_pc(&who.principal),
            delegation: who.account.delegation.clone(),
        }
    }

    /// Whom an answer is recorded for, in words ("yourself", "the delegation of Malta");
    /// `None` for an anonymous browser.
    pub fn words(&self, format: Format) -> Option<String> {
        match (self, format) {
            (Self::Browser { .. }, _) => None,
            (Self::Account { delegation: Some(delegation), .. }, Format::MidTerm) => Some(format!("the delegation of {delegation}")),
            (Self::Account { .. }, _) => Some("yourself".to_owned()),
        }
    }
}

/// What a submission came to. JSON: `{"outcome": "accepted", "revision", "late"}` or
/// `{"outcome": "refused", "reason", "message", "problems": [Problem, …]}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SubmitOutcome {
    Accepted {
        revision: u64,
        late: bool,
    },
    /// Nothing recorded; the answers are kept as the draft.
    Refused {
        reason: Refusal,
        message: String,
        problems: Vec<Problem>,
    },
}

/// Why a submission was refused, as a code (the questionnaire page's `?refused=`, and JSON):
/// `answers` (some need attention), `unreadable` (a plain form's value is not an answer of its
/// question's kind), `early` (not open yet), `version` (not the current form version).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    Answers,
    Unreadable,
    Early,
    Version,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::Answers => "answers",
            Self::Unreadable => "unreadable",
            Self::Early => "early",
            Self::Version => "version",
        }
    }
}

impl SubmitOutcome {
    fn refused(reason: Refusal, message: impl Into<String>) -> Self {
        Self::Refused { reason, message: message.into(), problems: vec![] }
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
    pub async fn mint_key(&self, address: IpAddr) -> Result<String, EvaluationError> {
        if !self.keys.allow(address) {
            return Err(EvaluationError::TooManyNewRespondents);
        }
        self.new_respondent_key().await
    }

    /// A new respondent key signed under the server's `respondent-key` secret, not counted
    /// against any address (the demo's respondents; browsers get theirs from [`Self::mint_key`]).
    pub(crate) async fn new_respondent_key(&self) -> Result<String, EvaluationError> {
        let secret = self.accounts.server_secret(KEY_SECRET).await?;
        respondent::new_key(&secret).map_err(|e| EvaluationError::Store(crate::store::StoreError::Database(format!("no randomness: {e}").into())))
    }

    /// The respondent key a browser's cookie holds, if it may answer `evaluation` with it:
    /// one this server signed ([`respondent::is_signed`]), or an unsigned one from before keys
    /// were signed that already answered `evaluation` or left a draft there (so its answer and
    /// draft stay its own). `None` otherwise: the browser is a new respondent and gets a key
    /// from [`Self::mint_key`], under its address's limit.
    pub async fn known_key(&self, evaluation: &EvaluationRow, cookie: Option<String>) -> Result<Option<String>, EvaluationError> {
        let Some(key) = cookie.filter(|key| respondent::is_key(key)) else { return Ok(None) };
        if respondent::is_signed(&self.accounts.server_secret(KEY_SECRET).await?, &key) {
            return Ok(Some(key));
        }
        let id = respondent::anonymous_id(&evaluation.id, &key);
        let known = self.store.latest_revision(&evaluation.id, &id).await?.is_some() || self.store.draft(&evaluation.id, &id).await?.is_some();
        Ok(known.then_some(key))
    }

    /// The respondent id `who` answers `evaluation` as, or why they may not answer it.
    pub fn respondent_id(&self, evaluation: &EvaluationRow, who: &Respondent) -> Result<String, EvaluationError> {
        let refused = |why: &str| Err(EvaluationError::Refused(why.to_owned()));
        match (evaluation.format, who) {
            (Format::PostActivityQuestionnaire, Respondent::Browser { key }) if respondent::is_key(key) => Ok(respondent::anonymous_id(&evaluation.id, key)),
            (Format::PostActivityQuestionnaire, _) => refused("open the questionnaire from its link first (this browser has no respondent key)"),
            (Format::IndividualInternal, Respondent::Account { id, secretariat: true, .. }) => Ok(format!("account-{id}")),
            (Format::IndividualInternal, _) => refused("the individual internal evaluation is answered by the Secretariat's members, signed in"),
            (Format::MidTerm, Respondent::Account { pc: true, delegation: Some(delegation), .. }) => {
                Ok(format!("delegation-{}", delegation.trim().to_lowercase()))
            }
            (Format::MidTerm, _) => {
                refused("the mid-term evaluation is answered by the Permanent Correspondents, for their delegation: sign in with such an account")
            }
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
            return Ok(SubmitOutcome::refused(Refusal::Early, format!("this evaluation opens on {}; your answers are kept until then", evaluation.opens)));
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
            Recorded::Accepted { revision } => {
                self.live.answered(&evaluation.id);
                SubmitOutcome::Accepted { revision, late }
            }
            Recorded::Refused(refused) => {
                let (reason, problems) = match &refused {
                    SubmissionError::Invalid { problems } => (Refusal::Answers, problems.clone()),
                    _ => (Refusal::Version, vec![]),
                };
                SubmitOutcome::Refused { reason, message: refused.to_string(), problems }
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
        let (current, form) = evaluation.versions.current().ok_or(EvaluationError::NotFound)?;
        // The page sends the version it shows; without it (or garbled) the answers cannot be
        // known to answer these questions.
        let answered = fields.iter().find(|(name, _)| name == "form_version").and_then(|(_, v)| v.trim().parse::<u32>().ok()).map(FormVersion);
        let read_against = answered.and_then(|v| evaluation.versions.get(v)).unwrap_or(form);
        let (answers, problems) = from_fields(read_against, fields);
        let Some(version) = answered else {
            self.store().save_draft(&evaluation.id, &respondent, &answers).await?;
            return Ok(SubmitOutcome::refused(
                Refusal::Version,
                format!("the form's version is missing: check your answers against version {current} and send again"),
            ));
        };
        if !problems.is_empty() {
            self.store().save_draft(&evaluation.id, &respondent, &answers).await?;
            let message = format!("some answers could not be read: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
            return Ok(SubmitOutcome::Refused { reason: Refusal::Unreadable, message, problems });
        }
        self.submit(evaluation, who, Submission { form_version: version, answers }, today, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use desk_core::evaluation::AnswerValue as V;
    use std::sync::Arc;

    async fn open(dir: &std::path::Path) -> Evaluations {
        let storage = SqliteStore::open(dir).await.unwrap();
        let accounts = crate::accounts::Accounts::new(Arc::new(storage.clone())).await.unwrap();
        Evaluations::new(Arc::new(storage), Arc::new(desk_core::model::seed::programme()), accounts)
    }

    fn questionnaire(id: &str) -> super::super::NewEvaluation {
        super::super::NewEvaluation {
            id: id.into(),
            title: "Executive Training 2020".into(),
            activity: "drug-policy-academy".into(),
            format: "post-activity-questionnaire".into(),
            opens: "2020-01-01".into(),
            closes: "2099-12-31".into(),
        }
    }

    #[tokio::test]
    async fn only_keys_the_server_signed_are_taken_and_earlier_ones_keep_their_answers() {
        let dir = tempfile::tempdir().unwrap();
        let evaluations = open(dir.path()).await;
        evaluations.create(questionnaire("training"), None).await.unwrap();
        evaluations.create(questionnaire("training-2021"), None).await.unwrap();
        let (training, other) = (evaluations.get("training").await.unwrap(), evaluations.get("training-2021").await.unwrap());
        // An unsigned key from before keys were signed, which answered "training".
        let earlier = URL_SAFE_NO_PAD.encode([42u8; 32]);
        let answers = Answers::from([("overall", V::Rating(4)), ("relevance", V::Rating(4)), ("use-in-work", V::YesNo(true))]);
        let (today, now) = today_and_now();
        let submission = Submission { form_version: FormVersion(1), answers };
        let outcome = evaluations.submit(&training, &Respondent::Browser { key: earlier.clone() }, submission, &today, &now).await.unwrap();
        assert!(matches!(outcome, SubmitOutcome::Accepted { .. }), "{outcome:?}");

        assert_eq!(evaluations.known_key(&training, Some(earlier.clone())).await.unwrap(), Some(earlier.clone()), "its answer stays its own");
        assert_eq!(evaluations.known_key(&other, Some(earlier.clone())).await.unwrap(), None, "but it is new to another questionnaire");
        let made_up = URL_SAFE_NO_PAD.encode([7u8; 32]);
        assert_eq!(evaluations.known_key(&training, Some(made_up)).await.unwrap(), None, "a key of the right shape nobody gave");
        assert_eq!(evaluations.known_key(&training, Some("short".into())).await.unwrap(), None);
        assert_eq!(evaluations.known_key(&training, None).await.unwrap(), None);
        let minted = evaluations.mint_key("192.0.2.1".parse().unwrap()).await.unwrap();
        assert_eq!(evaluations.known_key(&other, Some(minted.clone())).await.unwrap(), Some(minted.clone()));
        // Signed under this server's secret, kept in its database: the same after a restart.
        drop(evaluations);
        let again = open(dir.path()).await;
        assert_eq!(again.known_key(&training, Some(minted.clone())).await.unwrap(), Some(minted));
    }
}
