//! Outcome reports over HTTP (issue 15's outcome evaluation): JSON under `/api/v1/outcomes`
//! for the Secretariat and the Permanent Correspondents to read (`GET`) and the Secretariat
//! to save (`PUT`), and the plain form `POST /outcomes/{activity}` of the outcome page, which
//! works without JavaScript. An activity whose ToR the session may not read is not found,
//! as everywhere.

use super::accounts::signed;
use super::{ApiError, AppState};
use crate::accounts::Signed;
use crate::cookies;
use crate::evaluations::outcome::{may_read_outcomes, may_write_outcomes, OutcomeState};
use crate::evaluations::{activity_visible, EvaluationError};
use crate::gate::Credential;
use crate::store::outcomes::SavedOutcome;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use desk_core::evaluation::{outcome_from_fields, OutcomeReport};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/outcomes", get(list))
        .route("/api/v1/outcomes/{activity}", get(one).put(save_json))
        .route("/outcomes/{activity}", post(save_form))
}

/// The signed-in reader of `activity`'s report: 401 signed out; not found when the session
/// may not read outcomes or the activity's ToR (its name says nothing to them).
async fn reader(state: &AppState, headers: &HeaderMap, activity: &str) -> Result<Signed, ApiError> {
    let who = signed(&state.accounts, headers).await?.ok_or_else(|| ApiError::Unauthorized("Sign in first.".into()))?;
    state.evaluations.outcome_scope(activity)?;
    if !may_read_outcomes(&who.principal) || !visible(headers, state, activity).await {
        return Err(EvaluationError::NotFound.into());
    }
    Ok(who)
}

async fn visible(headers: &HeaderMap, state: &AppState, activity: &str) -> bool {
    activity_visible(&state.gate, &Credential::session(cookies::token_in(headers)), activity).await
}

/// `GET /api/v1/outcomes`: every report the session may read (blank ones included), actions
/// in the programme's order, then permanent activities.
async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Vec<OutcomeState>>, ApiError> {
    let who = signed(&state.accounts, &headers).await?.ok_or_else(|| ApiError::Unauthorized("Sign in first.".into()))?;
    if !may_read_outcomes(&who.principal) {
        return Err(ApiError::Forbidden("The Secretariat and the Permanent Correspondents read outcome reports.".into()));
    }
    let mut readable = Vec::new();
    for outcome in state.evaluations.outcomes().await? {
        if visible(&headers, &state, &outcome.activity).await {
            readable.push(outcome);
        }
    }
    Ok(Json(readable))
}

/// `?revision=N`: an earlier revision.
#[derive(Deserialize)]
struct Revision {
    revision: Option<u64>,
}

/// `GET /api/v1/outcomes/{activity}[?revision=N]`: the report as it stands, or revision N as
/// it was saved (404 for one never saved).
async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(activity): Path<String>,
    Query(at): Query<Revision>,
) -> Result<Json<OutcomeState>, ApiError> {
    reader(&state, &headers, &activity).await?;
    Ok(Json(match at.revision {
        Some(revision) => state.evaluations.outcome_at(&activity, revision).await?,
        None => state.evaluations.outcome(&activity).await?,
    }))
}

/// What `PUT /api/v1/outcomes/{activity}` takes: `{"base": revision the report was made
/// from (0: none), "report": OutcomeReport}`.
#[derive(Deserialize)]
struct Save {
    base: u64,
    report: OutcomeReport,
}

/// What a save answers: `{"revision", "merged", "both_changed": [text], "unfinished": [text]}`.
#[derive(Serialize)]
struct Saved {
    revision: u64,
    merged: bool,
    both_changed: Vec<String>,
    unfinished: Vec<String>,
}

/// `PUT /api/v1/outcomes/{activity}` (the Secretariat): 200 with [`Saved`]; 400 when a row is
/// one the activity does not expect or is given twice; 403 for other readers.
async fn save_json(State(state): State<AppState>, headers: HeaderMap, Path(activity): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    let who = reader(&state, &headers, &activity).await?;
    if !may_write_outcomes(&who.principal) {
        return Err(ApiError::Forbidden("Only the Secretariat writes outcome reports.".into()));
    }
    let save: Save = serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("the body is not a report to save: {e}")))?;
    let saved = save_as(&state, &who, &activity, save.base, &save.report).await?;
    let unfinished = state.evaluations.outcome(&activity).await?.unfinished;
    Ok((StatusCode::OK, Json(Saved { revision: saved.revision, merged: saved.merged, both_changed: saved.both_changed, unfinished })).into_response())
}

async fn save_as(state: &AppState, who: &Signed, activity: &str, base: u64, report: &OutcomeReport) -> Result<SavedOutcome, ApiError> {
    let saved = state.evaluations.save_outcome(activity, base, report, Some(who.account.id)).await?;
    state.accounts.audit("outcome-saved", Some(who.account.id), &format!("{activity} revision {}", saved.revision)).await;
    Ok(saved)
}

/// How many fields both saves changed the page's address names, at most (the rest are counted).
const NAMED_FIELDS: usize = 8;

/// `POST /outcomes/{activity}`, the outcome page's form (fields: `desk_core::evaluation::
/// outcome_from_fields`, and `revision`, the one the form was made from): back to the page
/// with `?saved=<revision>` (and `&merged=1`, with `&both=<field>; <field>…` naming the
/// fields both saves changed, when another save came between), `?error=forbidden` for a
/// reader who may not write; signed out, to the sign-in page.
async fn save_form(State(state): State<AppState>, headers: HeaderMap, Path(activity): Path<String>, body: Bytes) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Save from this site's own page.".into()));
    }
    // An activity that is none (a crafted address) is not found before anything else.
    state.evaluations.outcome_scope(&activity)?;
    if signed(&state.accounts, &headers).await?.is_none() {
        return Ok(Redirect::to(&format!("/sign-in?next=/outcomes/{activity}")).into_response());
    }
    let who = reader(&state, &headers, &activity).await?;
    let page = format!("/outcomes/{activity}");
    if !may_write_outcomes(&who.principal) {
        return Ok(Redirect::to(&format!("{page}?error=forbidden")).into_response());
    }
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let base = match fields.iter().find(|(name, _)| name == "revision") {
        Some((_, v)) => v.parse().map_err(|_| ApiError::BadRequest(format!("The form could not be read: {v:?} is not a revision.")))?,
        None => 0,
    };
    let report = outcome_from_fields(&fields).map_err(|e| ApiError::BadRequest(format!("The form could not be read: {e}.")))?;
    let saved = save_as(&state, &who, &activity, base, &report).await?;
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("saved", &saved.revision.to_string());
    if saved.merged {
        query.append_pair("merged", "1");
    }
    if !saved.both_changed.is_empty() {
        let mut named = saved.both_changed.iter().take(NAMED_FIELDS).cloned().collect::<Vec<_>>();
        if saved.both_changed.len() > NAMED_FIELDS {
            named.push(format!("{} more", saved.both_changed.len() - NAMED_FIELDS));
        }
        query.append_pair("both", &named.join("; "));
    }
    Ok(Redirect::to(&format!("{page}?{}#saved", query.finish())).into_response())
}
