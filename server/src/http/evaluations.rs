//! Evaluations over HTTP (issue 15), JSON under `/api/v1`: the Secretariat creates them and
//! reads every result and CSV; a signed-in account without the Secretariat reads the
//! mid-term evaluations' aggregated results (PCs, by the rule); participants reach
//! a post-activity questionnaire through its link (`/api/v1/answer/{secret}`, and the plain
//! form `POST /answer/{secret}` that works without JavaScript), anonymously, with the
//! browser's respondent key (`crate::evaluations::respondent`).

use super::accounts::signed;
use super::{ApiError, AppState};
use crate::accounts::{is_secretariat, Signed};
use crate::cookies;
use crate::evaluations::submit::Refusal;
use crate::evaluations::{
    activity_visible, csv_of, may_read_results, results_of, today_and_now, EvaluationError, EvaluationSummary, NewEvaluation, Respondent, SubmitOutcome,
};
use crate::gate::Credential;
use crate::store::evaluations::EvaluationRow;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use desk_core::evaluation::{Answers, Form, FormVersion, Format, Submission};
use serde::Serialize;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/evaluations", get(list).post(create))
        .route("/api/v1/evaluations/{id}", get(one))
        .route("/api/v1/evaluations/{id}/form", axum::routing::put(edit_form))
        .route("/api/v1/evaluations/{id}/results", get(results))
        .route("/api/v1/evaluations/{id}/answers.csv", get(csv))
        .route("/api/v1/evaluations/{id}/link.svg", get(qr))
        .route("/api/v1/evaluations/{id}/submission", post(submit_signed))
        .route("/api/v1/answer/{secret}", get(questionnaire).post(submit_json))
        .route("/answer/{secret}", post(submit_form))
        .route("/evaluations/new", post(create_form))
        .route("/evaluations/{id}/answer", post(own_form))
        .route("/evaluations/{id}/live", get(super::live_results::follow))
}

/// `POST /evaluations/new`, the evaluations page's form (works without JavaScript): to the new
/// evaluation's page, or back to the list with `?error=<OccasionProblem code>#new-evaluation`.
async fn create_form(State(state): State<AppState>, headers: HeaderMap, axum::Form(new): axum::Form<NewEvaluation>) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Create evaluations from this site's own page.".into()));
    }
    let Some(who) = signed(&state.accounts, &headers).await? else {
        return Ok(Redirect::to("/sign-in?next=/evaluations").into_response());
    };
    if !is_secretariat(&who.principal) {
        return Ok(Redirect::to("/evaluations?error=forbidden").into_response());
    }
    let typed = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("title", &new.title),
            ("id", &new.id),
            ("activity", &new.activity),
            ("format", &new.format),
            ("opens", &new.opens),
            ("closes", &new.closes),
        ])
        .finish();
    Ok(match state.evaluations.create(new, Some(who.account.id)).await {
        Ok(made) => {
            state.accounts.audit("evaluation-created", Some(who.account.id), &made.id).await;
            Redirect::to(&format!("/evaluations/{}", made.id)).into_response()
        }
        // Back to the form, what was typed kept, the reason beside it.
        Err(EvaluationError::Invalid(problem)) => Redirect::to(&format!("/evaluations?error={}&{typed}#new-evaluation", problem.code())).into_response(),
        Err(e) => return Err(e.into()),
    })
}

impl From<EvaluationError> for ApiError {
    fn from(e: EvaluationError) -> Self {
        match e {
            EvaluationError::Invalid(desk_core::evaluation::OccasionProblem::Taken) => ApiError::Conflict(e.to_string()),
            EvaluationError::Invalid(_) | EvaluationError::BadReport(_) | EvaluationError::BadForm(_) => ApiError::BadRequest(e.to_string()),
            EvaluationError::NotFound => ApiError::NotFound(e.to_string()),
            EvaluationError::Refused(_) => ApiError::Forbidden(e.to_string()),
            EvaluationError::TooManyNewRespondents => ApiError::TooManyRequests(e.to_string()),
            EvaluationError::Contended => ApiError::Conflict(e.to_string()),
            EvaluationError::Store(e) => ApiError::Internal(e.to_string()),
        }
    }
}

async fn required(state: &AppState, headers: &HeaderMap) -> Result<Signed, ApiError> {
    signed(&state.accounts, headers).await?.ok_or_else(|| ApiError::Unauthorized("Sign in first.".into()))
}

