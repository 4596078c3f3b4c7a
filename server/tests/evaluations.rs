//! Evaluations against the real server binary (issue 15, its server half): the Secretariat
//! creates them; participants answer a post-activity questionnaire through its link,
//! anonymously, as JSON and as a plain form (JavaScript off); submissions are checked here
//! (required answers, types, unknown questions, the form version) and a refused one keeps the
//! draft; results count each respondent once and stay hidden under 3 anonymous answers; the
//! CSV (byte-order mark, neutralised formulas, dates only) and the QR code; the mid-term
//! evaluation answered once per delegation; who may do what.

mod support;

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::evaluation::{created, good, questionnaire, Browser};
use support::json::{call, client};
use support::{admin, sign_in, TestServer};

fn setup() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    admin(dir.path(), &["create", "--email", "sec@coe.int"]);
    for delegation in ["Malta", "Norway", "Poland", "Spain"] {
        admin(dir.path(), &["delegation", "add", delegation]);
    }
    let pc = "permanent-correspondents=commenter";
    admin(dir.path(), &["account", "--email", "pc1@example.org", "--name", "PC one", "--delegation", "Malta", "--role", pc]);
    admin(dir.path(), &["account", "--email", "pc2@example.org", "--name", "PC two", "--delegation", "Malta", "--role", pc]);
    admin(dir.path(), &["account", "--email", "pc3@example.org", "--name", "PC three", "--delegation", "Norway", "--role", pc]);
    admin(dir.path(), &["account", "--email", "member@example.org", "--name", "Member", "--delegation", "Poland"]);
    let server = TestServer::start_in(dir.path());
    (dir, server)
}

/// A plain form's `fields` posted to `path` from this site's page, signed in with `cookie`.
async fn post_form(server: &TestServer, path: &str, cookie: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    client().post(server.url(path)).header(COOKIE, cookie).header(ORIGIN, &server.base).form(fields).send().await.unwrap()
}

