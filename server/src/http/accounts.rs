//! Sign-in, sign-out and "who am I" under `/api/v1/session`, and the audit log for the
//! Secretariat at `/api/v1/audit`.

use super::{ApiError, AppState};
use crate::accounts::{is_secretariat, Accounts, SignInError, Signed};
use crate::cookies;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/session", get(who_am_i).post(sign_in).delete(sign_out)).route("/api/v1/audit", get(audit))
}

/// The signed-in account of a request (its session cookie), if any.
pub async fn signed(accounts: &Accounts, headers: &HeaderMap) -> Result<Option<Signed>, ApiError> {
    let Some(token) = cookies::token_in(headers) else {
        return Ok(None);
    };
    accounts.signed(&token).await.map_err(|e| ApiError::Internal(format!("reading the session: {e}")))
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(credentials): Json<Credentials>,
) -> Result<Response, ApiError> {
    // A session the browser already had ends here: signing in always starts a new one.
    if let Some(old) = cookies::token_in(&headers) {
        state.accounts.sign_out(&old).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    match state.accounts.sign_in(&credentials.email, &credentials.password, from.ip()).await {
        Ok((token, account)) => {
            let account_id = account.id;
            let mut response = Json(serde_json::json!({ "signed_in": true, "account": account })).into_response();
            set_session_cookies(&mut response, &token, account_id, state.secure_cookies);
            Ok(response)
        }
        Err(SignInError::Wrong) => Err(ApiError::Unauthorized(SignInError::Wrong.to_string())),
        Err(SignInError::TooMany) => Err(ApiError::TooManyRequests(SignInError::TooMany.to_string())),
        Err(e) => Err(ApiError::Internal(e.to_string())),
    }
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = cookies::token_in(&headers) {
        state.accounts.sign_out(&token).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let mut response = (StatusCode::OK, Json(serde_json::json!({ "signed_in": false }))).into_response();
    clear_session_cookies(&mut response, state.secure_cookies);
    Ok(response)
}

async fn who_am_i(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(match signed(&state.accounts, &headers).await? {
        Some(Signed { account, principal }) => {
            let groups: Vec<_> = match &principal {
                desk_core::access::Principal::Account { memberships, .. } => {
                    memberships.iter().map(|(group, role)| serde_json::json!({ "group": group, "role": role })).collect()
                }
                desk_core::access::Principal::SignedOut => Vec::new(),
            };
            serde_json::json!({ "signed_in": true, "account": account, "groups": groups })
        }
        None => serde_json::json!({ "signed_in": false }),
    }))
}

async fn audit(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Vec<crate::accounts::AuditEntry>>, ApiError> {
    let Some(signed) = signed(&state.accounts, &headers).await? else {
        return Err(ApiError::Unauthorized("Sign in to see the audit log.".into()));
    };
    if !is_secretariat(&signed.principal) {
        return Err(ApiError::Forbidden("The audit log is for the Secretariat.".into()));
    }
    let entries = state.accounts.audit_entries(500).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(entries))
}

/// The session cookie and the account hint for the browser's local copies.
pub(crate) fn set_session_cookies(response: &mut Response, token: &str, account: i64, secure: bool) {
    set_cookie(response, &cookies::set_cookie(token, secure));
    set_cookie(response, &cookies::set_account_cookie(account, secure));
}

fn clear_session_cookies(response: &mut Response, secure: bool) {
    set_cookie(response, &cookies::clear_cookie(secure));
    set_cookie(response, &cookies::clear_account_cookie(secure));
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The sign-in page's form (`/sign-in`), for browsers with or without JavaScript.
#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub fn form_routes() -> Router<AppState> {
    Router::new().route("/session/sign-in", axum::routing::post(sign_in_form)).route("/session/sign-out", axum::routing::post(sign_out_form))
}

/// Signs in and goes on to `next`; back to the form with the reason otherwise.
async fn sign_in_form(
    State(state): State<AppState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<SignInForm>,
) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Sign in from this site's own page.".into()));
    }
    if let Some(old) = cookies::token_in(&headers) {
        state.accounts.sign_out(&old).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let next = app::programme_api::safe_next(form.next);
    let retry = |error: &str| format!("/sign-in?error={error}&next={}", app::programme_api::encode_path(&next));
    Ok(match state.accounts.sign_in(&form.email, &form.password, from.ip()).await {
        Ok((token, account)) => {
            let mut response = axum::response::Redirect::to(&next).into_response();
            set_session_cookies(&mut response, &token, account.id, state.secure_cookies);
            response
        }
        Err(SignInError::Wrong) => axum::response::Redirect::to(&retry("wrong")).into_response(),
        Err(SignInError::TooMany) => axum::response::Redirect::to(&retry("too-many")).into_response(),
        Err(e) => return Err(ApiError::Internal(e.to_string())),
    })
}

async fn sign_out_form(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Sign out from this site's own page.".into()));
    }
    if let Some(token) = cookies::token_in(&headers) {
        state.accounts.sign_out(&token).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let mut response = axum::response::Redirect::to("/").into_response();
    clear_session_cookies(&mut response, state.secure_cookies);
    Ok(response)
}
