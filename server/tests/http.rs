//! Integration tests: the real server binary, over HTTP. Pages, JSON API, errors, headers,
//! and restarts on the same data directory.

mod support;

use reqwest::StatusCode;
use serde_json::Value;
use support::TestServer;

const OUTPUT_KEYS: [&str; 8] = ["policy_paper", "statement", "guidelines", "open_debate", "training", "manual_tool", "expert_report", "other"];
const FORMAT_KEYS: [&str; 7] =
    ["pc_working_party", "expert_group", "drug_policy_academy", "pc_meeting_symposium", "seminars_symposium", "cooperation_network", "see_coop"];

fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

async fn get_json(server: &TestServer, path: &str) -> (StatusCode, Value) {
    let res = client().get(server.url(path)).send().await.unwrap();
    let status = res.status();
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/json"), "{path}: {content_type}");
    (status, res.json().await.unwrap())
}

async fn get_text(server: &TestServer, path: &str) -> (StatusCode, String) {
    let res = client().get(server.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn programme_api_has_the_documented_shape() {
    let server = TestServer::start();
    let (status, p) = get_json(&server, "/api/v1/programme").await;
    assert_eq!(status, StatusCode::OK);

    let priorities = p["priorities"].as_array().unwrap();
    assert_eq!(priorities.len(), 3);
    let mut ids = std::collections::HashSet::new();
    let mut actions = 0;
    for priority in priorities {
        assert!(priority["id"].is_string() && priority["title"].is_string());
        assert!(!priority["items"].as_array().unwrap().is_empty());
        for action in priority["actions"].as_array().unwrap() {
            actions += 1;
            let id = action["id"].as_str().unwrap();
            assert!(ids.insert(id.to_owned()), "duplicate {id}");
            assert!(action["title"].is_string());
            let level = action["level"].as_u64().unwrap();
            match level {
                1 => assert!(action["parent"].is_null(), "{id}"),
                2 => assert!(ids.contains(action["parent"].as_str().unwrap()), "{id}"),
                _ => panic!("{id}: level {level}"),
            }
            assert!(FORMAT_KEYS.contains(&action["format"].as_str().unwrap()), "{id}");
            let outputs = action["outputs"].as_array().unwrap();
            assert!(!outputs.is_empty(), "{id}");
            for o in outputs {
                assert!(OUTPUT_KEYS.contains(&o.as_str().unwrap()), "{id}: {o}");
            }
        }
    }
    assert_eq!(actions, 26);

    let activities = p["permanent_activities"].as_array().unwrap();
    assert_eq!(activities.len(), 7);
    for a in activities {
        assert!(a["id"].is_string() && a["name"].is_string() && a["aims"].is_string());
        assert!(!a["expected_results"].as_array().unwrap().is_empty());
    }
    let wm = &p["working_methods"];
    assert_eq!(wm["criteria"].as_array().unwrap().len(), 7);
    assert_eq!(wm["terms_of_reference"]["considerations"].as_array().unwrap().len(), 3);
    assert_eq!(wm["evaluation"]["process"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn one_action_and_api_errors() {
    let server = TestServer::start();
    let (status, a) = get_json(&server, "/api/v1/actions/screening-tools").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a["title"], "Tools for screening risk and addictive behaviour");
    assert_eq!(a["level"], 2);
    assert_eq!(a["parent"], "refugees-migrants");
    assert_eq!(a["priority"], "new-challenges");
    assert_eq!(a["format"], "expert_group");
    assert_eq!(a["outputs"], serde_json::json!(["training"]));

    let (status, e) = get_json(&server, "/api/v1/actions/no-such-action").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(e["error"]["status"], 404);
    assert!(e["error"]["message"].as_str().unwrap().contains("no-such-action"));

    for odd in ["/api/v1/actions/NPS", "/api/v1/actions/%3Cscript%3E", "/api/v1/actions/a%00b", "/api/v1/actions/%F0%9F%92%A5"] {
        let (status, e) = get_json(&server, odd).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{odd}");
        assert!(e["error"]["message"].is_string());
    }
    let long_id = format!("/api/v1/actions/{}", "a".repeat(65));
    assert_eq!(get_json(&server, &long_id).await.0, StatusCode::BAD_REQUEST);

    let (status, _) = get_json(&server, "/api/v2/whatever").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let huge = format!("/api/v1/actions/{}", "x".repeat(20_000));
    let (status, e) = get_json(&server, &huge).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert!(e["error"]["message"].is_string());
    let huge_query = format!("/matrix?format={}", "y".repeat(20_000));
    assert_eq!(get_text(&server, &huge_query).await.0, StatusCode::URI_TOO_LONG);

    let big_body = client().post(server.url("/_app/programme")).body(vec![b'a'; 1024 * 1024]).send().await.unwrap();
    assert_eq!(big_body.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let (status, hits) = get_json(&server, "/api/v1/search?q=airports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(hits.as_array().unwrap().iter().any(|h| h["id"] == "airports-group"));

    // The server is still fine after all that.
    let (status, _) = get_json(&server, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn every_page_renders_with_its_title() {
    let server = TestServer::start();
    let (_, p) = get_json(&server, "/api/v1/programme").await;
    let mut pages = vec![
        ("/".to_owned(), "Pompidou Group Work Programme 2019–2022".to_owned()),
        ("/about".into(), "About the programme".into()),
        ("/matrix".into(), "Actions and expected outputs".into()),
        ("/permanent-activities".into(), "Permanent activities".into()),
        ("/working-methods".into(), "Working methods".into()),
        ("/search?q=drug".into(), "Search".into()),
    ];
    for priority in p["priorities"].as_array().unwrap() {
        pages.push((format!("/priorities/{}", priority["id"].as_str().unwrap()), priority["title"].as_str().unwrap().to_owned()));
        for action in priority["actions"].as_array().unwrap() {
            pages.push((format!("/actions/{}", action["id"].as_str().unwrap()), action["title"].as_str().unwrap().replace('&', "&amp;")));
        }
    }
    assert_eq!(pages.len(), 6 + 3 + 26);
    for (path, title) in pages {
        let (status, html) = get_text(&server, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let h1 = html.split("<h1").nth(1).unwrap_or_else(|| panic!("{path}: no <h1>"));
        assert!(h1.contains(&title), "{path}: <h1> does not contain {title:?}");
        assert!(html.contains("<title>"), "{path}: no <title>");
    }
}

#[tokio::test]
async fn the_pages_carry_the_whole_text() {
    let server = TestServer::start();
    let (_, about) = get_text(&server, "/about").await;
    assert!(about.contains("Effective and efficient use of available resources"));
    assert!(about.contains("<em>Better overview</em> and understanding of drug policy approaches;"));
    let (_, pa) = get_text(&server, "/permanent-activities").await;
    assert!(pa.contains("harmonised multidisciplinary strategies for drug-detection at European airports"));
    assert!(pa.contains("Socio-sanitary health care of addictive behaviours, risk and harm reduction"));
    let (_, wm) = get_text(&server, "/working-methods").await;
    assert!(wm.contains("Proposal to be supported by at least five other delegations"));
    assert!(wm.contains("Mid-term evaluation (Permanent Correspondents)"));
    assert!(wm.contains("then be mainly devoted to managerial issues"));
}

#[tokio::test]
async fn matrix_filters_by_format_and_output_from_the_url() {
    let server = TestServer::start();
    let rows = |html: &str| html.matches("<tr class=\"action").count();
    let (_, all) = get_text(&server, "/matrix").await;
    assert_eq!(rows(&all), 26);
    let (_, experts) = get_text(&server, "/matrix?format=expert_group").await;
    assert_eq!(rows(&experts), 10);
    assert!(experts.contains("Showing 10 of 26 actions."));
    let (_, both) = get_text(&server, "/matrix?format=expert_group&output=training").await;
    assert_eq!(rows(&both), 1);
    assert!(both.contains("/actions/screening-tools"));
    let (status, unknown) = get_text(&server, "/matrix?format=%3Cb%3Ebold%3C%2Fb%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&unknown), 26);
    assert!(unknown.contains("Unknown format"));
    assert!(!unknown.contains("<b>bold</b>"), "query text must be escaped");
}

#[tokio::test]
async fn unknown_pages_and_ids_are_real_404s() {
    let server = TestServer::start();
    for path in ["/no/such/page", "/actions/no-such-action", "/priorities/nope", "/actions/%E2%80%AE%3Cx%3E"] {
        let (status, html) = get_text(&server, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Not found"), "{path}");
    }
}

#[tokio::test]
async fn user_text_is_rendered_as_text() {
    let server = TestServer::start();
    let (status, html) = get_text(&server, "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<img src=x"), "raw HTML from the query reached the page");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[tokio::test]
async fn compression_health_and_cache_headers() {
    let server = TestServer::start();
    // A client that does not decode, so the encoding header stays visible.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let res = raw.get(server.url("/api/v1/programme")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let res = raw.get(server.url("/matrix")).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["cache-control"], "no-cache");

    let res = client().get(server.url("/favicon.svg")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");

    let (status, health) = get_json(&server, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
}

#[tokio::test]
async fn restart_keeps_one_copy_of_the_programme_and_sigterm_is_graceful() {
    let data = tempfile::tempdir().unwrap();
    let first = TestServer::start_in(data.path());
    let (_, before) = get_json(&first, "/api/v1/programme").await;
    assert!(first.terminate(), "SIGTERM did not stop the server cleanly");

    let second = TestServer::start_in(data.path());
    let (_, after) = get_json(&second, "/api/v1/programme").await;
    assert_eq!(before, after);
    let count = |p: &Value| p["priorities"].as_array().unwrap().iter().map(|p| p["actions"].as_array().unwrap().len()).sum::<usize>();
    assert_eq!(count(&after), 26);
    assert!(second.terminate());
}

#[test]
fn help_explains_every_flag() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server")).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in ["--addr", "--data-dir", "--site-root", "--log-level", "PD_ADDR", "PD_DATA_DIR"] {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_server")).args(["--addr", "not-an-address"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--addr"));
}

/// A small deterministic generator (xorshift), so the fuzz below needs no extra crate and
/// every run sends the same requests.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[tokio::test]
async fn odd_paths_and_queries_never_get_a_server_error() {
    let server = TestServer::start();
    let mut rng = XorShift(0x5eed_1234_abcd_9876);
    let prefixes = ["/", "/actions/", "/priorities/", "/matrix?format=", "/matrix?output=", "/search?q=", "/api/v1/actions/", "/api/v1/search?q=", "/_app/"];
    // Percent-encoded bytes of every kind, plus characters that mean something in URLs.
    let pieces = [
        "%00",
        "%FF",
        "%C3%A9",
        "%E2%80%AE",
        "%F0%9F%92%A5",
        "%2F",
        "%3C",
        "%3E",
        "%22",
        "%27",
        "..",
        "//",
        "a",
        "Z",
        "9",
        "-",
        "~",
        "%25",
        "%20",
        "+",
        "&",
        "=",
        "?",
        "#x",
    ];
    let client = client();
    for _ in 0..300 {
        let mut path = prefixes[rng.below(prefixes.len())].to_owned();
        for _ in 0..rng.below(40) {
            path.push_str(pieces[rng.below(pieces.len())]);
        }
        let res = client.get(server.url(&path)).send().await.unwrap();
        assert!(res.status().as_u16() < 500, "{path} -> {}", res.status());
    }
    let (status, _) = get_json(&server, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_whose_nonce_every_script_has() {
    // Open access, so that a ToR page renders for an anonymous client.
    let server = TestServer::start_open();
    let mut nonces = Vec::new();
    for path in ["/", "/matrix", "/tor/nps", "/sign-in", "/offline"] {
        let res = client().get(server.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let headers = res.headers().clone();
        let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
        for part in ["script-src 'nonce-", "'strict-dynamic'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"] {
            assert!(policy.contains(part), "{path}: {policy}");
        }
        assert!(!policy.contains("'unsafe-inline' 'unsafe-eval'") && !policy.contains("script-src 'self' 'unsafe-inline'"));
        let nonce = policy.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_owned();
        let html = res.text().await.unwrap();
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path}");
        for tag in html.split("<script").skip(1) {
            let open_tag = tag.split('>').next().unwrap();
            assert!(open_tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: a script without the nonce: <script{open_tag}>");
        }
        assert_eq!(headers["referrer-policy"], "same-origin");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 5, "a new nonce for every response");
}