#[tokio::test]
async fn only_the_secretariat_creates_evaluations_and_bad_ones_are_refused_in_words() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let pc = sign_in(&server, "pc1@example.org").await;
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations", None, questionnaire("x")).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations", Some(&pc), questionnaire("x")).await.0, StatusCode::FORBIDDEN);

    let refused = |change: Value| {
        let mut body = questionnaire("training");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for (change, words) in [
        (json!({ "id": "Bad Id" }), "lowercase letters"),
        (json!({ "title": "  " }), "A title is needed"),
        (json!({ "activity": "no-such-thing" }), "Choose an action or a permanent activity"),
        (json!({ "format": "survey" }), "The format is one of"),
        (json!({ "format": "collective-internal" }), "written as documents"),
        (json!({ "opens": "2020-02-30" }), "yyyy-mm-dd"),
        (json!({ "opens": "2021-01-01", "closes": "2020-12-31" }), "closes before it opens"),
    ] {
        let (status, body) = call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), refused(change.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{change}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(words), "{change}: {body}");
    }
    let link = created(&server, &sec, "training").await;
    assert!(link.starts_with("/answer/") && link.len() == "/answer/".len() + 43, "{link}");
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), questionnaire("training")).await.0, StatusCode::CONFLICT);

    // Listed for the Secretariat; the link shown again is the same; a PC sees no questionnaire.
    let (_, list) = call(&server, Method::GET, "/api/v1/evaluations", Some(&sec), Value::Null).await;
    assert_eq!(list[0]["id"], "training");
    assert_eq!(list[0]["frozen"], false);
    let (_, one) = call(&server, Method::GET, "/api/v1/evaluations/training", Some(&sec), Value::Null).await;
    assert_eq!(one["link"], link.as_str());
    assert_eq!(one["form"]["questions"][0]["id"], "overall");
    assert_eq!(call(&server, Method::GET, "/api/v1/evaluations", Some(&pc), Value::Null).await.1, json!([]));
    assert_eq!(call(&server, Method::GET, "/api/v1/evaluations/training/results", Some(&pc), Value::Null).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn participants_answer_anonymously_once_per_browser_and_refusals_keep_the_draft() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let link = created(&server, &sec, "training").await;
    assert_eq!(call(&server, Method::GET, "/api/v1/answer/not-a-link", None, Value::Null).await.0, StatusCode::NOT_FOUND);

    let (first, form) = Browser::open(&server, &link).await;
    assert_eq!((form["title"].as_str(), form["version"].as_u64(), form["answered"].as_bool()), (Some("Executive Training 2020"), Some(1), Some(false)));

    // Refused, each in words, nothing recorded, the answers kept as the draft.
    let (status, body) = first.submit(&server, &link, json!({ "relevance": { "rating": 4 } })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("“Overall, how would you rate this activity?”: an answer is required"), "{message}");
    assert_eq!(first.reopen(&server, &link).await["draft"], json!({ "relevance": { "rating": 4 } }));
    let (_, body) =
        first.submit(&server, &link, json!({ "overall": { "text": "great" }, "relevance": { "rating": 9 }, "use-in-work": { "yes_no": true } })).await;
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("should be a rating, not a text") && message.contains("between 1 and 5"), "{message}");
    let (_, body) = first
        .submit(&server, &link, json!({ "overall": { "rating": 4 }, "relevance": { "rating": 4 }, "use-in-work": { "yes_no": true }, "age": { "number": 30 } }))
        .await;
    assert!(body["message"].as_str().unwrap().contains("no such question"), "{body}");
    let (status, body) =
        call(&server, Method::POST, &format!("/api/v1{link}"), Some(&first.cookie), json!({ "form_version": 2, "answers": good(4, &[], "") })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["message"].as_str().unwrap().contains("version 2 of this form does not exist"), "{body}");
    let (status, body) = call(&server, Method::POST, &format!("/api/v1{link}"), Some(&first.cookie), json!({ "answers": {} })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/training/results", Some(&sec), Value::Null).await;
    assert_eq!(results["responses"], 0);
    let (_, one) = call(&server, Method::GET, "/api/v1/evaluations/training", Some(&sec), Value::Null).await;
    assert_eq!(one["evaluation"]["frozen"], false, "a refused submission freezes nothing");

    // Accepted; the form is frozen; the draft is gone; the browser answered.
    let (status, body) = first.submit(&server, &link, good(2, &["good-governance"], "less")).await;
    assert_eq!((status, body["outcome"].as_str(), body["revision"].as_u64()), (StatusCode::OK, Some("accepted"), Some(1)), "{body}");
    let again = first.reopen(&server, &link).await;
    assert_eq!((again.get("draft"), again["answered"].as_bool()), (None, Some(true)));
    let (_, one) = call(&server, Method::GET, "/api/v1/evaluations/training", Some(&sec), Value::Null).await;
    assert_eq!(one["evaluation"]["frozen"], true);

    // The same browser answering again revises its answer: still one respondent.
    let (_, body) = first.submit(&server, &link, good(5, &["good-governance", "new-challenges"], "=HYPERLINK(\"http://x\")")).await;
    assert_eq!(body["revision"], 2);
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/training/results", Some(&sec), Value::Null).await;
    assert_eq!((results["responses"].as_u64(), results["shown"].as_bool()), (Some(1), Some(false)));
    let chain = |cookie: String| {
        let server = &server;
        async move { client().get(server.url("/permanent-activities")).header(COOKIE, cookie).send().await.unwrap().text().await.unwrap() }
    };
    assert!(!chain(sec.clone()).await.contains("Latest results"), "the activity's chain shows no figure under 3 anonymous answers");
    assert!(results["note"].as_str().unwrap().contains("from 3 answers"), "{results}");
    assert!(results.get("results").is_none(), "{results}");
    let (status, _) = call(&server, Method::GET, "/api/v1/evaluations/training/answers.csv", Some(&sec), Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no export under 3 anonymous answers");

    // Two more browsers: three respondents, but while the questionnaire is open its figures
    // move 3 submissions at a time (the first browser's two and the second's so far: two
    // respondents, still hidden), so the order of arrival tells nobody who answered what.
    let (second, _) = Browser::open(&server, &link).await;
    assert_eq!(second.submit(&server, &link, good(4, &["new-challenges"], "-more cases")).await.0, StatusCode::OK);
    let (third, _) = Browser::open(&server, &link).await;
    assert_eq!(third.submit(&server, &link, good(4, &[], "")).await.0, StatusCode::OK);
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/training/results", Some(&sec), Value::Null).await;
    let batch = |r: &Value| (r["responses"].as_u64(), r["figures_from"].as_u64(), r["waiting"].as_u64(), r["shown"].as_bool());
    assert_eq!(batch(&results), (Some(3), Some(2), Some(1), Some(false)), "{results}");
    let page = client().get(server.url("/evaluations/training")).header(COOKIE, &sec).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The figures count 2 of them") && page.contains("1 answer received waits for the next ones"), "{page}");
    assert!(page.contains("/live-results.js"), "an open evaluation's page follows new answers");
    // Two more: six submissions, five respondents, all counted; each option of a multiple
    // choice counted on its own.
    let (fourth, _) = Browser::open(&server, &link).await;
    assert_eq!(fourth.submit(&server, &link, good(4, &["new-challenges"], "")).await.0, StatusCode::OK);
    let (fifth, _) = Browser::open(&server, &link).await;
    assert_eq!(fifth.submit(&server, &link, good(1, &[], "+1")).await.0, StatusCode::OK);
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/training/results", Some(&sec), Value::Null).await;
    assert_eq!(batch(&results), (Some(5), Some(5), Some(0), Some(true)), "{results}");
    let questions = results["results"]["questions"].as_array().unwrap();
    let overall = questions.iter().find(|q| q["question"] == "overall").unwrap();
    assert_eq!(overall["summary"]["mean"], json!(3.6), "5, 4, 4, 4 and 1: the first browser's revised answer counts, not its first");
    let priorities = questions.iter().find(|q| q["question"] == "priorities").unwrap();
    let count = |option: &str| priorities["summary"]["options"].as_array().unwrap().iter().find(|o| o["option"] == option).unwrap()["count"].as_u64().unwrap();
    assert_eq!((count("good-governance"), count("new-challenges")), (1, 3));
    // The activity's chain (its permanent activity's page) now shows the latest results in a
    // line: the first rating's mean.
    assert!(chain(sec.clone()).await.contains("Latest results: “Overall, how would you rate this activity?”: 3.6 of 5 (5 answered)."));

    // The CSV: a byte-order mark, the columns, five rows in any order, dates without time,
    // formulas neutralised, no account or key anywhere.
    let response = client().get(server.url("/api/v1/evaluations/training/answers.csv")).header(COOKIE, &sec).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[..3], ["form-version", "submitted", "overall"]);
    assert!(header.contains(&"priorities:good-governance".to_owned()), "{header:?}");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let change = header.iter().position(|h| h == "change").unwrap();
    let changes: Vec<&str> = rows.iter().map(|r| &r[change]).collect();
    assert!(changes.contains(&"'=HYPERLINK(\"http://x\")") && changes.contains(&"'-more cases"), "{changes:?}");
    for row in &rows {
        assert_eq!(row[1].len(), 10, "a date, not a time: {:?}", &row[1]);
    }
    assert!(!text.contains("sec@coe.int") && !text.contains(first.cookie.trim_start_matches("pd_respondent=")));
}

