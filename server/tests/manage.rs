//! Getting started and running the groups, against the real server binary: the one-time
//! setup link, invitations (single use, 7 days, only from a group's managers), members' roles,
//! new groups and documents' visibility over HTTP, `admin sign-out`, the demo data set, and
//! the audit log of refused accesses.

mod support;

use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::Path;
use support::{admin, sign_in, TestServer, PASSWORD};

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// A JSON request with a session cookie: (status, body or Null).
async fn call(server: &TestServer, method: reqwest::Method, path: &str, cookie: &str, body: Value) -> (StatusCode, Value) {
    let response = client().request(method, server.url(path)).header(COOKIE, cookie).json(&body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Posts the invitation page's form as a browser on this site would: (where it redirects, the
/// session cookie it set).
async fn accept(server: &TestServer, form: &[(&str, &str)]) -> (String, Option<String>) {
    let response = client().post(server.url("/session/accept-invitation")).header(ORIGIN, &server.base).form(form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("pd_session="))
        .map(|c| c.split(';').next().unwrap().to_owned());
    (response.headers()[LOCATION].to_str().unwrap().to_owned(), cookie)
}

async fn page_status(server: &TestServer, path: &str, cookie: Option<&str>) -> StatusCode {
    let mut request = client().get(server.url(path));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request.send().await.unwrap().status()
}

async fn who(server: &TestServer, cookie: &str) -> Value {
    call(server, reqwest::Method::GET, "/api/v1/session", cookie, Value::Null).await.1
}

fn secret_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap()
}

#[tokio::test]
async fn with_no_account_the_console_has_a_setup_link_that_makes_the_first_secretariat_manager_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_in(dir.path());
    let line = server.console.iter().find(|l| l.contains("/setup/")).expect("a setup link on the console");
    let link = line.trim();
    assert!(link.starts_with(&format!("{}/setup/", server.base)), "{link}");
    let secret = secret_of(link);

    // The setup link needs an email; a short password is refused and uses nothing up.
    let (to, cookie) = accept(&server, &[("secret", secret), ("email", ""), ("name", "Sec"), ("password", PASSWORD)]).await;
    assert_eq!((to.as_str(), cookie), (format!("/setup/{secret}?error=email").as_str(), None));
    let (to, _) = accept(&server, &[("secret", secret), ("email", "first@coe.int"), ("name", "Sec"), ("password", "short")]).await;
    assert!(to.ends_with("error=password"), "{to}");

    let (to, cookie) = accept(&server, &[("secret", secret), ("email", "first@coe.int"), ("name", "First"), ("password", PASSWORD)]).await;
    assert_eq!(to, "/");
    let me = who(&server, &cookie.unwrap()).await;
    assert_eq!(me["account"]["email"], "first@coe.int");
    assert_eq!(me["groups"], json!([{ "group": "secretariat", "role": "manager" }]));

    // Once only.
    let (to, cookie) = accept(&server, &[("secret", secret), ("email", "second@coe.int"), ("name", "Second"), ("password", PASSWORD)]).await;
    assert_eq!((to.as_str(), cookie), (format!("/setup/{secret}?error=invalid").as_str(), None));
    drop(server);
    // With an account, a restart prints no setup link.
    let server = TestServer::start_in(dir.path());
    assert!(!server.console.iter().any(|l| l.contains("/setup/")), "{:?}", server.console);
}

#[tokio::test]
async fn a_setup_link_dies_once_an_account_exists_another_way() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_in(dir.path());
    let link = server.console.iter().find(|l| l.contains("/setup/")).unwrap().trim().to_owned();
    admin(dir.path(), &["create", "--email", "cli@coe.int"]);
    let (to, cookie) = accept(&server, &[("secret", secret_of(&link)), ("email", "late@coe.int"), ("name", "Late"), ("password", PASSWORD)]).await;
    assert!(to.ends_with("error=invalid") && cookie.is_none(), "{to}");
}

