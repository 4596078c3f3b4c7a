//! JSON requests for tests of the HTTP API: a client that does not follow redirects (so a
//! test sees the form routes' 303 and where they point) and one call with an optional cookie.

use super::TestServer;
use reqwest::header::COOKIE;
use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A client that leaves redirects to the test.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// `method` on `path` with the session `cookie` and a JSON `body` (none when `Null`): the
/// status, and the body as JSON (`Null` when it is not).
pub async fn call(server: &TestServer, method: Method, path: &str, cookie: Option<&str>, body: Value) -> (StatusCode, Value) {
    let mut request = client().request(method, server.url(path));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    if !body.is_null() {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}