#[tokio::test]
async fn a_browser_cannot_make_up_respondent_keys_to_answer_past_the_limit() {
    use base64::Engine;
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let link = created(&server, &sec, "training").await;
    let made_up = |i: u8| format!("pd_respondent={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([i; 32]));
    // A key of the right shape the server never gave is not taken: the browser gets one of
    // the server's, minted under its address's limit, as a new respondent.
    let response = client().get(server.url(&format!("/api/v1{link}"))).header(COOKIE, made_up(0)).send().await.unwrap();
    let given = response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with("pd_respondent="));
    let given = given.expect("a key of the server's in place of the made-up one").split(';').next().unwrap().to_owned();
    assert_ne!(given, made_up(0));
    // So sending with a new made-up key each time counts against the limit (one key was
    // minted above), and past it the server refuses: it does not count more respondents.
    let mut accepted = 0;
    let mut refused = None;
    for i in 1..=62u8 {
        let (status, body) =
            call(&server, Method::POST, &format!("/api/v1{link}"), Some(&made_up(i)), json!({ "form_version": 1, "answers": good(4, &[], "") })).await;
        match status {
            StatusCode::OK => accepted += 1,
            other => {
                refused = Some((other, body));
                break;
            }
        }
    }
    let (status, body) = refused.expect("a refusal once the address minted its share of keys");
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.to_string().contains("too many new respondents"), "{body}");
    assert_eq!(accepted, 59, "60 keys a minute from one address, one of them given above");
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/training/results", Some(&sec), Value::Null).await;
    assert_eq!(results["responses"], 59);
    // The key the server gave still answers: not a new respondent, so not limited.
    let (status, body) = call(&server, Method::POST, &format!("/api/v1{link}"), Some(&given), json!({ "form_version": 1, "answers": good(5, &[], "") })).await;
    assert_eq!((status, body["revision"].as_u64()), (StatusCode::OK, Some(1)), "{body}");
}