/// A data dir with a Secretariat manager, a MedNET manager and a MedNET editor; a server on it.
fn groups_setup() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["create", "--email", "sec@coe.int"]);
    admin(dir.path(), &["account", "--email", "manager@mednet.org", "--name", "Manager", "--role", "mednet=manager"]);
    admin(dir.path(), &["account", "--email", "editor@mednet.org", "--name", "Editor", "--role", "mednet=editor", "--role", "bureau=viewer"]);
    let server = TestServer::start_in(dir.path());
    (dir, server)
}

async fn invite(server: &TestServer, cookie: &str, email: &str, group: &str, role: &str) -> (StatusCode, Value) {
    call(server, reqwest::Method::POST, "/api/v1/invitations", cookie, json!({ "email": email, "group": group, "role": role })).await
}

#[tokio::test]
async fn a_group_manager_invites_once_for_seven_days_and_no_one_else_can() {
    let (dir, server) = groups_setup();
    let manager = sign_in(&server, "manager@mednet.org").await;
    let editor = sign_in(&server, "editor@mednet.org").await;

    let (status, body) = invite(&server, &editor, "new@mednet.org", "mednet", "commenter").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = invite(&server, &manager, "new@mednet.org", "airports-group", "editor").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a MedNET manager invites into another group");
    let (status, _) = invite(&server, &manager, "editor@mednet.org", "mednet", "viewer").await;
    assert_eq!(status, StatusCode::CONFLICT, "an existing account is given the role, not invited");
    let (status, _) = invite(&server, "pd_session=nothing", "new@mednet.org", "mednet", "viewer").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = invite(&server, &manager, "new@mednet.org", "mednet", "owner").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The delegation comes from the Secretariat's list (any case), chosen by whoever invites.
    admin(dir.path(), &["delegation", "add", "Malta"]);
    let ask = |delegation: &str| json!({ "email": "New@MedNET.org", "group": "mednet", "role": "commenter", "delegation": delegation });
    let (status, body) = call(&server, reqwest::Method::POST, "/api/v1/invitations", &manager, ask("Atlantis")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not on the list: {body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("\"Atlantis\" is not on the list of delegations"), "{body}");
    let (status, body) = call(&server, reqwest::Method::POST, "/api/v1/invitations", &manager, ask("malta")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["delegation"], "Malta");
    let week = 7 * 24 * 3600 * 1000;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let expires = body["expires_ms"].as_i64().unwrap();
    assert!((expires - now - week).abs() < 60_000, "expires in 7 days: {expires} vs {now}");
    let link = body["link"].as_str().unwrap().to_owned();
    assert_eq!(page_status(&server, &link, None).await, StatusCode::OK, "the invitation page");

    let (to, cookie) = accept(&server, &[("secret", secret_of(&link)), ("name", "Newcomer"), ("delegation", "Atlantis"), ("password", PASSWORD)]).await;
    assert_eq!(to, "/");
    let me = who(&server, &cookie.unwrap()).await;
    // The invitation's delegation, not what the form said.
    assert_eq!((me["account"]["email"].as_str(), me["account"]["delegation"].as_str()), (Some("New@MedNET.org"), Some("Malta")));
    assert_eq!(me["groups"], json!([{ "group": "mednet", "role": "commenter" }]));
    let (to, cookie) = accept(&server, &[("secret", secret_of(&link)), ("name", "Again"), ("password", PASSWORD)]).await;
    assert!(to.ends_with("error=invalid") && cookie.is_none(), "used twice: {to}");

    // An expired invitation does nothing.
    let (_, body) = invite(&server, &manager, "late@mednet.org", "mednet", "viewer").await;
    let late = body["link"].as_str().unwrap().to_owned();
    expire_invitations(dir.path()).await;
    let (to, cookie) = accept(&server, &[("secret", secret_of(&late)), ("name", "Late"), ("password", PASSWORD)]).await;
    assert!(to.ends_with("error=invalid") && cookie.is_none(), "expired: {to}");
    // A made-up one neither, and an odd secret is not echoed into the address.
    let (to, _) = accept(&server, &[("secret", "../../etc?x=1"), ("name", "X"), ("password", PASSWORD)]).await;
    assert_eq!(to, "/invite/-?error=invalid");

    let (_, log) = call(&server, reqwest::Method::GET, "/api/v1/audit", &sign_in(&server, "sec@coe.int").await, Value::Null).await;
    let events: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events.iter().filter(|e| **e == "invitation created").count(), 2, "{events:?}");
    assert_eq!(events.iter().filter(|e| **e == "invitation accepted").count(), 1, "{events:?}");
}

