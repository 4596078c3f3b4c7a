//! The evaluation pages' backend (`app::evaluations::EvaluationDesk`): the same
//! evaluations, rules and checks as the JSON routes in `evaluations.rs`, shaped for the pages.

use super::AppState;
use crate::accounts::{is_secretariat, Accounts, Signed};
use crate::evaluations::{results_of, today_and_now, Evaluations, Respondent};
use crate::store::evaluations::EvaluationRow;
use app::backend::{BackendError, BoxFuture};
use app::evaluations::{
    ComplianceView, EvaluationDesk, EvaluationItem, EvaluationList, EvaluationReport, OutcomeView, QuestionEditor, QuestionnaireView, Status,
};
use axum::http::HeaderMap;
use desk_core::evaluation::{activity_name, Format};
use desk_core::model::Programme;
use std::sync::Arc;

pub struct EvaluationPages {
    evaluations: Evaluations,
    accounts: Accounts,
    gate: crate::gate::Gate,
    programme: Arc<Programme>,
    secure: bool,
}

impl EvaluationPages {
    pub fn new(state: &AppState) -> Self {
        Self {
            evaluations: state.evaluations.clone(),
            accounts: state.accounts.clone(),
            gate: state.gate.clone(),
            programme: state.programme.clone(),
            secure: state.secure_cookies,
        }
    }
}

impl From<crate::evaluations::EvaluationError> for BackendError {
    fn from(e: crate::evaluations::EvaluationError) -> Self {
        use crate::evaluations::EvaluationError as E;
        match e {
            E::NotFound => BackendError::NotFound(app::evaluations::NO_SUCH_EVALUATION.into()),
            E::Store(e) => BackendError::internal(e),
            other => BackendError::Refused(other.to_string()),
        }
    }
}

/// Whether `who` (the session in `headers`) may read `row`'s results: the format's rule and
/// its activity's visibility, as the JSON API checks them.
async fn readable(gate: &crate::gate::Gate, headers: &HeaderMap, who: &Signed, row: &EvaluationRow) -> bool {
    crate::evaluations::may_read_results(&who.principal, row.format)
        && crate::evaluations::activity_visible(gate, &crate::gate::Credential::session(crate::cookies::token_in(headers)), &row.activity).await
}

async fn signed(accounts: &Accounts, headers: &HeaderMap) -> Result<Signed, BackendError> {
    let token = crate::cookies::token_in(headers).ok_or(BackendError::SignedOut)?;
    accounts.signed(&token).await.map_err(BackendError::internal)?.ok_or(BackendError::SignedOut)
}

/// A list item for `row`, its responses counted.
async fn item(evaluations: &Evaluations, programme: &Programme, row: &EvaluationRow, today: &str) -> Result<EvaluationItem, BackendError> {
    Ok(item_from(programme, row, &results_of(evaluations, row).await?, today))
}

/// [`item`] from results already counted (the results page counts them once for both).
fn item_from(programme: &Programme, row: &EvaluationRow, view: &crate::evaluations::ResultsView, today: &str) -> EvaluationItem {
    // Only results that may be shown (an anonymous questionnaire from 3 answers) give one.
    let headline = match (row.versions.current(), &view.results) {
        (Some((_, form)), Some(results)) => desk_core::evaluation::headline(form, results).map(|h| h.words()),
        _ => None,
    };
    EvaluationItem {
        id: row.id.clone(),
        title: row.title.clone(),
        activity: row.activity.clone(),
        activity_name: activity_name(programme, &row.activity).unwrap_or_else(|| row.activity.clone()),
        priority: programme.action(&row.activity).map(|a| a.priority.clone()),
        format: row.format.key().to_owned(),
        format_name: row.format.label().to_owned(),
        opens: row.opens.clone(),
        closes: row.closes.clone(),
        status: Status::of(today, &row.opens, &row.closes),
        responses: view.responses,
        headline,
    }
}