#[tokio::test]
async fn the_secretariat_adjusts_the_questions_until_the_first_answer_and_a_later_change_is_a_new_version() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let link = created(&server, &sec, "training").await;
    let form = |label: &str| {
        json!({ "questions": [
            { "id": "overall", "label": { "en": label }, "required": true, "kind": { "type": "rating", "low_label": { "en": "Poor" }, "high_label": { "en": "Excellent" } } },
            { "id": "again", "label": { "en": "Would you come again?" }, "kind": { "type": "yes_no" } },
        ] })
    };
    let put = |cookie: Option<String>, body: Value| {
        let server = &server;
        async move { call(server, Method::PUT, "/api/v1/evaluations/training/form", cookie.as_deref(), body).await }
    };
    // Only the Secretariat: others do not even see the evaluation.
    assert_eq!(put(None, form("How was it?")).await.0, StatusCode::UNAUTHORIZED);
    let pc = sign_in(&server, "pc1@example.org").await;
    assert_eq!(put(Some(pc), form("How was it?")).await.0, StatusCode::NOT_FOUND);
    // A form that cannot be used is refused in words, and nothing changes.
    let (status, body) = put(Some(sec.clone()), json!({ "questions": [] })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("the form has no questions"), "{body}");
    let twice = json!({ "questions": [form("A")["questions"][1], form("B")["questions"][1]] });
    let (status, body) = put(Some(sec.clone()), twice).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("two questions have the id"), "{body}");
    assert_eq!(put(Some(sec.clone()), json!("not a form")).await.0, StatusCode::BAD_REQUEST);
    let (_, one) = call(&server, Method::GET, "/api/v1/evaluations/training", Some(&sec), Value::Null).await;
    assert!(one["form"]["questions"].as_array().unwrap().len() > 2, "the template's questions are still there: {one}");

    // Before any answer: the same version, changed in place.
    let (status, body) = put(Some(sec.clone()), form("How was it?")).await;
    assert_eq!((status, body["version"].as_u64()), (StatusCode::OK, Some(1)), "{body}");
    let (participant, questionnaire) = Browser::open(&server, &link).await;
    assert_eq!(questionnaire["form"]["questions"][0]["label"]["en"], "How was it?");
    let answer = json!({ "overall": { "rating": 5 }, "again": { "yes_no": true } });
    assert_eq!(participant.submit(&server, &link, answer.clone()).await.0, StatusCode::OK);

    // After the first answer, a change is version 2: an answer to version 1 is refused with
    // its reason (kept as the draft), and results count version 2's answers only.
    let (status, body) = put(Some(sec.clone()), form("Overall, how was it?")).await;
    assert_eq!((status, body["version"].as_u64()), (StatusCode::OK, Some(2)), "{body}");
    let (status, body) = participant.submit(&server, &link, answer.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["message"].as_str().unwrap().contains("written for version 1 of the form, which has changed since"), "{body}");
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/training/results", Some(&sec), Value::Null).await;
    assert_eq!((results["evaluation"]["version"].as_u64(), results["responses"].as_u64()), (Some(2), Some(0)), "{results}");
    let (status, _) = call(&server, Method::POST, &format!("/api/v1{link}"), Some(&participant.cookie), json!({ "form_version": 2, "answers": answer })).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_results_page_lists_the_first_free_texts_and_all_of_one_question_on_request() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let link = created(&server, &sec, "training").await;
    for i in 1..=51 {
        let (browser, _) = Browser::open(&server, &link).await;
        assert_eq!(browser.submit(&server, &link, good(4, &[], &format!("Answer number {i:02}"))).await.0, StatusCode::OK);
    }
    let page = |query: &str| {
        let (server, sec) = (&server, &sec);
        let path = format!("/evaluations/training{query}");
        async move { client().get(server.url(&path)).header(COOKIE, sec).send().await.unwrap().text().await.unwrap() }
    };
    let first = page("").await;
    assert!(first.contains("Answer number 01") && first.contains("Answer number 50"), "the first 50 in order");
    assert!(!first.contains("Answer number 51"), "the 51st is behind the link");
    assert!(first.contains("Show all 51 answers to this question (the first 50, in alphabetical order, are above)"), "{first}");
    assert!(first.contains("href=\"?texts=change#result-change\""));
    let all = page("?texts=change").await;
    assert!(all.contains("Answer number 51") && !all.contains("Show all 51 answers"));
    // Any other value shows the page as usual.
    assert!(!page("?texts=%3Cscript%3E").await.contains("Answer number 51"));
}

