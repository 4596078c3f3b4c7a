//! Running the groups over HTTP: invitations, members' roles, new groups, documents' owner and
//! visibility (JSON under `/api/v1`), and accepting an invitation (the `/invite/{secret}`
//! page's form, which works without JavaScript). Each route checks who asks: a group's
//! managers run its members; the Secretariat's managers run everything.

use super::accounts::{set_session_cookies, signed};
use super::{ApiError, AppState};
use crate::accounts::invite::{AcceptError, InviteError};
use crate::accounts::{AccountError, Signed};
use crate::cookies;
use crate::gate::Credential;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::{Form, Json, Router};
use desk_core::access::{may_manage_group, Action, DocPolicy, GroupId, Role, Visibility};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/invitations", post(invite))
        .route("/api/v1/groups", get(list_groups).post(create_group))
        .route("/api/v1/groups/{group}/members", put(set_member))
        .route("/api/v1/policies/{*doc}", put(set_policy))
        .route("/session/accept-invitation", post(accept_form))
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::BadEmail(_)
            | AccountError::NoName
            | AccountError::Password(_)
            | AccountError::BadGroupId(_)
            | AccountError::BadDelegation(_)
            | AccountError::UnknownDelegation(_) => ApiError::BadRequest(e.to_string()),
            AccountError::Exists(_) | AccountError::GroupExists(_) | AccountError::DelegationInUse(..) => ApiError::Conflict(e.to_string()),
            AccountError::NoSuchAccount(_) | AccountError::NoSuchGroup(_) => ApiError::NotFound(e.to_string()),
            AccountError::NotAllowed(_) => ApiError::Forbidden(e.to_string()),
            AccountError::Store(e) => ApiError::Internal(e.to_string()),
        }
    }
}

/// The signed-in account of a request, or 401.
async fn required(state: &AppState, headers: &HeaderMap) -> Result<Signed, ApiError> {
    signed(&state.accounts, headers).await?.ok_or_else(|| ApiError::Unauthorized("Sign in first.".into()))
}

fn parse_role(text: &str) -> Result<Role, ApiError> {
    Role::parse(text).ok_or_else(|| ApiError::BadRequest(format!("{text:?} is not a role (viewer, commenter, editor, manager)")))
}

#[derive(Deserialize)]
struct InviteRequest {
    email: String,
    group: String,
    role: String,
    /// One on the list of delegations (`GET /api/v1/delegations`), or none.
    #[serde(default)]
    delegation: Option<String>,
}

