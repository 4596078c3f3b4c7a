//! The list of delegations (issue 15) against the real server binary: the Secretariat's
//! managers keep it (CLI, JSON API, the groups page's plain forms); an account's delegation
//! must be on it; one that accounts belong to stays; the mid-term evaluation's response rate
//! is out of it.

mod support;

use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use support::json::{call, client};
use support::{admin, sign_in, TestServer, PASSWORD};

/// `server admin …` as it ran: (success, stdout, stderr).
fn admin_run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--log-level", "warn", "admin"])
        .args(args)
        .env("PD_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn the_secretariat_keeps_the_list_and_accounts_name_only_what_is_on_it() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["create", "--email", "sec@coe.int"]);
    // Not on the list: refused, saying how to add it; nothing made.
    let (ok, _, err) = admin_run(dir.path(), &["account", "--email", "pc@example.org", "--name", "PC", "--delegation", "Malta"]);
    assert!(!ok && err.contains("\"Malta\" is not on the list of delegations"), "{err}");
    let (_, out, _) = admin_run(dir.path(), &["delegation", "add", "  Malta "]);
    assert_eq!(out.trim(), "Malta is on the list");
    let (_, out, _) = admin_run(dir.path(), &["delegation", "add", "MALTA"]);
    assert_eq!(out.trim(), "Malta is on the list", "the same under any case");
    let (ok, _, err) = admin_run(dir.path(), &["delegation", "add", "Mal\u{202e}ta"]);
    assert!(!ok && err.contains("is not a delegation's name"), "{err}");
    admin(dir.path(), &["account", "--email", "pc@example.org", "--name", "PC", "--delegation", "malta", "--role", "permanent-correspondents=commenter"]);
    admin(dir.path(), &["delegation", "add", "Norway"]);
    let (_, out, _) = admin_run(dir.path(), &["delegation", "list"]);
    assert_eq!(out.lines().collect::<Vec<_>>(), ["Malta", "Norway"]);
    let (ok, _, err) = admin_run(dir.path(), &["delegation", "remove", "Malta"]);
    assert!(!ok && err.contains("1 account(s) or open invitation(s) name the delegation \"Malta\""), "{err}");

    let server = TestServer::start_in(dir.path());
    let (sec, pc) = (sign_in(&server, "sec@coe.int").await, sign_in(&server, "pc@example.org").await);
    let (_, me) = call(&server, Method::GET, "/api/v1/session", Some(&pc), Value::Null).await;
    assert_eq!(me["account"]["delegation"], "Malta", "as the list writes it");
    assert_eq!(call(&server, Method::GET, "/api/v1/delegations", Some(&pc), Value::Null).await.1, json!(["Malta", "Norway"]));
    assert_eq!(call(&server, Method::GET, "/api/v1/delegations", None, Value::Null).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&server, Method::POST, "/api/v1/delegations", Some(&pc), json!({ "name": "Spain" })).await.0, StatusCode::FORBIDDEN);
    let (status, body) = call(&server, Method::POST, "/api/v1/delegations", Some(&sec), json!({ "name": "Spain" })).await;
    assert_eq!((status, body), (StatusCode::CREATED, json!({ "name": "Spain" })));
    assert_eq!(call(&server, Method::POST, "/api/v1/delegations", Some(&sec), json!({ "name": "" })).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(call(&server, Method::DELETE, "/api/v1/delegations/Malta", Some(&sec), Value::Null).await.0, StatusCode::CONFLICT);
    assert_eq!(call(&server, Method::DELETE, "/api/v1/delegations/Atlantis", Some(&sec), Value::Null).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&server, Method::DELETE, "/api/v1/delegations/Norway", Some(&pc), Value::Null).await.0, StatusCode::FORBIDDEN);
    // An open invitation naming it keeps it listed (accepted later, it would make an account
    // of a delegation no longer on the list).
    let invited = json!({ "email": "new@example.org", "group": "mednet", "role": "viewer", "delegation": "Norway" });
    assert_eq!(call(&server, Method::POST, "/api/v1/invitations", Some(&sec), invited).await.0, StatusCode::CREATED);
    assert_eq!(call(&server, Method::DELETE, "/api/v1/delegations/Norway", Some(&sec), Value::Null).await.0, StatusCode::CONFLICT);
    admin(dir.path(), &["delegation", "add", "Iceland"]);
    assert_eq!(call(&server, Method::DELETE, "/api/v1/delegations/iceland", Some(&sec), Value::Null).await.0, StatusCode::NO_CONTENT);

    // The groups page's forms, without JavaScript.
    let post = |path: &str, name: &str, cookie: &str| {
        client().post(server.url(path)).header(COOKIE, cookie.to_owned()).header(ORIGIN, server.base.clone()).form(&[("name", name)]).send()
    };
    let response = post("/groups/delegations", "Portugal", &sec).await.unwrap();
    assert_eq!(response.headers()[LOCATION], "/groups?delegations=added&name=Portugal#delegations");
    let response = post("/groups/delegations/remove", "Malta", &sec).await.unwrap();
    assert_eq!(response.headers()[LOCATION], "/groups?delegations=in-use&name=Malta#delegations");
    let response = post("/groups/delegations", "Greece", &pc).await.unwrap();
    assert_eq!(response.headers()[LOCATION], "/groups?delegations=forbidden&name=#delegations");
    let page = client().get(server.url("/groups?delegations=in-use&name=Malta")).header(COOKIE, sec.clone()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Malta stays on the list: accounts or open invitations name it."), "{page}");
    assert!(page.contains("Remove Portugal"));
    assert_eq!(call(&server, Method::GET, "/api/v1/delegations", Some(&sec), Value::Null).await.1, json!(["Malta", "Norway", "Portugal", "Spain"]));
}