impl EvaluationDesk for EvaluationPages {
    fn evaluations(&self, headers: HeaderMap) -> BoxFuture<Result<EvaluationList, BackendError>> {
        let (evaluations, accounts, programme, gate) = (self.evaluations.clone(), self.accounts.clone(), self.programme.clone(), self.gate.clone());
        Box::pin(async move {
            let who = signed(&accounts, &headers).await?;
            let (today, _) = today_and_now();
            let mut items = Vec::new();
            for row in evaluations.rows().await? {
                if readable(&gate, &headers, &who, &row).await {
                    items.push(item(&evaluations, &programme, &row, &today).await?);
                }
            }
            let priorities = programme.priorities.iter().map(|p| (p.id.clone(), format!("{}. {}", p.number, p.title))).collect();
            let activities = programme
                .actions()
                .map(|a| (a.id.clone(), a.title.clone()))
                .chain(programme.permanent_activities.iter().map(|a| (a.id.clone(), format!("{} (permanent activity)", a.name))))
                .collect();
            let outcomes = super::outcome_pages::lines(&evaluations, &gate, &headers, &who).await?;
            let mut templates = Vec::new();
            if super::question_editor::is_secretariat_manager(&who.principal) {
                for format in [Format::PostActivityQuestionnaire, Format::IndividualInternal, Format::MidTerm] {
                    let version = evaluations.template_versions(format).await?.current().map_or(0, |(v, _)| v.0);
                    templates.push((format.key().to_owned(), format.name().to_owned(), version));
                }
            }
            Ok(EvaluationList { items, may_create: is_secretariat(&who.principal), priorities, activities, outcomes, templates })
        })
    }

    fn evaluation(&self, headers: HeaderMap, id: String) -> BoxFuture<Result<EvaluationReport, BackendError>> {
        let (evaluations, accounts, programme, secure, gate) =
            (self.evaluations.clone(), self.accounts.clone(), self.programme.clone(), self.secure, self.gate.clone());
        Box::pin(async move {
            let who = signed(&accounts, &headers).await?;
            let row = evaluations.get(&id).await?;
            if !readable(&gate, &headers, &who, &row).await {
                return Err(crate::evaluations::EvaluationError::NotFound.into());
            }
            let secretariat = is_secretariat(&who.principal);
            let (today, _) = today_and_now();
            let view = results_of(&evaluations, &row).await?;
            let (version, form) = row.versions.current().ok_or_else(|| BackendError::internal(format!("evaluation {id} has no form")))?;
            let link = match secretariat && row.format.respondents().anonymous() {
                true => {
                    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
                    let scheme = if secure { "https" } else { "http" };
                    Some(format!("{scheme}://{host}/answer/{}", evaluations.link_secret(&row.id).await?))
                }
                false => None,
            };
            Ok(EvaluationReport {
                item: item_from(&programme, &row, &view, &today),
                version,
                form: form.clone(),
                late: view.late,
                figures_from: view.figures_from,
                waiting: view.waiting,
                rate: view.rate.expected.map(|_| {
                    let (one, many) = row.format.respondents().noun();
                    format!("{} answered.", view.rate.describe(one, many))
                }),
                results: view.results,
                link,
                may_export: secretariat && view.shown,
                may_answer: evaluations.respondent_id(&row, &Respondent::account(&who)).is_ok(),
                may_edit_questions: secretariat && desk_core::evaluation::template(row.format).form().is_some(),
            })
        })
    }

    fn questionnaire(&self, headers: HeaderMap, secret: String) -> BoxFuture<Result<QuestionnaireView, BackendError>> {
        let (evaluations, programme) = (self.evaluations.clone(), self.programme.clone());
        Box::pin(async move {
            let row = evaluations.by_link(&secret).await.map_err(|e| match e {
                crate::evaluations::EvaluationError::NotFound => BackendError::NotFound(app::evaluations::NO_SUCH_LINK.into()),
                other => other.into(),
            })?;
            let who = evaluations.known_key(&row, crate::cookies::respondent_in(&headers)).await?.map(|key| Respondent::Browser { key });
            answer_view(&evaluations, &programme, &row, who.as_ref()).await
        })
    }

