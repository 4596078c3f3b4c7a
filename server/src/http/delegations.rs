//! The list of delegations over HTTP: JSON under `/api/v1/delegations` (anyone signed in
//! reads it; the Secretariat's managers add and remove) and the groups page's plain forms
//! `POST /groups/delegations` and `/groups/delegations/remove`, which answer back to
//! `/groups?delegations=<code>&name=<name>#delegations`.

use super::accounts::signed;
use super::{ApiError, AppState};
use crate::accounts::AccountError;
use crate::cookies;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/delegations", get(list).post(add))
        .route("/api/v1/delegations/{name}", delete(remove))
        .route("/groups/delegations", post(add_form))
        .route("/groups/delegations/remove", post(remove_form))
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

/// `GET /api/v1/delegations`: `["Malta", …]`, by name (case and accents aside); 401 signed out.
async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Vec<String>>, ApiError> {
    signed(&state.accounts, &headers).await?.ok_or_else(|| ApiError::Unauthorized("Sign in first.".into()))?;
    Ok(Json(state.accounts.delegations().await?))
}

/// `POST /api/v1/delegations` `{"name"}`: 201 `{"name"}` as listed (adding one listed already
/// is not an error); 400 for a name that cannot be one, 403 for others than the
/// Secretariat's managers.
async fn add(State(state): State<AppState>, headers: HeaderMap, Json(new): Json<Named>) -> Result<Response, ApiError> {
    let by = signed(&state.accounts, &headers).await?.ok_or_else(|| ApiError::Unauthorized("Sign in first.".into()))?;
    let name = state.accounts.add_delegation(&new.name, Some(&by)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "name": name }))).into_response())
}

/// `DELETE /api/v1/delegations/{name}`: 204; 409 while accounts belong to it, 404 for one not
/// listed, 403 for others than the Secretariat's managers.
async fn remove(State(state): State<AppState>, headers: HeaderMap, Path(name): Path<String>) -> Result<StatusCode, ApiError> {
    let by = signed(&state.accounts, &headers).await?.ok_or_else(|| ApiError::Unauthorized("Sign in first.".into()))?;
    state.accounts.remove_delegation(&name, Some(&by)).await.map_err(|e| match e {
        AccountError::UnknownDelegation(_) => ApiError::NotFound(e.to_string()),
        e => e.into(),
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// The groups page's forms: back to it with what happened.
async fn add_form(State(state): State<AppState>, headers: HeaderMap, Form(new): Form<Named>) -> Result<Response, ApiError> {
    form(&state, &headers, &new.name, true).await
}

async fn remove_form(State(state): State<AppState>, headers: HeaderMap, Form(old): Form<Named>) -> Result<Response, ApiError> {
    form(&state, &headers, &old.name, false).await
}

async fn form(state: &AppState, headers: &HeaderMap, name: &str, add: bool) -> Result<Response, ApiError> {
    if !cookies::same_site(headers) {
        return Err(ApiError::Forbidden("Change the list from this site's own page.".into()));
    }
    let Some(by) = signed(&state.accounts, headers).await? else {
        return Ok(Redirect::to("/sign-in?next=/groups").into_response());
    };
    let done = match add {
        true => state.accounts.add_delegation(name, Some(&by)).await.map(|listed| ("added", listed)),
        false => state.accounts.remove_delegation(name, Some(&by)).await.map(|()| ("removed", name.trim().to_owned())),
    };
    let (code, name) = match done {
        Ok(done) => done,
        Err(AccountError::NotAllowed(_)) => ("forbidden", String::new()),
        // The name without its invisible characters, so the page can show it and the field
        // can hold it again.
        Err(AccountError::BadDelegation(shown)) => ("bad", shown),
        Err(AccountError::UnknownDelegation(n)) => ("unknown", n),
        Err(AccountError::DelegationInUse(n, _)) => ("in-use", n),
        Err(e) => return Err(e.into()),
    };
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs([("delegations", code), ("name", name.as_str())]).finish();
    Ok(Redirect::to(&format!("/groups?{query}#delegations")).into_response())
}
