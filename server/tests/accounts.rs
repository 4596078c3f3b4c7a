//! Accounts against the real server binary: the admin CLI, sign-in and sign-out, the
//! session cookie (flags, fixation, server-side revocation), rate limits, the audit log.

mod support;

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};
use support::TestServer;

const PASSWORD: &str = "a long enough password";

/// Runs `server --data-dir DIR admin ARGS…` with `password` in PD_PASSWORD.
fn admin(dir: &Path, args: &[&str], password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--log-level", "warn", "admin"])
        .args(args)
        .env("PD_PASSWORD", password)
        .output()
        .expect("run the server binary")
}

fn must(output: Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// A temporary data dir with a Secretariat manager and a MedNET editor, and a server on it.
fn setup() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    must(admin(dir.path(), &["create", "--email", "sec@coe.int"], PASSWORD));
    must(admin(dir.path(), &["delegation", "add", "Malta"], PASSWORD));
    must(admin(dir.path(), &["account", "--email", "Ed@Example.org", "--name", "Ed", "--delegation", "Malta"], PASSWORD));
    must(admin(dir.path(), &["role", "--email", "ed@example.org", "--group", "mednet", "--role", "editor"], PASSWORD));
    let server = TestServer::start_in(dir.path());
    (dir, server)
}

/// Signs in; returns (status, body, session token from Set-Cookie, the whole Set-Cookie).
async fn sign_in(server: &TestServer, email: &str, password: &str, cookie: Option<&str>) -> (StatusCode, Value, Option<String>, String) {
    let mut request = reqwest::Client::new().post(server.url("/api/v1/session")).json(&json!({ "email": email, "password": password }));
    if let Some(token) = cookie {
        request = request.header(COOKIE, format!("pd_session={token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let set_cookie = response.headers().get(SET_COOKIE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let token = set_cookie.strip_prefix("pd_session=").and_then(|rest| rest.split(';').next()).filter(|t| !t.is_empty()).map(str::to_owned);
    (status, response.json().await.unwrap(), token, set_cookie)
}

async fn who(server: &TestServer, token: &str) -> Value {
    let response = reqwest::Client::new().get(server.url("/api/v1/session")).header(COOKIE, format!("pd_session={token}")).send().await.unwrap();
    response.json().await.unwrap()
}

#[tokio::test]
async fn sign_in_gives_a_session_cookie_that_says_who_and_which_groups() {
    let (_dir, server) = setup();
    let response =
        reqwest::Client::new().post(server.url("/api/v1/session")).json(&json!({ "email": "ed@example.org", "password": PASSWORD })).send().await.unwrap();
    let cookies: Vec<String> = response.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let id = response.json::<Value>().await.unwrap()["account"]["id"].clone();
    // The account hint for the browser's local copies: readable by the page, not a credential.
    let hint = cookies.iter().find(|c| c.starts_with("pd_account=")).expect("the account hint");
    assert!(!hint.contains("HttpOnly") && hint.starts_with(&format!("pd_account={id};")), "{hint}");
    let (status, body, token, set_cookie) = sign_in(&server, "ED@example.org", PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(flag), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "not behind HTTPS here");
    let me = who(&server, &token.unwrap()).await;
    assert_eq!(me["signed_in"], true);
    assert_eq!(me["account"]["email"], "Ed@Example.org");
    assert_eq!(me["account"]["delegation"], "Malta");
    assert_eq!(me["groups"], json!([{ "group": "mednet", "role": "editor" }]));
    assert_eq!(who(&server, "forged-token").await["signed_in"], false);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_get_the_same_answer() {
    let (_dir, server) = setup();
    let (wrong_status, wrong, token, _) = sign_in(&server, "ed@example.org", "not the password", None).await;
    let (unknown_status, unknown, _, _) = sign_in(&server, "nobody@example.org", PASSWORD, None).await;
    assert_eq!((wrong_status, unknown_status), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["error"]["message"], "Wrong email or password.");
    assert_eq!(token, None);
}

#[tokio::test]
async fn signing_in_always_starts_a_new_session_and_signing_out_ends_it_on_the_server() {
    let (_dir, server) = setup();
    let (_, _, first, _) = sign_in(&server, "ed@example.org", PASSWORD, None).await;
    let first = first.unwrap();
    // A browser bringing a session along (planted or old) gets a new one, and the old one ends.
    let (_, _, second, _) = sign_in(&server, "ed@example.org", PASSWORD, Some(&first)).await;
    let second = second.unwrap();
    assert_ne!(first, second);
    assert_eq!(who(&server, &first).await["signed_in"], false);
    assert_eq!(who(&server, &second).await["signed_in"], true);

    let response = reqwest::Client::new().delete(server.url("/api/v1/session")).header(COOKIE, format!("pd_session={second}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    // Re-sending the old cookie opens nothing: the session is gone server-side.
    assert_eq!(who(&server, &second).await["signed_in"], false);
}

#[tokio::test]
async fn sign_ins_are_rate_limited_per_account_even_with_the_right_password() {
    let (_dir, server) = setup();
    for _ in 0..5 {
        let (status, ..) = sign_in(&server, "ed@example.org", "wrong password!", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // The limit allows 5 a minute, one more every 12 s: on a slow machine (argon2 in a debug
    // build) the five may take that long, so keep trying until the limiter refuses.
    let mut refused = false;
    for _ in 0..20 {
        let (status, ..) = sign_in(&server, "ed@example.org", "wrong password!", None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            break;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert!(refused, "the limiter never refused");
    let (status, body, token, _) = sign_in(&server, "ed@example.org", PASSWORD, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(token, None);
    // Another account from the same address is not held back.
    let (status, ..) = sign_in(&server, "sec@coe.int", PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_audit_log_records_sign_ins_and_roles_for_the_secretariat_only() {
    let (_dir, server) = setup();
    sign_in(&server, "ed@example.org", "wrong password!", None).await;
    let (_, _, ed, _) = sign_in(&server, "ed@example.org", PASSWORD, None).await;
    let (_, _, sec, _) = sign_in(&server, "sec@coe.int", PASSWORD, None).await;
    let get = |token: Option<String>| {
        let mut request = reqwest::Client::new().get(server.url("/api/v1/audit"));
        if let Some(token) = token {
            request = request.header(COOKIE, format!("pd_session={token}"));
        }
        request.send()
    };
    assert_eq!(get(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get(ed).await.unwrap().status(), StatusCode::FORBIDDEN);
    let entries: Vec<Value> = get(sec).await.unwrap().json().await.unwrap();
    let events: Vec<&str> = entries.iter().map(|e| e["event"].as_str().unwrap()).collect();
    for event in ["account created", "role changed", "sign-in failed", "signed in"] {
        assert!(events.contains(&event), "{event} missing from {events:?}");
    }
    assert!(entries.iter().any(|e| e["event"] == "role changed" && e["detail"].as_str().unwrap().contains("mednet: editor")));
}

#[test]
fn the_admin_cli_refuses_bad_input_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let short = admin(dir.path(), &["create", "--email", "sec@coe.int"], "short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    must(admin(dir.path(), &["create", "--email", "sec@coe.int"], PASSWORD));
    let twice = admin(dir.path(), &["create", "--email", "SEC@coe.int"], PASSWORD);
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already an account"));
    let group = admin(dir.path(), &["role", "--email", "sec@coe.int", "--group", "no-such-group", "--role", "editor"], "");
    assert!(String::from_utf8_lossy(&group.stderr).contains("no group"));
    let role = admin(dir.path(), &["role", "--email", "sec@coe.int", "--group", "mednet", "--role", "admin"], "");
    assert!(String::from_utf8_lossy(&role.stderr).contains("is not a role"));
    let email = admin(dir.path(), &["account", "--email", "not-an-email", "--name", "X"], PASSWORD);
    assert!(String::from_utf8_lossy(&email.stderr).contains("not an email"));
}

/// A client that does not follow redirects (to see them).
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn the_sign_in_page_works_without_javascript_and_the_header_says_who() {
    let (_dir, server) = setup();
    let page = reqwest::get(server.url("/sign-in")).await.unwrap().text().await.unwrap();
    assert!(page.contains("action=\"/session/sign-in\"") && page.contains("href=\"/sign-in\""), "the form, and the header's link");

    let form = [("email", "ed@example.org"), ("password", "not the password"), ("next", "/matrix")];
    let wrong = no_redirects().post(server.url("/session/sign-in")).form(&form).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::SEE_OTHER);
    assert_eq!(wrong.headers()["location"], "/sign-in?error=wrong&next=/matrix");
    assert!(wrong.headers().get(SET_COOKIE).is_none());
    let told = reqwest::get(server.url("/sign-in?error=wrong")).await.unwrap().text().await.unwrap();
    assert!(told.contains("Wrong email or password."));

    // A next address elsewhere is not followed.
    let form = [("email", "ed@example.org"), ("password", PASSWORD), ("next", "https://evil.example/")];
    let signed = no_redirects().post(server.url("/session/sign-in")).form(&form).send().await.unwrap();
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed.headers()["location"], "/");
    let cookie = signed.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let overview = reqwest::Client::new().get(server.url("/")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
    assert!(overview.contains("class=\"signed-in-as\"") && overview.contains(">Ed<") && overview.contains("Sign out"));

    // From another site's page, the forms do nothing.
    let forged = no_redirects().post(server.url("/session/sign-out")).header(COOKIE, &cookie).header("origin", "http://evil.example").send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(who(&server, cookie.trim_start_matches("pd_session=")).await["signed_in"], true);

    let out = no_redirects().post(server.url("/session/sign-out")).header(COOKIE, &cookie).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let cleared: Vec<&str> = out.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("pd_session=;") && c.contains("Max-Age=0")), "{cleared:?}");
    assert!(cleared.iter().any(|c| c.starts_with("pd_account=;") && c.contains("Max-Age=0")), "{cleared:?}");
    assert_eq!(who(&server, cookie.trim_start_matches("pd_session=")).await["signed_in"], false);
}
