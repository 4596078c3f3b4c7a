//! The HTTP application's one error type: its variant is the status, its text the message
//! of the JSON body `{"error": {"status": 404, "message": "…"}}`. An internal error's text is
//! logged, never sent: the client reads only that something went wrong on the server.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The one error type of the HTTP application; its status is the HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// What a client reads of an internal error: the same sentence as the pages' backend.
pub use app::backend::INTERNAL_MESSAGE;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                error_response(self.status(), INTERNAL_MESSAGE)
            }
            _ => error_response(self.status(), &self.to_string()),
        }
    }
}

/// A JSON error body with the given status; also used by middleware outside the API.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "status": status.as_u16(), "message": message } });
    (status, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_internal_error_is_logged_not_shown() {
        let response = ApiError::Internal("database: disk I/O error at /srv/secret/path".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains(INTERNAL_MESSAGE) && !body.contains("secret"), "{body}");
        let response = ApiError::NotFound("no action with id \"x\"".into()).into_response();
        let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("no action with id"));
    }
}
