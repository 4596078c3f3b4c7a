//! Live results against the real server binary (issue 15): `GET /evaluations/{id}/live`
//! tells a results reader of each answer recorded to that evaluation (and of nothing else),
//! refuses those who may not read the results, and ends when the server stops, so a graceful
//! stop does not wait for the pages that follow.

mod support;

use reqwest::header::{CONTENT_TYPE, COOKIE};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use support::evaluation::{created, good, secretariat_and_pc, Browser};
use support::json::client;

/// Long enough for a notice on loopback, short enough to keep the test quick when none comes.
const QUIET: Duration = Duration::from_millis(400);
/// The most a notice that must come may take before the test fails.
const BOUND: Duration = Duration::from_secs(10);

/// What the stream says within `within`: its text, empty when it said nothing (the keep-alive
/// comments come every 15 s, longer than any wait here).
async fn said(events: &mut reqwest::Response, within: Duration) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + within;
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, events.chunk()).await {
        text.push_str(&String::from_utf8_lossy(&chunk));
        if text.ends_with("\n\n") {
            break;
        }
    }
    text
}

#[tokio::test]
async fn a_results_reader_hears_of_each_recorded_answer_only_and_the_server_still_stops() {
    let (_dir, server, sec, pc) = secretariat_and_pc().await;
    let link = created(&server, &sec, "training").await;
    let other = created(&server, &sec, "seminar").await;
    let follow = |cookie: Option<&str>, id: &str| {
        let request = client().get(server.url(&format!("/evaluations/{id}/live")));
        match cookie {
            Some(cookie) => request.header(COOKIE, cookie.to_owned()),
            None => request,
        }
        .send()
    };

    // Those who may not read the results may not follow them either.
    assert_eq!(follow(None, "training").await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(follow(Some(&pc), "training").await.unwrap().status(), StatusCode::NOT_FOUND, "a PC reads no questionnaire's results");
    assert_eq!(follow(Some(&sec), "no-such-evaluation").await.unwrap().status(), StatusCode::NOT_FOUND);

    let mut events = follow(Some(&sec), "training").await.unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    assert_eq!(events.headers()[CONTENT_TYPE], "text/event-stream");

    // A refused submission records nothing, and another evaluation's answer is not this one's.
    let (participant, _) = Browser::open(&server, &link).await;
    assert_eq!(participant.submit(&server, &link, json!({ "relevance": { "rating": 4 } })).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (elsewhere, _) = Browser::open(&server, &other).await;
    assert_eq!(elsewhere.submit(&server, &other, good(3, &[], "")).await.0, StatusCode::OK);
    assert_eq!(said(&mut events, QUIET).await, "", "nothing was recorded to this evaluation");

    // Each recorded answer is told, a revision too (it changes the figures).
    assert_eq!(participant.submit(&server, &link, good(5, &[], "")).await.0, StatusCode::OK);
    assert_eq!(said(&mut events, BOUND).await, "event: answers\ndata: recorded\n\n");
    assert_eq!(participant.submit(&server, &link, good(4, &[], "")).await.0, StatusCode::OK);
    assert_eq!(said(&mut events, BOUND).await, "event: answers\ndata: recorded\n\n");

    // A page still following does not hold the server's graceful stop.
    assert!(server.terminate(), "the server stopped gracefully while a page followed");
    assert_eq!(said(&mut events, BOUND).await, "", "the stream ended with the server");
}