/// An evaluation `who` may read the results of; one they may not is not found (its title
/// says nothing to them).
pub(super) async fn readable(state: &AppState, headers: &HeaderMap, id: &str) -> Result<(Signed, EvaluationRow), ApiError> {
    let who = required(state, headers).await?;
    let evaluation = state.evaluations.get(id).await?;
    if !may_read_results(&who.principal, evaluation.format) || !visible(state, headers, &evaluation.activity).await {
        return Err(EvaluationError::NotFound.into());
    }
    Ok((who, evaluation))
}

/// Whether the request's session may see evaluations of `activity` (its ToR's visibility).
async fn visible(state: &AppState, headers: &HeaderMap, activity: &str) -> bool {
    activity_visible(&state.gate, &Credential::session(cookies::token_in(headers)), activity).await
}

/// `GET /api/v1/evaluations`: those the account may read, newest first.
async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let who = required(&state, &headers).await?;
    let mut mine: Vec<EvaluationSummary> = Vec::new();
    for row in state.evaluations.rows().await? {
        if may_read_results(&who.principal, row.format) && visible(&state, &headers, &row.activity).await {
            mine.push(EvaluationSummary::from(&row));
        }
    }
    Ok(Json(mine).into_response())
}

/// `POST /api/v1/evaluations` (the Secretariat): 201 with the evaluation, and for a
/// questionnaire its participants' link (a path, `/answer/{secret}`).
async fn create(State(state): State<AppState>, headers: HeaderMap, Json(new): Json<NewEvaluation>) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Create evaluations from this site's own page.".into()));
    }
    let who = required(&state, &headers).await?;
    if !is_secretariat(&who.principal) {
        return Err(ApiError::Forbidden("Only the Secretariat creates evaluations.".into()));
    }
    let made = state.evaluations.create(new, Some(who.account.id)).await?;
    state.accounts.audit("evaluation-created", Some(who.account.id), &made.id).await;
    let link = participants_link(&state, &made.id, made.format).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "evaluation": made, "link": link }))).into_response())
}

async fn participants_link(state: &AppState, id: &str, format: Format) -> Result<Option<String>, ApiError> {
    Ok(match format.respondents().anonymous() {
        true => Some(format!("/answer/{}", state.evaluations.link_secret(id).await?)),
        false => None,
    })
}

/// `GET /api/v1/evaluations/{id}`: the evaluation, its current form, and (Secretariat) the
/// participants' link.
async fn one(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (who, evaluation) = readable(&state, &headers, &id).await?;
    let (version, form) = evaluation.versions.current().ok_or_else(|| ApiError::Internal(format!("evaluation {id} has no form")))?;
    let link = if is_secretariat(&who.principal) { participants_link(&state, &evaluation.id, evaluation.format).await? } else { None };
    let summary = EvaluationSummary::from(&evaluation);
    Ok(Json(serde_json::json!({ "evaluation": summary, "version": version, "form": form, "link": link })).into_response())
}

/// `PUT /api/v1/evaluations/{id}/form` (the Secretariat): JSON `Form`, the evaluation's
/// questions from now on. 200 `{"version"}`: the same version until the first
/// submission, a new one after; 400 with each problem in words for a form that cannot be used.
async fn edit_form(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Edit evaluations from this site's own page.".into()));
    }
    let (who, _) = readable(&state, &headers, &id).await?;
    if !is_secretariat(&who.principal) {
        return Err(ApiError::Forbidden("Only the Secretariat edits an evaluation's questions.".into()));
    }
    let form: Form = serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("this is not a form: {e}")))?;
    let version = state.evaluations.edit_form(&id, &form).await?;
    state.accounts.audit("evaluation-form-edited", Some(who.account.id), &format!("{id} version {version}")).await;
    Ok(Json(serde_json::json!({ "version": version })).into_response())
}

/// `GET /api/v1/evaluations/{id}/results`.
async fn results(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, evaluation) = readable(&state, &headers, &id).await?;
    Ok(Json(results_of(&state.evaluations, &evaluation).await?).into_response())
}

