//! `GET /evaluations/{id}/live` (issue 15): server-sent events telling an open results page
//! that an answer was recorded, for those who may read the evaluation's results (others: not
//! found, as for the results themselves). Each `answers` event carries only the word
//! `recorded`; the page fetches itself again (`public/live-results.js`). A comment every 15 s
//! keeps proxies from closing a quiet stream; the stream ends when the server stops, so a
//! graceful stop does not wait for the pages that follow.

use super::evaluations::readable;
use super::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::Duration;

/// How often a quiet stream says it is still there.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn follow(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (_, evaluation) = readable(&state, &headers, &id).await?;
    let follower = state.evaluations.live().follow(&evaluation.id);
    let stopping = state.hub.stopping();
    let events = futures_util::stream::unfold((follower, stopping), |(mut follower, mut stopping)| async move {
        if *stopping.borrow_and_update() {
            return None;
        }
        let answered = tokio::select! {
            answered = follower.answered() => answered,
            // Stopping, or the hub gone: either way the stream ends.
            _ = stopping.changed() => None,
        };
        answered.map(|()| (Ok::<_, Infallible>(Event::default().event("answers").data("recorded")), (follower, stopping)))
    });
    let mut response = Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    // Nothing in between may hold the events back (a proxy's buffering), nor keep them.
    response.headers_mut().insert("x-accel-buffering", axum::http::HeaderValue::from_static("no"));
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(response)
}
