//! The question editor against the real server binary (issue 15): the Secretariat adjusts an
//! evaluation's questions on `/evaluations/{id}/questions`, a plain form. Steps (add, remove,
//! move up) and refused saves come back with what was posted and store nothing; a save
//! replaces the current version until its first answer and makes a new one after; a save over
//! someone else's newer questions is refused, theirs kept; others may not open or post it.

mod support;

use desk_core::evaluation::{Form, FormFields};
use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::evaluation::{created, good, secretariat_and_pc, Browser};
use support::json::{call, client};
use support::TestServer;
use support::{admin, sign_in};

const PAGE: &str = "/evaluations/training/questions";

/// The evaluation's questions as stored, and its current version.
async fn stored(server: &TestServer, sec: &str) -> (Form, u64) {
    let (_, one) = call(server, Method::GET, "/api/v1/evaluations/training", Some(sec), Value::Null).await;
    (serde_json::from_value(one["form"].clone()).unwrap(), one["version"].as_u64().unwrap())
}

/// The value of the page's hidden `base` field.
fn base_in(page: &str) -> String {
    let at = page.find("name=\"base\" value=\"").expect("a base field") + "name=\"base\" value=\"".len();
    page[at..].split('"').next().unwrap().to_owned()
}

/// Posts the editor's form: `fields`, `base` and the button `step`.
async fn post(server: &TestServer, cookie: &str, fields: &FormFields, base: &str, step: &str) -> (StatusCode, String, Option<String>) {
    let mut form = fields.browser_post();
    form.push(("base".into(), base.into()));
    form.push(("step".into(), step.into()));
    let response = client().post(server.url(PAGE)).header(COOKIE, cookie).header(ORIGIN, &server.base).form(&form).send().await.unwrap();
    let location = response.headers().get(LOCATION).map(|l| l.to_str().unwrap().to_owned());
    (response.status(), response.text().await.unwrap(), location)
}

async fn page(server: &TestServer, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = client().get(server.url(PAGE));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_secretariat_adjusts_questions_on_a_plain_form_and_nothing_typed_is_lost() {
    let (_dir, server, sec, pc) = secretariat_and_pc().await;
    let link = created(&server, &sec, "training").await;
    let (form, version) = stored(&server, &sec).await;
    assert_eq!(version, 1);

    // Only the Secretariat opens it or posts it; a post from another site is refused.
    let (status, body) = page(&server, Some(&pc)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("e0.label-en"));
    let (status, opened) = page(&server, Some(&sec)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(opened.contains("Questions of “Executive Training 2020”"), "{opened}");
    assert!(opened.contains("Version 1 has no answers yet"));
    assert!(opened.contains(&format!("value=\"{}\"", form.questions[0].label.en.replace('"', "&quot;"))), "the first question's words are in the form");
    let base = base_in(&opened);
    let fields = FormFields::of(&form);
    assert_eq!(post(&server, &pc, &fields, &base, "save").await.0, StatusCode::NOT_FOUND);
    let foreign =
        client().post(server.url(PAGE)).header(COOKIE, &sec).header(ORIGIN, "http://elsewhere.example").form(&[("step", "save")]).send().await.unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let signed_out = client().post(server.url(PAGE)).header(ORIGIN, &server.base).form(&[("step", "save")]).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);

    // A step comes back with the change and what was typed, and stores nothing.
    let mut typed = fields.clone();
    typed.questions[0].label[0] = "How was it, overall?".into();
    let (status, body, _) = post(&server, &sec, &typed, &base, "add").await;
    assert_eq!(status, StatusCode::OK);
    let n = form.questions.len();
    assert!(body.contains(&format!("Question {} added at the end, not saved yet.", n + 1)), "{body}");
    assert!(body.contains(&format!("name=\"e{n}.label-en\"")));
    assert!(body.contains("value=\"How was it, overall?\""));
    let (status, body, _) = post(&server, &sec, &typed, &base, "up-1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Question 2 moved up to 1, not saved yet."));
    assert_eq!(stored(&server, &sec).await.0, form);

    // A refused save says why, keeps what was typed (422), and stores nothing.
    let mut bad = typed.clone();
    bad.questions.push(desk_core::evaluation::QuestionFields {
        kind: "number".into(),
        label: ["Days".into(), "".into(), "".into()],
        min: "three".into(),
        ..Default::default()
    });
    let (status, body, _) = post(&server, &sec, &bad, &base, "save").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(&format!("Question {} (“Days”): the minimum must be a number, not “three”", n + 1)), "{body}");
    assert!(body.contains("value=\"three\"") && body.contains("value=\"How was it, overall?\""));
    assert_eq!(stored(&server, &sec).await.0, form);

    // Saved: the same version (no answer yet), the change in it.
    let (status, _, location) = post(&server, &sec, &typed, &base, "save").await;
    assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/evaluations/training/questions?saved=1#saved")));
    let (now, version) = stored(&server, &sec).await;
    assert_eq!((now.questions[0].label.en.as_str(), version), ("How was it, overall?", 1));

    // Another save from the page opened before that one is refused, theirs kept; saving
    // again from the page it came back with replaces them knowingly.
    let mut other = fields.clone();
    other.questions[0].label[0] = "Overall?".into();
    let (status, body, _) = post(&server, &sec, &other, &base, "save").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Someone else saved these questions while you were editing them"), "{body}");
    assert!(body.contains("value=\"Overall?\""));
    assert_eq!(stored(&server, &sec).await.0.questions[0].label.en, "How was it, overall?");
    let (status, _, _) = post(&server, &sec, &other, &base_in(&body), "save").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(stored(&server, &sec).await.0.questions[0].label.en, "Overall?");

    // After the first answer a save makes version 2; the page said it would.
    let (participant, _) = Browser::open(&server, &link).await;
    assert_eq!(participant.submit(&server, &link, good(5, &[], "")).await.0, StatusCode::OK);
    let (_, opened) = page(&server, Some(&sec)).await;
    assert!(opened.contains("Version 1 has answers") && opened.contains("Saving makes version 2"), "{opened}");
    let mut unchanged = FormFields::of(&stored(&server, &sec).await.0);
    let (status, _, location) = post(&server, &sec, &unchanged, &base_in(&opened), "save").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/evaluations/training/questions?saved=1#saved")),
        "the same questions: no new version"
    );
    unchanged.questions[0].label[1] = "Dans l'ensemble ?".into();
    let (status, _, location) = post(&server, &sec, &unchanged, &base_in(&opened), "save").await;
    assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/evaluations/training/questions?saved=2#saved")));
    let (now, version) = stored(&server, &sec).await;
    assert_eq!((now.questions[0].label.fr.as_deref(), version), (Some("Dans l'ensemble ?"), 2));
    let saved = client().get(server.url(&format!("{PAGE}?saved=2"))).header(COOKIE, &sec).send().await.unwrap();
    assert!(saved.text().await.unwrap().contains("Saved: the questions are version 2."));
}

