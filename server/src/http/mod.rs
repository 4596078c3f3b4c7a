//! The HTTP application: pages (server-rendered by Leptos), server functions, the JSON API,
//! health check, static assets with cache headers, compression, and request limits. The
//! routes' handlers are in this folder (`api`, `accounts`, `manage`), over the [`AppState`]
//! (`state.rs`) and answering errors as [`ApiError`] (`error.rs`).

pub mod accounts;
pub mod api;
mod assets;
mod backend;
pub mod delegations;
mod error;
mod evaluation_pages;
pub mod evaluations;
mod live_results;
pub mod manage;
mod outcome_pages;
pub mod outcomes;
mod question_editor;
mod state;

pub use error::{error_response, ApiError};
pub use state::AppState;

use app::{shell, App};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Longest request target (path and query) accepted; longer ones get 414.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest request body accepted (server-function calls are tiny); larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest body of an evaluation's answers (`/answer/…`, `/api/v1/answer/…`,
/// `/evaluations/…`, `/api/v1/evaluations/…`), of its questions (`/evaluations/{id}/questions`)
/// and of an outcome report (`/outcomes/…`, `/api/v1/outcomes/…`):
/// a form's long texts at their longest, percent-encoded (an Arabic letter is 6 bytes so), fit.
pub const MAX_ANSWER_BODY_BYTES: usize = 2 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let backend = app::backend::BackendContext(Arc::new(backend::PagesBackend::new(&state)));
        let evaluations = app::evaluations::EvaluationDeskContext(Arc::new(evaluation_pages::EvaluationPages::new(&state)));
        move || {
            provide_context(backend.clone());
            provide_context(evaluations.clone());
        }
    };
    let pages_gate = state.gate.clone();
    let options = state.leptos_options.clone();
    let hashed_assets = options.hash_files;
    let precompressed = assets::Precompressed::start(std::path::Path::new(options.site_root.as_ref()), options.site_pkg_dir.as_ref());
    let render_editor: question_editor::Render = {
        let (context, options) = (context.clone(), options.clone());
        Arc::new(move |editor, request| {
            let context = context.clone();
            let posted = app::evaluations::PostedEditor(editor);
            let options = options.clone();
            let render = leptos_axum::render_app_async_with_context(
                move || {
                    context();
                    provide_context(posted.clone());
                },
                move || shell(options.clone()),
            );
            render(request)
        })
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/evaluations/{id}/questions", axum::routing::post(question_editor::post_evaluation))
        .route("/templates/{format}", axum::routing::post(question_editor::post_template))
        .route("/sync", get(crate::sync::sync_socket))
        .route("/yjs/{*doc}", get(crate::sync::yjs_socket))
        .merge(api::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::Extension(render_editor))
        .layer(middleware::from_fn(move |req, next| precompressed.clone().serve(req, next)))
        .layer(middleware::from_fn(move |req, next| hide_unreadable_tor_pages(pages_gate.clone(), req, next)))
        .layer(middleware::from_fn(move |req, next| cache_headers(hashed_assets, req, next)))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(limit_body))
        .layer(middleware::from_fn(limit_uri))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // Not tower-http's default span: it would log the whole target, credentials included.
            tracing::debug_span!("request", method = %request.method(), uri = %crate::redact::redacted(request.uri()), version = ?request.version())
        }))
        .with_state(state)
}

/// What `/tor/{id}` answers when the session may not read it: a bare 404 that names nothing,
/// with the app's head (viewport, icon, manifest, theme colour: `app::shell` has the same), so
/// the installed app keeps its look there too.
const HIDDEN_PAGE: &str = concat!(
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
    "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><link rel=\"manifest\" href=\"/manifest.webmanifest\">",
    "<meta name=\"theme-color\" content=\"#0b4f8a\"><link rel=\"apple-touch-icon\" href=\"/icons/apple-touch-icon.png\">",
    "<title>Not found</title></head><body><main><h1>Not found</h1><p>There is no such page. <a href=\"/\">Overview</a></p></main></body></html>"
);

/// `/tor/{id}` of a document the session may not read is not found: the page says nothing
/// about it, not even its title.
async fn hide_unreadable_tor_pages(gate: crate::gate::Gate, req: Request, next: Next) -> Response {
    let doc = req.uri().path().strip_prefix("/tor/").and_then(|id| desk_core::doc::DocId::terms_of_reference(id.trim_end_matches('/')).ok());
    if let Some(doc) = doc {
        let credential = crate::gate::Credential::session(crate::cookies::token_in(req.headers()));
        if !gate.may(&credential, &doc, desk_core::access::Action::Read).await {
            gate.refused(&credential, &doc, desk_core::access::Action::Read, "page").await;
            return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], HIDDEN_PAGE).into_response();
        }
    }
    next.run(req).await
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.programme_store.ping().await {
        Ok(()) => (StatusCode::OK, axum::Json(serde_json::json!({ "status": "ok" }))).into_response(),
        Err(e) => {
            tracing::error!("health check: {e}");
            error_response(StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Bodies over [`MAX_BODY_BYTES`] get 413, answers' over [`MAX_ANSWER_BODY_BYTES`]: at once
/// when they say their length, else when reading passes it.
async fn limit_body(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let answers =
        ["/answer/", "/api/v1/answer/", "/evaluations/", "/api/v1/evaluations/", "/outcomes/", "/api/v1/outcomes/"].iter().any(|p| path.starts_with(p));
    let limit = if answers { MAX_ANSWER_BODY_BYTES } else { MAX_BODY_BYTES };
    let said = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if said.is_some_and(|len| len > limit as u64) {
        return error_response(StatusCode::PAYLOAD_TOO_LARGE, &format!("the request's body is longer than {limit} bytes"));
    }
    let req = req.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI_BYTES {
        return error_response(StatusCode::URI_TOO_LONG, &format!("the address is longer than {MAX_URI_BYTES} bytes"));
    }
    next.run(req).await
}

/// Built assets under /pkg carry a content hash in their names when cargo-leptos hashed them:
/// those are cached for a year. Other static files are cached for an hour; pages are
/// revalidated on every load.
async fn cache_headers(hashed_assets: bool, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if !res.status().is_success() || res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let is_html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let value = if path.starts_with("/pkg/") && hashed_assets {
        "public, max-age=31536000, immutable"
    } else if is_html || path.starts_with("/api/") || path.starts_with("/_app/") || path == "/healthz" || path == "/sw.js" {
        "no-cache"
    } else {
        "public, max-age=3600"
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}