#[tokio::test]
async fn answers_arriving_after_the_closing_date_are_kept_counted_and_marked_late() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let closed = json!({ "id": "training-2020", "title": "Executive Training 2020", "activity": "drug-policy-academy",
                         "format": "post-activity-questionnaire", "opens": "2020-01-01", "closes": "2020-12-31" });
    let (status, body) = call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), closed).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let link = body["link"].as_str().unwrap().to_owned();
    for rating in [5, 4, 2] {
        let (browser, _) = Browser::open(&server, &link).await;
        let (status, body) = browser.submit(&server, &link, good(rating, &[], "written offline on the train")).await;
        assert_eq!((status, body["late"].as_bool()), (StatusCode::OK, Some(true)), "{body}");
    }
    let (_, results) = call(&server, Method::GET, "/api/v1/evaluations/training-2020/results", Some(&sec), Value::Null).await;
    assert_eq!((results["responses"].as_u64(), results["late"].as_u64(), results["shown"].as_bool()), (Some(3), Some(3), Some(true)), "{results}");
    let page = client().get(server.url("/evaluations/training-2020")).header(COOKIE, &sec).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("3 of them arrived after the closing date: they are kept and counted, marked late."), "{page}");
}

#[tokio::test]
async fn the_plain_form_answers_without_javascript() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let link = created(&server, &sec, "training").await;
    let (browser, _) = Browser::open(&server, &link).await;
    let post = |fields: Vec<(&'static str, &'static str)>, origin: String| {
        client().post(server.url(&link)).header(COOKIE, browser.cookie.clone()).header(ORIGIN, origin).form(&fields).send()
    };
    // From another site: refused.
    let response = post(vec![("form_version", "1"), ("q-overall", "5")], "https://elsewhere.example".to_owned()).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A rating that is not one: back to the page (in the questions' language), refused, the
    // question named, what could be read kept.
    let response = post(vec![("form_version", "1"), ("lang", "fr"), ("q-overall", "five"), ("q-relevance", "3"), ("q-change", "shorter")], server.base.clone())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), format!("{link}?refused=unreadable&q=overall&lang=fr"));
    assert_eq!(browser.reopen(&server, &link).await["draft"], json!({ "relevance": { "rating": 3 }, "change": { "text": "shorter" } }));
    // Without the form's version, or with a question given twice: refused, said why.
    let response = post(vec![("q-overall", "5"), ("q-relevance", "3")], server.base.clone()).await.unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), format!("{link}?refused=version"));
    let response = post(vec![("form_version", "1"), ("q-overall", "5"), ("q-overall", "1")], server.base.clone()).await.unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), format!("{link}?refused=unreadable&q=overall"));
    let response = post(vec![("form_version", "1"), ("q-overall", "5")], server.base.clone()).await.unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), format!("{link}?refused=answers"), "a required answer missing");
    // Long answers in Arabic script fit (percent-encoded they are six times their letters).
    let long: &'static str = Box::leak("ش".repeat(20_000).into_boxed_str());
    let response =
        post(vec![("form_version", "1"), ("q-overall", "5"), ("q-change", long), ("q-use-how", long), ("q-organisation-problems", long)], server.base.clone())
            .await
            .unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), format!("{link}?refused=answers"));
    assert_eq!(browser.reopen(&server, &link).await["draft"]["change"]["text"].as_str().map(|t| t.chars().count()), Some(20_000));
    // A kept long answer is text in its field, never markup: it cannot close the field and
    // add elements to the page (found in review), and `&amp;` stays as written.
    let breakout = "R&amp;D</textarea><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><textarea>";
    let response = post(vec![("form_version", "1"), ("q-overall", "5"), ("q-change", breakout)], server.base.clone()).await.unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), format!("{link}?refused=answers"));
    let page = client().get(server.url(&link)).header(COOKIE, browser.cookie.clone()).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("<meta http-equiv=\"refresh\""), "the answer broke out of its field");
    assert!(page.contains("R&amp;amp;D&lt;/textarea&gt;&lt;meta http-equiv="), "the answer kept as text");
    // Filled in: sent.
    let response = post(
        vec![
            ("form_version", "1"),
            ("q-overall", "5"),
            ("q-relevance", "3"),
            ("q-priorities", "good-governance"),
            ("q-priorities", "new-challenges"),
            ("q-use-in-work", "yes"),
        ],
        server.base.clone(),
    )
    .await
    .unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), format!("{link}?sent=1"));
    let again = browser.reopen(&server, &link).await;
    assert_eq!((again["answered"].as_bool(), again.get("draft")), (Some(true), None));
}