/// `GET /api/v1/evaluations/{id}/answers.csv` (the Secretariat): one row per answer.
async fn csv(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (who, evaluation) = readable(&state, &headers, &id).await?;
    if !is_secretariat(&who.principal) {
        return Err(ApiError::Forbidden("The answers' export is the Secretariat's.".into()));
    }
    let body = csv_of(&state.evaluations, &evaluation).await?;
    let disposition = format!("attachment; filename=\"{}.csv\"", evaluation.id);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(|e| ApiError::Internal(e.to_string()))?),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/v1/evaluations/{id}/link.svg` (the Secretariat): the participants' link as a QR
/// code, for a slide at the end of a seminar; the address is this server's as the request
/// reached it (`--public-url` behind a proxy is the Host it forwards).
async fn qr(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (who, evaluation) = readable(&state, &headers, &id).await?;
    if !is_secretariat(&who.principal) {
        return Err(ApiError::Forbidden("The participants' link is the Secretariat's to share.".into()));
    }
    let Some(path) = participants_link(&state, &evaluation.id, evaluation.format).await? else {
        return Err(ApiError::NotFound("this evaluation has no participants' link: it is not a post-activity questionnaire".into()));
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.secure_cookies { "https" } else { "http" };
    let svg = crate::evaluations::link_qr(&format!("{scheme}://{host}{path}")).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"))], svg).into_response())
}

/// `POST /api/v1/evaluations/{id}/submission`: a signed-in respondent's submission (JSON
/// `Submission`): 200 accepted, 422 refused with the reason and each problem.
async fn submit_signed(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Submit from this site's own page.".into()));
    }
    let who = required(&state, &headers).await?;
    let evaluation = state.evaluations.get(&id).await?;
    if !visible(&state, &headers, &evaluation.activity).await {
        return Err(EvaluationError::NotFound.into());
    }
    let respondent = Respondent::account(&who);
    let submission = parse_submission(&body)?;
    let (today, now) = today_and_now();
    outcome_response(state.evaluations.submit(&evaluation, &respondent, submission, &today, &now).await?)
}

fn parse_submission(body: &[u8]) -> Result<Submission, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("a submission is JSON {{\"form_version\": 1, \"answers\": {{…}}}}: {e}")))
}

fn outcome_response(outcome: SubmitOutcome) -> Result<Response, ApiError> {
    let status = match outcome {
        SubmitOutcome::Accepted { .. } => StatusCode::OK,
        SubmitOutcome::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, Json(outcome)).into_response())
}

/// What a participant's browser reads of a questionnaire. JSON: `{"title", "opens",
/// "closes", "version", "form": Form, "draft"?: Answers, "answered": bool}`.
#[derive(Serialize)]
struct Questionnaire {
    title: String,
    opens: String,
    closes: String,
    version: FormVersion,
    form: Form,
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Option<Answers>,
    answered: bool,
}

/// The browser's respondent for `evaluation`: the key its cookie holds if
/// `Evaluations::known_key` accepts it, else a new one (rate-limited per address) with the
/// `Set-Cookie` that gives it.
async fn browser(state: &AppState, evaluation: &EvaluationRow, headers: &HeaderMap, from: SocketAddr) -> Result<(Respondent, Option<String>), ApiError> {
    match state.evaluations.known_key(evaluation, cookies::respondent_in(headers)).await? {
        Some(key) => Ok((Respondent::Browser { key }, None)),
        None => {
            let key = state.evaluations.mint_key(from.ip()).await?;
            let cookie = cookies::set_respondent_cookie(&key, state.secure_cookies);
            Ok((Respondent::Browser { key }, Some(cookie)))
        }
    }
}

/// Where a plain form goes after sending: `back` with `sent=1`, or `refused=<reason>` (and
/// for unreadable answers `q=<question ids>`).
fn back_after(outcome: SubmitOutcome, back: impl Fn(String) -> String) -> String {
    match outcome {
        SubmitOutcome::Accepted { .. } => back("sent=1".into()),
        SubmitOutcome::Refused { reason: Refusal::Unreadable, problems, .. } => {
            // Question ids are slugs; anything else posted is not repeated in the address.
            let ids: Vec<&str> = problems.iter().map(|p| p.question.as_str()).filter(|id| desk_core::evaluation::is_id(id)).collect();
            back(format!("refused=unreadable&q={}", ids.join(",")))
        }
        SubmitOutcome::Refused { reason, .. } => back(format!("refused={}", reason.code())),
    }
}

/// `POST /evaluations/{id}/answer`, the signed-in answer page's plain form: back to it with
/// `?sent=1` or `?refused=<reason>`, the answers kept as the respondent's draft.
async fn own_form(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Submit from this site's own page.".into()));
    }
    // An id that is none (a crafted address) is not found before anything else.
    if !desk_core::model::is_slug(&id) {
        return Err(EvaluationError::NotFound.into());
    }
    let Some(who) = signed(&state.accounts, &headers).await? else {
        return Ok(Redirect::to(&format!("/sign-in?next=/evaluations/{id}/answer")).into_response());
    };
    let evaluation = state.evaluations.get(&id).await?;
    if !visible(&state, &headers, &evaluation.activity).await {
        return Err(EvaluationError::NotFound.into());
    }
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    if !written_by(&fields, who.account.id) {
        // Written while another account was signed in (a form kept offline, a tab left open):
        // never recorded, nor kept, for this one.
        return Ok(Redirect::to(&format!("/evaluations/{id}/answer?refused=account")).into_response());
    }
    let (today, now) = today_and_now();
    let outcome = state.evaluations.submit_fields(&evaluation, &Respondent::account(&who), &fields, &today, &now).await?;
    Ok(Redirect::to(&back_after(outcome, |query| format!("/evaluations/{id}/answer?{query}"))).into_response())
}