/// Makes every invitation in the data dir's database expired.
async fn expire_invitations(dir: &Path) {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(dir.join("programme-desk.db"));
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let changed = sqlx::query("UPDATE invitations SET expires_ms = 1").execute(&pool).await.unwrap().rows_affected();
    assert!(changed > 0);
    pool.close().await;
}

#[tokio::test]
async fn an_invitation_accepted_twice_at_once_makes_one_account() {
    let (_dir, server) = groups_setup();
    let manager = sign_in(&server, "manager@mednet.org").await;
    let (_, body) = invite(&server, &manager, "twice@mednet.org", "mednet", "editor").await;
    let secret = secret_of(body["link"].as_str().unwrap()).to_owned();
    let tries = (0..6).map(|i| {
        let name = format!("Try {i}");
        let secret = secret.clone();
        let server = &server;
        async move { accept(server, &[("secret", &secret), ("name", &name), ("password", PASSWORD)]).await }
    });
    let results = futures_util::future::join_all(tries).await;
    let signed_in = results.iter().filter(|(to, cookie)| to == "/" && cookie.is_some()).count();
    assert_eq!(signed_in, 1, "{results:?}");
}

#[tokio::test]
async fn managers_change_roles_and_the_secretariat_changes_groups_and_visibility_over_http() {
    let (_dir, server) = groups_setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let manager = sign_in(&server, "manager@mednet.org").await;
    let editor = sign_in(&server, "editor@mednet.org").await;
    let put = reqwest::Method::PUT;

    // Roles: the group's manager may, its editor may not, nor for another group.
    let (status, _) = call(&server, put.clone(), "/api/v1/groups/mednet/members", &editor, json!({ "email": "editor@mednet.org", "role": "manager" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&server, put.clone(), "/api/v1/groups/bureau/members", &manager, json!({ "email": "editor@mednet.org", "role": null })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&server, put.clone(), "/api/v1/groups/mednet/members", &manager, json!({ "email": "nobody@mednet.org", "role": "viewer" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&server, put.clone(), "/api/v1/groups/mednet/members", &manager, json!({ "email": "editor@mednet.org", "role": "viewer" })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(who(&server, &editor).await["groups"], json!([{ "group": "bureau", "role": "viewer" }, { "group": "mednet", "role": "viewer" }]));

    // Groups: the Secretariat's managers add one; no one else; ids are slugs; once.
    let post = reqwest::Method::POST;
    let expert = json!({ "id": "expert-group-ethics", "name": "Expert group on ethics" });
    assert_eq!(call(&server, post.clone(), "/api/v1/groups", &manager, expert.clone()).await.0, StatusCode::FORBIDDEN);
    assert_eq!(call(&server, post.clone(), "/api/v1/groups", &sec, json!({ "id": "Bad Id", "name": "x" })).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(call(&server, post.clone(), "/api/v1/groups", &sec, expert.clone()).await.0, StatusCode::CREATED);
    assert_eq!(call(&server, post.clone(), "/api/v1/groups", &sec, expert).await.0, StatusCode::CONFLICT);
    let (_, groups) = call(&server, reqwest::Method::GET, "/api/v1/groups", &editor, Value::Null).await;
    assert!(groups.as_array().unwrap().iter().any(|g| g["id"] == "expert-group-ethics"), "{groups}");

    // Visibility: MedNET's ToR made group-only by the Secretariat disappears for a member
    // without the group, and the manager of MedNET may not do it.
    admin(_dir.path(), &["account", "--email", "member@example.org", "--name", "Member"]);
    let member = sign_in(&server, "member@example.org").await;
    assert_eq!(page_status(&server, "/tor/mednet", Some(&member)).await, StatusCode::OK);
    let group_only = json!({ "owner": "mednet", "visibility": "group" });
    assert_eq!(call(&server, put.clone(), "/api/v1/policies/tor/mednet", &manager, group_only.clone()).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        call(&server, put.clone(), "/api/v1/policies/tor/mednet", &sec, json!({ "owner": "mednet", "visibility": "secret" })).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        call(&server, put.clone(), "/api/v1/policies/tor/mednet", &sec, json!({ "owner": "no-such-group", "visibility": "group" })).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(call(&server, put.clone(), "/api/v1/policies/tor/mednet", &sec, group_only).await.0, StatusCode::NO_CONTENT);
    let hidden = async {
        for _ in 0..50 {
            if page_status(&server, "/tor/mednet", Some(&member)).await == StatusCode::NOT_FOUND {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    };
    assert!(hidden.await, "tor/mednet still shown to a member outside MedNET");
    assert_eq!(page_status(&server, "/tor/mednet", Some(&manager)).await, StatusCode::OK);
    // Hidden now: the member's try at its policy is a 404, like everything else about it.
    let (status, _) = call(&server, put, "/api/v1/policies/tor/mednet", &member, json!({ "owner": "mednet", "visibility": "public" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, log) = call(&server, reqwest::Method::GET, "/api/v1/audit", &sec, Value::Null).await;
    let entries = log.as_array().unwrap();
    let has = |event: &str, detail: &str| entries.iter().any(|e| e["event"] == event && e["detail"].as_str().unwrap().contains(detail));
    assert!(has("role changed", "editor@mednet.org in mednet: viewer"), "{log}");
    assert!(has("group created", "expert-group-ethics"), "{log}");
    assert!(has("visibility changed", "tor/mednet: mednet / group"), "{log}");
    assert!(has("access refused", "read of tor/mednet through page"), "{log}");
    assert!(has("access refused", "read of tor/mednet through policy API"), "{log}");
}

#[tokio::test]
async fn a_refused_access_is_audited_once_a_minute_not_on_every_try() {
    let (_dir, server) = groups_setup();
    let editor = sign_in(&server, "editor@mednet.org").await;
    for _ in 0..5 {
        assert_eq!(page_status(&server, "/tor/airports-group", Some(&editor)).await, StatusCode::NOT_FOUND);
        assert_eq!(page_status(&server, "/api/v1/tor/airports-group.md", Some(&editor)).await, StatusCode::NOT_FOUND);
    }
    let (_, log) = call(&server, reqwest::Method::GET, "/api/v1/audit", &sign_in(&server, "sec@coe.int").await, Value::Null).await;
    let refusals: Vec<&str> = log.as_array().unwrap().iter().filter(|e| e["event"] == "access refused").map(|e| e["detail"].as_str().unwrap()).collect();
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    assert!(refusals.contains(&"read of tor/airports-group through page"), "{refusals:?}");
    assert!(refusals.contains(&"read of tor/airports-group through export"), "{refusals:?}");
}

#[tokio::test]
async fn admin_sign_out_ends_every_session_of_an_account() {
    let (dir, server) = groups_setup();
    let first = sign_in(&server, "editor@mednet.org").await;
    let second = sign_in(&server, "editor@mednet.org").await;
    let other = sign_in(&server, "manager@mednet.org").await;
    admin(dir.path(), &["sign-out", "--email", "editor@mednet.org"]);
    for cookie in [&first, &second] {
        assert_eq!(who(&server, cookie).await["signed_in"], false);
    }
    assert_eq!(who(&server, &other).await["signed_in"], true);
}

#[tokio::test]
async fn the_demo_data_set_has_one_account_per_role_and_only_the_airports_officer_sees_its_tor() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), &["--demo"]);
    let console = server.console.join("\n");
    assert!(console.contains("airports@demo.example") && console.contains("pompidou demo password"), "{console}");
    assert!(!console.contains("/setup/"), "no setup link with the demo's accounts");
    let mut cookies = std::collections::HashMap::new();
    for who_ in ["secretariat", "editor", "commenter", "viewer", "mednet", "airports", "member"] {
        let email = format!("{who_}@demo.example");
        let response =
            client().post(server.url("/api/v1/session")).json(&json!({ "email": email, "password": "pompidou demo password" })).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{email}");
        cookies.insert(who_, response.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned());
    }
    let mut roles = Vec::new();
    for who_ in ["secretariat", "editor", "commenter", "viewer", "mednet", "airports"] {
        roles.push(who(&server, &cookies[who_]).await["groups"][0]["role"].clone());
    }
    assert_eq!(roles, ["manager", "editor", "commenter", "viewer", "manager", "editor"].map(|r| json!(r)));
    let (airports, member) = (&cookies["airports"], &cookies["member"]);
    assert_eq!(page_status(&server, "/tor/airports-group", Some(airports)).await, StatusCode::OK);
    assert_eq!(page_status(&server, "/tor/airports-group", Some(member)).await, StatusCode::NOT_FOUND);
    assert_eq!(page_status(&server, "/tor/nps", Some(member)).await, StatusCode::OK);
    assert_eq!(page_status(&server, "/tor/nps", None).await, StatusCode::NOT_FOUND);

    // What each browser keeps for offline use, and where it may pre-fill (edit).
    let get = |path: &'static str, cookie: Option<String>| {
        let server = &server;
        async move {
            let mut request = client().get(server.url(path));
            if let Some(cookie) = cookie {
                request = request.header(COOKIE, cookie);
            }
            request.send().await.unwrap().json::<serde_json::Value>().await.unwrap()
        }
    };
    let my_tors = |cookie: Option<String>| async move {
        let list = get("/_app/my_tors", cookie).await;
        let entries = list.as_array().unwrap().iter().map(|t| (t["id"].as_str().unwrap().to_owned(), (t["may_edit"].clone(), t["outputs_prefill"].clone())));
        entries.collect::<std::collections::HashMap<_, _>>()
    };
    let (read, edit) = (json!(false), json!(true));
    assert!(my_tors(None).await.is_empty(), "the signed-out keep no ToR");
    let for_member = my_tors(Some(member.clone())).await;
    assert_eq!((for_member.get("nps"), for_member.get("airports-group")), (Some(&(read.clone(), json!(null))), None), "no pre-fill where it may not edit");
    let for_officer = my_tors(Some(airports.clone())).await;
    assert_eq!(for_officer["nps"].0, read);
    assert_eq!(for_officer["airports-group"], (edit.clone(), json!(null)), "a permanent activity has no outputs to pre-fill");
    let for_editor = my_tors(Some(cookies["editor"].clone())).await;
    assert_eq!((&for_editor["nps"].0, for_editor.get("airports-group")), (&edit, None));
    assert_eq!(for_editor["nps"].1, json!("Statement"), "an action's outputs (the seed's matrix) pre-fill it where it may edit");

    // The pages the service worker keeps: the programme's for everyone, a ToR only for those
    // who may read it.
    let pages = |cookie: Option<String>| async move {
        let list = get("/_app/offline_pages", cookie).await;
        list.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    let signed_out = pages(None).await;
    for page in ["/", "/matrix", "/actions/nps", "/priorities/good-governance", "/offline"] {
        assert!(signed_out.contains(&page.to_owned()), "{page} in {signed_out:?}");
    }
    assert!(!signed_out.iter().any(|p| p.starts_with("/tor/")), "{signed_out:?}");
    let (for_member, for_officer) = (pages(Some(member.clone())).await, pages(Some(airports.clone())).await);
    assert!(for_member.contains(&"/tor/nps".to_owned()) && !for_member.contains(&"/tor/airports-group".to_owned()));
    assert!(for_officer.contains(&"/tor/airports-group".to_owned()));
    drop(server);
    // A second start keeps them and adds none.
    let server = TestServer::start_with(dir.path(), &["--demo"]);
    assert!(server.console.iter().any(|l| l.contains("airports@demo.example")));
}