    fn own_answer(&self, headers: HeaderMap, id: String) -> BoxFuture<Result<QuestionnaireView, BackendError>> {
        let (evaluations, accounts, programme, gate) = (self.evaluations.clone(), self.accounts.clone(), self.programme.clone(), self.gate.clone());
        Box::pin(async move {
            let who = signed(&accounts, &headers).await?;
            let row = evaluations.get(&id).await?;
            let visible =
                crate::evaluations::activity_visible(&gate, &crate::gate::Credential::session(crate::cookies::token_in(&headers)), &row.activity).await;
            if !visible {
                return Err(crate::evaluations::EvaluationError::NotFound.into());
            }
            let respondent = Respondent::account(&who);
            evaluations.respondent_id(&row, &respondent)?;
            answer_view(&evaluations, &programme, &row, Some(&respondent)).await
        })
    }

    fn outcome(&self, headers: HeaderMap, activity: String, revision: Option<u64>) -> BoxFuture<Result<OutcomeView, BackendError>> {
        let (evaluations, accounts, programme, gate) = (self.evaluations.clone(), self.accounts.clone(), self.programme.clone(), self.gate.clone());
        Box::pin(async move {
            let who = signed(&accounts, &headers).await?;
            let asked = super::outcome_pages::Asked { who: &who, activity: &activity, revision };
            super::outcome_pages::outcome(&evaluations, &accounts, &gate, &programme, &headers, asked).await
        })
    }

    fn question_editor(&self, headers: HeaderMap, id: String) -> BoxFuture<Result<QuestionEditor, BackendError>> {
        let (evaluations, accounts, gate) = (self.evaluations.clone(), self.accounts.clone(), self.gate.clone());
        Box::pin(async move {
            let (_, subject) = super::question_editor::evaluation_subject(&evaluations, &accounts, &gate, &headers, &id).await?;
            Ok(super::question_editor::editor_of(&subject, None, None, vec![], None))
        })
    }

    fn template_editor(&self, headers: HeaderMap, format: String) -> BoxFuture<Result<QuestionEditor, BackendError>> {
        let (evaluations, accounts) = (self.evaluations.clone(), self.accounts.clone());
        Box::pin(async move {
            let (_, subject) = super::question_editor::template_subject(&evaluations, &accounts, &headers, &format).await?;
            Ok(super::question_editor::editor_of(&subject, None, None, vec![], None))
        })
    }

    fn compliance(&self, headers: HeaderMap) -> BoxFuture<Result<ComplianceView, BackendError>> {
        let (evaluations, accounts, programme, gate) = (self.evaluations.clone(), self.accounts.clone(), self.programme.clone(), self.gate.clone());
        Box::pin(async move {
            let who = signed(&accounts, &headers).await?;
            super::outcome_pages::compliance(&evaluations, &gate, &programme, &headers, &who).await
        })
    }
}

/// `row`'s current form as `who` answers it: their kept draft, whether their answer is
/// recorded, and for a signed-in respondent whom it is recorded for (`None`: a browser that
/// never answered, with nothing kept).
async fn answer_view(
    evaluations: &Evaluations,
    programme: &Programme,
    row: &EvaluationRow,
    who: Option<&Respondent>,
) -> Result<QuestionnaireView, BackendError> {
    let (today, _) = today_and_now();
    let (version, form) = row.versions.current().ok_or_else(|| BackendError::internal("an evaluation without a form"))?;
    let (draft, answered, answering_as) = match who {
        Some(who) => (evaluations.draft_for(row, who).await?, evaluations.answered(row, who).await?.is_some(), who.words(row.format)),
        None => (None, false, None),
    };
    Ok(QuestionnaireView {
        title: row.title.clone(),
        activity_name: activity_name(programme, &row.activity).unwrap_or_else(|| row.activity.clone()),
        opens: row.opens.clone(),
        closes: row.closes.clone(),
        status: Status::of(&today, &row.opens, &row.closes),
        version,
        form: form.clone(),
        draft,
        answered,
        answering_as,
        account: match who {
            Some(Respondent::Account { id, .. }) => Some(*id),
            _ => None,
        },
    })
}