/// Whether a signed-in form's `account` field (the account the page was rendered for) is
/// `account`; a form without one (an older page) is taken as the signed-in account's.
fn written_by(fields: &[(String, String)], account: i64) -> bool {
    fields.iter().filter(|(name, _)| name == "account").all(|(_, value)| value.trim() == account.to_string())
}

/// A participant submitting from this site's page: the questionnaire behind `secret`, the
/// browser as respondent, and the cookie giving it a new key if it had none.
async fn participant(state: &AppState, headers: &HeaderMap, from: SocketAddr, secret: &str) -> Result<(EvaluationRow, Respondent, Option<String>), ApiError> {
    if !cookies::same_site(headers) {
        return Err(ApiError::Forbidden("Submit from this site's own page.".into()));
    }
    let evaluation = state.evaluations.by_link(secret).await?;
    let (who, cookie) = browser(state, &evaluation, headers, from).await?;
    Ok((evaluation, who, cookie))
}

fn with_cookie(mut response: Response, cookie: Option<String>) -> Response {
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `GET /api/v1/answer/{secret}`: the questionnaire, this browser's kept draft and whether it
/// answered already; gives the browser its respondent key on the first visit.
async fn questionnaire(
    State(state): State<AppState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> Result<Response, ApiError> {
    let evaluation = state.evaluations.by_link(&secret).await?;
    let (who, cookie) = browser(&state, &evaluation, &headers, from).await?;
    let (version, form) = evaluation.versions.current().ok_or_else(|| ApiError::Internal("an evaluation without a form".into()))?;
    let body = Questionnaire {
        title: evaluation.title.clone(),
        opens: evaluation.opens.clone(),
        closes: evaluation.closes.clone(),
        version,
        form: form.clone(),
        draft: state.evaluations.draft_for(&evaluation, &who).await?,
        answered: state.evaluations.answered(&evaluation, &who).await?.is_some(),
    };
    Ok(with_cookie(Json(body).into_response(), cookie))
}

/// `POST /api/v1/answer/{secret}`: a participant's submission (JSON `Submission`).
async fn submit_json(
    State(state): State<AppState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let submission = parse_submission(&body)?;
    let (evaluation, who, cookie) = participant(&state, &headers, from, &secret).await?;
    let (today, now) = today_and_now();
    Ok(with_cookie(outcome_response(state.evaluations.submit(&evaluation, &who, submission, &today, &now).await?)?, cookie))
}

/// `POST /answer/{secret}`, the questionnaire page's plain form (works without JavaScript):
/// back to the page with `?sent=1`, or `?refused=1` with the answers kept as this browser's
/// draft (the page shows them again with what needs attention).
async fn submit_form(
    State(state): State<AppState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    // Back in the language the questions were shown in.
    let lang = fields
        .iter()
        .find(|(name, _)| name == "lang")
        .and_then(|(_, code)| desk_core::evaluation::Lang::from_code(code))
        .filter(|l| *l != desk_core::evaluation::Lang::En);
    let back = |query: String| match lang {
        Some(lang) => format!("/answer/{secret}?{query}&lang={}", lang.code()),
        None => format!("/answer/{secret}?{query}"),
    };
    let (evaluation, who, cookie) = match participant(&state, &headers, from, &secret).await {
        Err(ApiError::TooManyRequests(_)) => return Ok(Redirect::to(&back("refused=busy".into())).into_response()),
        other => other?,
    };
    let (today, now) = today_and_now();
    let to = back_after(state.evaluations.submit_fields(&evaluation, &who, &fields, &today, &now).await?, back);
    Ok(with_cookie(Redirect::to(&to).into_response(), cookie))
}
