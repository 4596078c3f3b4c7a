//! The public JSON API under `/api/v1`. Its shapes are the model's serde forms and are kept
//! stable for scripts. Every error is JSON: `{"error": {"status": 404, "message": "…"}}`.

use super::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use desk_core::model::search::{search, Hit};
use desk_core::model::{is_slug, Action, Programme};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(super::accounts::routes())
        .merge(super::accounts::form_routes())
        .merge(super::manage::routes())
        .merge(super::delegations::routes())
        .merge(super::evaluations::routes())
        .merge(super::outcomes::routes())
        .route("/api/v1/programme", get(programme))
        .route("/api/v1/actions/{id}", get(action))
        .route("/api/v1/search", get(search_programme))
        .route("/api/v1/tor/{file}", get(export_tor))
        .route("/api/{*rest}", axum::routing::any(unknown))
        .route("/api", axum::routing::any(unknown))
}

async fn programme(State(state): State<AppState>) -> Json<Arc<Programme>> {
    Json(state.programme.clone())
}

/// Ids are lowercase slugs of at most 64 characters; anything else is a bad request.
fn check_id(id: &str) -> Result<(), ApiError> {
    if is_slug(id) {
        Ok(())
    } else {
        Err(ApiError::BadRequest("an action id is made of lowercase letters, digits and hyphens (at most 64)".into()))
    }
}

async fn action(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Action>, ApiError> {
    check_id(&id)?;
    state.programme.action(&id).cloned().map(Json).ok_or_else(|| ApiError::NotFound(format!("no action with id {id:?}")))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search_programme(
    State(state): State<AppState>,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Hit>>, ApiError> {
    let Query(SearchQuery { q }) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    Ok(Json(search(&state.programme, &q)))
}

async fn unknown() -> ApiError {
    ApiError::NotFound("no such API endpoint; see server/README.md for /api/v1".into())
}

/// `GET /api/v1/tor/{id}.md`: a terms of reference with its comments, as a Markdown download.
async fn export_tor(State(state): State<AppState>, Path(file): Path<String>, headers: axum::http::HeaderMap) -> Result<Response, ApiError> {
    use desk_core::doc::{tor_markdown, CommentsDoc, DocId, TorDoc};
    let id = file.strip_suffix(".md").ok_or_else(|| ApiError::NotFound("exports end in .md".into()))?;
    check_id(id)?;
    let doc = DocId::terms_of_reference(id).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let credential = crate::gate::Credential::session(crate::cookies::token_in(&headers));
    if !state.gate.may(&credential, &doc, desk_core::access::Action::Read).await {
        state.gate.refused(&credential, &doc, desk_core::access::Action::Read, "export").await;
        return Err(ApiError::NotFound(format!("there is no action or permanent activity {id:?}")));
    }
    let title = match (state.programme.action(id), state.programme.permanent_activity(id)) {
        (Some(action), _) => action.title.clone(),
        (None, Some(activity)) => activity.name.clone(),
        (None, None) => return Err(ApiError::NotFound(format!("there is no action or permanent activity {id:?}"))),
    };
    let (tor, comments) = (TorDoc::new(0), CommentsDoc::new(0));
    let load = |doc: DocId| {
        let log = state.hub.log().clone();
        async move { log.load(&doc).await.map_err(|e| ApiError::Internal(e.to_string())) }
    };
    if let Some(stored) = load(doc.clone()).await? {
        tor.apply_update(&stored).map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    if let Some(stored) = load(doc.comments()).await? {
        comments.apply_update(&stored).map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let markdown = tor_markdown(&title, &tor, &comments);
    let headers = [
        (axum::http::header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_owned()),
        (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"tor-{id}.md\"")),
    ];
    Ok((headers, markdown).into_response())
}