#[tokio::test]
async fn the_secretariats_managers_edit_the_templates_new_evaluations_start_from() {
    let (dir, server, sec, pc) = secretariat_and_pc().await;
    admin(dir.path(), &["account", "--email", "officer@coe.int", "--name", "Officer", "--role", "secretariat=editor"]);
    let officer = sign_in(&server, "officer@coe.int").await;
    const TEMPLATE: &str = "/templates/post-activity-questionnaire";
    let at = &server;
    let open = |cookie: String, path: &'static str| async move {
        let response = client().get(at.url(path)).header(COOKIE, cookie).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    };

    // Only the Secretariat's managers, only formats answered as questions.
    for (cookie, path) in [(&pc, TEMPLATE), (&officer, TEMPLATE), (&sec, "/templates/collective-internal"), (&sec, "/templates/survey")] {
        let (status, body) = open(cookie.clone(), path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.contains("the Secretariat's managers edit the templates"), "{path}");
    }
    let (_, list) = open(officer.clone(), "/evaluations").await;
    assert!(!list.contains("href=\"/templates/"), "an officer who is no manager is not offered the templates");
    let (_, list) = open(sec.clone(), "/evaluations").await;
    assert!(list.contains("href=\"/templates/mid-term\""), "{list}");
    let (status, opened) = open(sec.clone(), TEMPLATE).await;
    assert_eq!(status, StatusCode::OK);
    assert!(opened.contains("Version 1 of this template has not been used for an evaluation yet"), "{opened}");

    // Saved before any use: in place; the next evaluation starts from it.
    let template: Form = desk_core::evaluation::template(desk_core::evaluation::Format::PostActivityQuestionnaire).form().cloned().unwrap();
    let mut changed = FormFields::of(&template);
    changed.questions[0].label[0] = "Was the seminar worth your time?".into();
    let form = |fields: &FormFields, base: &str, step: &str| {
        let mut form = fields.browser_post();
        form.extend([("base".to_owned(), base.to_owned()), ("step".to_owned(), step.to_owned())]);
        form
    };
    let posted =
        |cookie: String, form: Vec<(String, String)>| client().post(at.url(TEMPLATE)).header(COOKIE, cookie).header(ORIGIN, &at.base).form(&form).send();
    let refused = posted(officer.clone(), form(&changed, &base_in(&opened), "save")).await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let saved = posted(sec.clone(), form(&changed, &base_in(&opened), "save")).await.unwrap();
    assert_eq!(saved.headers().get(LOCATION).unwrap(), "/templates/post-activity-questionnaire?saved=1#saved");
    created(&server, &sec, "training").await;
    assert_eq!(stored(&server, &sec).await.0.questions[0].label.en, "Was the seminar worth your time?");

    // Used: a change is the next version; the evaluation made before keeps its questions.
    let (_, opened) = open(sec.clone(), TEMPLATE).await;
    assert!(opened.contains("Version 1 of this template was used for an evaluation"), "{opened}");
    changed.questions[0].label[0] = "All in all, was it worth it?".into();
    let saved = posted(sec.clone(), form(&changed, &base_in(&opened), "save")).await.unwrap();
    assert_eq!(saved.headers().get(LOCATION).unwrap(), "/templates/post-activity-questionnaire?saved=2#saved");
    assert_eq!(stored(&server, &sec).await.0.questions[0].label.en, "Was the seminar worth your time?");
    let (status, body) = call(&server, Method::POST, "/api/v1/evaluations", Some(&sec), {
        let mut second = support::evaluation::questionnaire("seminar");
        second["title"] = "Seminar 2021".into();
        second
    })
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, second) = call(&server, Method::GET, "/api/v1/evaluations/seminar", Some(&sec), Value::Null).await;
    assert_eq!(second["form"]["questions"][0]["label"]["en"], "All in all, was it worth it?");
}