/// `POST /api/v1/invitations`: 201 with the link (a path: `/invite/{secret}`), once.
async fn invite(State(state): State<AppState>, headers: HeaderMap, Json(request): Json<InviteRequest>) -> Result<Response, ApiError> {
    let by = required(&state, &headers).await?;
    let role = parse_role(&request.role)?;
    let invitation = state.accounts.invite(&by, &request.email, &GroupId(request.group), role, request.delegation.as_deref()).await.map_err(|e| match e {
        InviteError::NotAllowed(_) => ApiError::Forbidden(e.to_string()),
        InviteError::HasAccount(_) => ApiError::Conflict(e.to_string()),
        InviteError::Account(e) => e.into(),
    })?;
    let body = serde_json::json!({
        "link": format!("/invite/{}", invitation.secret),
        "email": invitation.email,
        "group": invitation.group,
        "role": invitation.role,
        "delegation": invitation.delegation,
        "expires_ms": invitation.expires_ms,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /api/v1/groups`: every group, for signed-in accounts.
async fn list_groups(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    required(&state, &headers).await?;
    let groups = state.accounts.groups().await?;
    Ok(Json(groups.into_iter().map(|(id, name)| serde_json::json!({ "id": id, "name": name })).collect()))
}

#[derive(Deserialize)]
struct NewGroup {
    id: String,
    name: String,
}

/// `POST /api/v1/groups`: the Secretariat's managers add a group (an expert group).
async fn create_group(State(state): State<AppState>, headers: HeaderMap, Json(group): Json<NewGroup>) -> Result<StatusCode, ApiError> {
    let by = required(&state, &headers).await?;
    if by.principal.role_for(&GroupId::new(desk_core::access::SECRETARIAT)) != Some(Role::Manager) {
        return Err(ApiError::Forbidden("Groups are created by the Secretariat's managers.".into()));
    }
    state.accounts.create_group(&group.id, &group.name, Some(by.account.id)).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize)]
struct Membership {
    email: String,
    /// `null` removes the membership.
    role: Option<String>,
}

/// `PUT /api/v1/groups/{group}/members`: a group's managers give a role or take it away.
async fn set_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(group): Path<String>,
    Json(member): Json<Membership>,
) -> Result<StatusCode, ApiError> {
    let by = required(&state, &headers).await?;
    let group = GroupId(group);
    if !may_manage_group(&by.principal, &group) {
        return Err(ApiError::Forbidden(format!("Only the managers of {group} and the Secretariat's managers change its members.")));
    }
    let role = member.role.as_deref().map(parse_role).transpose()?;
    state.accounts.set_role(&member.email, &group, role, Some(by.account.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct PolicyRequest {
    owner: String,
    visibility: String,
}

/// `PUT /api/v1/policies/{doc}`: the Secretariat's managers set a ToR's owner and visibility.
/// Someone who may not read the document gets 404, as everywhere.
async fn set_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(doc): Path<String>,
    Json(request): Json<PolicyRequest>,
) -> Result<StatusCode, ApiError> {
    let doc = desk_core::doc::DocId::parse(&doc).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let credential = Credential::session(cookies::token_in(&headers));
    if !state.gate.may(&credential, &doc, Action::Read).await {
        state.gate.refused(&credential, &doc, Action::Read, "policy API").await;
        return Err(ApiError::NotFound(format!("there is no document {doc}")));
    }
    if !state.gate.may(&credential, &doc, Action::Manage).await {
        state.gate.refused(&credential, &doc, Action::Manage, "policy API").await;
        return Err(ApiError::Forbidden("Owners and visibility are changed by the Secretariat's managers.".into()));
    }
    let visibility = Visibility::parse(&request.visibility)
        .ok_or_else(|| ApiError::BadRequest(format!("{:?} is not a visibility (public, members, group)", request.visibility)))?;
    let by = required(&state, &headers).await?;
    state.accounts.set_policy(&doc, &DocPolicy { owner: GroupId(request.owner), visibility }, Some(by.account.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The `/invite/{secret}` page's form.
#[derive(Deserialize)]
struct AcceptForm {
    secret: String,
    /// Only the setup link asks for it; an invitation has its own.
    email: Option<String>,
    name: String,
    password: String,
}

/// Makes the account, signs it in and goes to the overview; back to the form with the
/// reason otherwise.
async fn accept_form(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<AcceptForm>) -> Result<Response, ApiError> {
    if !cookies::same_site(&headers) {
        return Err(ApiError::Forbidden("Accept the invitation from this site's own page.".into()));
    }
    let secret = form.secret.trim();
    let result = state.accounts.accept(secret, form.email.as_deref(), &form.name, &form.password).await;
    let reason = match result {
        Ok((token, account)) => {
            if let Some(old) = cookies::token_in(&headers) {
                state.accounts.sign_out(&old).await.map_err(|e| ApiError::Internal(e.to_string()))?;
            }
            let mut response = Redirect::to("/").into_response();
            set_session_cookies(&mut response, &token, account.id, state.secure_cookies);
            return Ok(response);
        }
        Err(AcceptError::Invalid) => "invalid",
        Err(AcceptError::NoEmail | AcceptError::Account(AccountError::BadEmail(_))) => "email",
        Err(AcceptError::Account(AccountError::NoName)) => "name",
        Err(AcceptError::Account(AccountError::Password(_))) => "password",
        Err(AcceptError::Account(AccountError::Exists(_))) => "exists",
        Err(e) => return Err(ApiError::Internal(e.to_string())),
    };
    // Back to the page the form came from: only the setup page asks for an email. A secret is
    // only ever letters, digits, '-' and '_' when it is one.
    let page = if form.email.is_some() { "setup" } else { "invite" };
    let secret = if secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') { secret } else { "-" };
    Ok(Redirect::to(&format!("/{page}/{secret}?error={reason}")).into_response())
}