#[tokio::test]
async fn the_mid_term_response_rate_is_out_of_the_list() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["create", "--email", "sec@coe.int"]);
    for name in ["Malta", "Norway", "Poland"] {
        admin(dir.path(), &["delegation", "add", name]);
    }
    admin(dir.path(), &["account", "--email", "pc@example.org", "--name", "PC", "--delegation", "Malta", "--role", "permanent-correspondents=commenter"]);
    let server = TestServer::start_in(dir.path());
    let (sec, pc) = (sign_in(&server, "sec@coe.int").await, sign_in(&server, "pc@example.org").await);
    let new = json!({ "id": "mid-term", "title": "Mid-term 2021", "activity": "nps", "format": "mid-term", "opens": "2020-01-01", "closes": "2099-12-31" });
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), new).await.0, StatusCode::CREATED);
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/mid-term/results", Some(&pc), Value::Null).await;
    assert_eq!(results["rate"], json!({ "responses": 0, "expected": 3 }));
    let page = client().get(server.url("/evaluations/mid-term")).header(COOKIE, pc.clone()).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("0 of 3 delegations answered."), "{page}");
}

#[tokio::test]
async fn a_name_written_another_way_is_the_same_delegation_and_invisible_characters_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["create", "--email", "sec@coe.int"]);
    admin(dir.path(), &["account", "--email", "pc@example.org", "--name", "PC", "--role", "permanent-correspondents=commenter"]);
    let server = TestServer::start_in(dir.path());
    let sec = sign_in(&server, "sec@coe.int").await;
    let add = |name: &'static str| call(&server, Method::POST, "/api/v1/delegations", Some(&sec), json!({ "name": name }));
    // Stored in NFC with single spaces.
    assert_eq!(add("  Tu\u{308}rkiye ").await, (StatusCode::CREATED, json!({ "name": "Türkiye" })));
    assert_eq!(add("North \u{a0}\t Macedonia").await.1, json!({ "name": "North Macedonia" }));
    // Typed another way (capitals, decomposed, without the accent, a no-break space): the one
    // already listed, nothing added.
    for lookalike in ["TÜRKIYE", "Tu\u{308}rkiye", "Turkiye", "north\u{a0}macedonia", "NORTH   MACEDONIA"] {
        let (status, body) = add(lookalike).await;
        assert!(status.is_success(), "{lookalike:?}: {status} {body}");
        assert!(body["name"] == "Türkiye" || body["name"] == "North Macedonia", "{lookalike:?} is the listed one: {body}");
    }
    // Invisible formatting characters would make a second "Malta" that looks like the first.
    for invisible in ["Mal\u{200b}ta", "Malta\u{feff}", "Mal\u{ad}ta", "Mal\u{200d}ta", "\u{2066}Malta"] {
        let (status, body) = add(invisible).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{invisible:?}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("invisible formatting characters"), "{body}");
    }
    assert_eq!(call(&server, Method::GET, "/api/v1/delegations", Some(&sec), Value::Null).await.1, json!(["North Macedonia", "Türkiye"]));
    // An invitation naming it another way names the listed delegation.
    let invited = json!({ "email": "new@example.org", "group": "mednet", "role": "viewer", "delegation": "turkiye" });
    let (status, body) = call(&server, Method::POST, "/api/v1/invitations", Some(&sec), invited).await;
    assert_eq!((status, &body["delegation"]), (StatusCode::CREATED, &json!("Türkiye")), "{body}");
    // Added by two managers at once, lookalikes make one delegation.
    let (a, b) = tokio::join!(add("Česko"), add("CESKO"));
    assert!(a.0.is_success() && b.0.is_success(), "{a:?} {b:?}");
    let list = call(&server, Method::GET, "/api/v1/delegations", Some(&sec), Value::Null).await.1;
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
    // Listed in the order people read names: accents and case aside.
    assert!(add("İceland").await.0.is_success());
    let list = call(&server, Method::GET, "/api/v1/delegations", Some(&sec), Value::Null).await.1;
    let names: Vec<&str> = list.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(names[1..], ["İceland", "North Macedonia", "Türkiye"], "after Česko (or CESKO, whichever came first): {names:?}");
}