#[tokio::test]
async fn the_mid_term_evaluation_is_one_answer_per_delegation_and_pcs_read_its_results() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let (pc1, pc2, pc3) = (sign_in(&server, "pc1@example.org").await, sign_in(&server, "pc2@example.org").await, sign_in(&server, "pc3@example.org").await);
    let mut body = questionnaire("mid-term-2021");
    body["format"] = json!("mid-term");
    body["activity"] = json!("mednet");
    let (status, made) = call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), body).await;
    assert_eq!((status, made["link"].clone()), (StatusCode::CREATED, Value::Null), "no participants' link for the mid-term evaluation");
    let answers = |usefulness: u8| {
        json!({ "form_version": 1, "answers": { "usefulness": { "rating": usefulness }, "priority-fit": { "rating": 3 },
        "participated": { "yes_no": false }, "continue": { "choice": "as-planned" } } })
    };
    let path = "/api/v1/evaluations/mid-term-2021/submission";
    assert_eq!(call(&server, Method::POST, path, None, answers(5)).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = call(&server, Method::POST, path, Some(&sec), answers(5)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the Secretariat has no delegation: {body}");
    let member = sign_in(&server, "member@example.org").await;
    let (status, body) = call(&server, Method::POST, path, Some(&member), answers(5)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a delegation without the PC role: {body}");
    assert_eq!(call(&server, Method::GET, "/api/v1/evaluations/mid-term-2021/results", Some(&member), Value::Null).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&server, Method::POST, path, Some(&pc1), answers(2)).await.1["revision"], 1);
    assert_eq!(call(&server, Method::POST, path, Some(&pc2), answers(4)).await.1["revision"], 2, "Malta's second PC revises Malta's answer");
    assert_eq!(call(&server, Method::POST, path, Some(&pc3), answers(5)).await.1["revision"], 1);
    // The page's plain form: Malta's answer revised once more, without JavaScript.
    let page = client().get(server.url("/evaluations/mid-term-2021/answer")).header(COOKIE, &pc2).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("You answer as the delegation of Malta") && page.contains("An answer is recorded for the delegation of Malta"),
        "{}",
        &page[..page.len().min(400)]
    );
    let form = [("form_version", "1"), ("q-usefulness", "5"), ("q-priority-fit", "3"), ("q-participated", "no"), ("q-continue", "as-planned")];
    let response =
        client().post(server.url("/evaluations/mid-term-2021/answer")).header(COOKIE, &pc2).header(ORIGIN, &server.base).form(&form).send().await.unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), "/evaluations/mid-term-2021/answer?sent=1");
    let response =
        client().post(server.url("/evaluations/mid-term-2021/answer")).header(COOKIE, &pc2).header(ORIGIN, &server.base).form(&form[..2]).send().await.unwrap();
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), "/evaluations/mid-term-2021/answer?refused=answers");
    let response =
        client().post(server.url("/evaluations/mid-term-2021/answer")).header(COOKIE, &member).header(ORIGIN, &server.base).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no PC role");
    assert_eq!(client().get(server.url("/evaluations/mid-term-2021/answer")).header(COOKIE, &sec).send().await.unwrap().status(), StatusCode::OK);
    // The form names the account it was rendered for: one written while another account was
    // signed in (kept offline, sent later) is refused and records nothing (Malta stays at 5).
    let named = page.split(r#"name="account" value=""#).nth(1).and_then(|rest| rest.split('"').next()).expect("the form names its account");
    let pc2_id: i64 = named.parse().unwrap();
    let other = (pc2_id + 1000).to_string();
    let mut signed_form = form.to_vec();
    signed_form[1] = ("q-usefulness", "1");
    signed_form.push(("account", &other));
    let response = post_form(&server, "/evaluations/mid-term-2021/answer", &pc2, &signed_form).await;
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), "/evaluations/mid-term-2021/answer?refused=account");
    let refused =
        client().get(server.url("/evaluations/mid-term-2021/answer?refused=account")).header(COOKIE, &pc2).send().await.unwrap().text().await.unwrap();
    assert!(refused.contains("another account was signed in"), "the page says why");
    signed_form.pop();
    signed_form[1] = ("q-usefulness", "5");
    signed_form.push(("account", named));
    let response = post_form(&server, "/evaluations/mid-term-2021/answer", &pc2, &signed_form).await;
    assert_eq!(response.headers()[LOCATION].to_str().unwrap(), "/evaluations/mid-term-2021/answer?sent=1", "its own account's form goes through");
    // PCs read the aggregated results; two delegations answered; Malta counts once, as revised.
    let (status, results) = call(&server, Method::GET, "/api/v1/evaluations/mid-term-2021/results", Some(&pc3), Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(results["responses"], 2);
    let usefulness = &results["results"]["questions"][0];
    assert_eq!(
        (usefulness["question"].as_str(), usefulness["summary"]["mean"].as_f64()),
        (Some("usefulness"), Some(5.0)),
        "Malta's 5 (its last) and Norway's 5"
    );
    // The export and the individual evaluation are the Secretariat's.
    assert_eq!(call(&server, Method::GET, "/api/v1/evaluations/mid-term-2021/answers.csv", Some(&pc1), Value::Null).await.0, StatusCode::FORBIDDEN);
    let mut body = questionnaire("internal-2021");
    body["format"] = json!("individual-internal");
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), body).await.0, StatusCode::CREATED);
    let (status, body) =
        call(&server, Method::POST, "/api/v1/evaluations/internal-2021/submission", Some(&pc1), json!({ "form_version": 1, "answers": {} })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

#[tokio::test]
async fn the_participants_link_is_a_qr_code_for_the_secretariat() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let link = created(&server, &sec, "training").await;
    let response = client().get(server.url("/api/v1/evaluations/training/link.svg")).header(COOKIE, &sec).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "image/svg+xml");
    let svg = response.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.contains("<path"), "{}", &svg[..svg.len().min(200)]);
    assert!(!link.is_empty());
    let pc = sign_in(&server, "pc1@example.org").await;
    assert_eq!(call(&server, Method::GET, "/api/v1/evaluations/training/link.svg", Some(&pc), Value::Null).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn titles_are_text_and_group_material_stays_in_its_group() {
    let (_dir, server) = setup();
    let sec = sign_in(&server, "sec@coe.int").await;
    let mut body = questionnaire("seminar");
    body["title"] = json!("Seminar</title><meta http-equiv=\"refresh\" content=\"0;url=/about\"><b>");
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), body).await.0, StatusCode::CREATED);
    let page = client().get(server.url("/evaluations/seminar")).header(COOKIE, &sec).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("<meta http-equiv=\"refresh\"") && !page.contains("<b>"), "the title must stay text");
    assert!(page.contains("<title>Seminar&lt;/title&gt;&lt;meta"), "{}", &page[..page.len().min(600)]);
    assert_eq!(client().get(server.url("/evaluations/no-such")).header(COOKIE, &sec).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // From another site: refused, even with the Secretariat's cookie.
    let response = client()
        .post(server.url("/api/v1/evaluations"))
        .header(COOKIE, &sec)
        .header(ORIGIN, "https://elsewhere.example")
        .json(&questionnaire("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // The Airports Group's mid-term evaluation: not even its existence reaches PCs outside it.
    let mut body = questionnaire("airports-mid-term");
    body["format"] = json!("mid-term");
    body["activity"] = json!("airports-group");
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), body).await.0, StatusCode::CREATED);
    let pc = sign_in(&server, "pc1@example.org").await;
    let (_, list) = call(&server, Method::GET, "/api/v1/evaluations", Some(&pc), Value::Null).await;
    assert_eq!(list, json!([]));
    assert_eq!(call(&server, Method::GET, "/api/v1/evaluations/airports-mid-term/results", Some(&pc), Value::Null).await.0, StatusCode::NOT_FOUND);
    let answers = json!({ "form_version": 1, "answers": {} });
    assert_eq!(call(&server, Method::POST, "/api/v1/evaluations/airports-mid-term/submission", Some(&pc), answers).await.0, StatusCode::NOT_FOUND);
    let page = client().get(server.url("/evaluations")).header(COOKIE, &pc).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("airports-mid-term"));
    let (_, list) = call(&server, Method::GET, "/api/v1/evaluations", Some(&sec), Value::Null).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2), "the Secretariat sees both");
}
