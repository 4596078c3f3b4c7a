//! Evaluations in tests: a post-activity questionnaire created as the Secretariat, and a
//! participant's browser answering it through its link with its respondent key.

use super::json::{call, client};
use super::{admin, sign_in, TestServer};
use reqwest::header::SET_COOKIE;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub fn questionnaire(id: &str) -> Value {
    json!({ "id": id, "title": "Executive Training 2020", "activity": "drug-policy-academy", "format": "post-activity-questionnaire",
            "opens": "2020-01-01", "closes": "2099-12-31" })
}

/// Creates a questionnaire as the Secretariat; its link's path.
pub async fn created(server: &TestServer, sec: &str, id: &str) -> String {
    let (status, body) = call(server, Method::POST, "/api/v1/evaluations", Some(sec), questionnaire(id)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["link"].as_str().unwrap().to_owned()
}

/// A participant's browser: opens the questionnaire (getting its respondent key) and keeps
/// the key cookie.
pub struct Browser {
    pub cookie: String,
}

impl Browser {
    pub async fn open(server: &TestServer, link: &str) -> (Browser, Value) {
        let response = client().get(server.url(&format!("/api/v1{link}"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let cookie =
            response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with("pd_respondent=")).expect("a respondent key");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        let cookie = cookie.split(';').next().unwrap().to_owned();
        (Browser { cookie }, response.json().await.unwrap())
    }

    pub async fn submit(&self, server: &TestServer, link: &str, answers: Value) -> (StatusCode, Value) {
        call(server, Method::POST, &format!("/api/v1{link}"), Some(&self.cookie), json!({ "form_version": 1, "answers": answers })).await
    }

    pub async fn reopen(&self, server: &TestServer, link: &str) -> Value {
        call(server, Method::GET, &format!("/api/v1{link}"), Some(&self.cookie), Value::Null).await.1
    }
}

pub fn good(overall: u8, priorities: &[&str], change: &str) -> Value {
    json!({ "overall": { "rating": overall }, "relevance": { "rating": 4 }, "priorities": { "choices": priorities },
            "use-in-work": { "yes_no": true }, "change": { "text": change } })
}

/// A server with a Secretariat member and a Permanent Correspondent of Malta, both signed in:
/// the data folder (kept while the test runs), the server, and the two session cookies.
pub async fn secretariat_and_pc() -> (tempfile::TempDir, TestServer, String, String) {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["create", "--email", "sec@coe.int"]);
    admin(dir.path(), &["delegation", "add", "Malta"]);
    admin(dir.path(), &["account", "--email", "pc@example.org", "--name", "PC", "--delegation", "Malta", "--role", "permanent-correspondents=editor"]);
    let server = TestServer::start_in(dir.path());
    let sec = sign_in(&server, "sec@coe.int").await;
    let pc = sign_in(&server, "pc@example.org").await;
    (dir, server, sec, pc)
}
