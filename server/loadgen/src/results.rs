//! `loadgen results`: how long an evaluation's results take to render and to export (issue 15's
//! benchmark: 1,000 answers × 30 questions, the results page rendered on the server ≤ 50 ms, the
//! CSV ≤ 100 ms, median of 20 requests from storage with a warm cache).
//!
//! It starts the release server with the demo accounts, creates a post-activity questionnaire
//! as the Secretariat, gives it a form of `--questions` questions of every kind
//! (`PUT /api/v1/evaluations/{id}/form`), and has `--respondents` browsers answer it through its
//! participants' link, as participants do (each gets its respondent key from the server; the
//! browsers come from several loopback addresses, 127.0.0.2 and up, 50 to an address, so the
//! server's limit on new respondents per address is met as a seminar room's would be). Then it
//! times `--requests` GETs of the results page (`/evaluations/{id}`; also with every free text of
//! one question, `?texts=q8`) and of the CSV, after two
//! of each to warm the cache, measured from the request sent to the last byte received.
//!
//! While the questionnaire is open its figures count whole batches of 3 submissions, so with
//! 1,000 answers the figures and the CSV count 999 (README, "Live results, in batches").

use crate::target;
use anyhow::{bail, ensure, Context};
use desk_core::evaluation::{AnswerValue, Answers, Choice, Form, FormVersion, Localized, Question, QuestionKind, Submission};
use desk_harness::{Launch, ServerProcess};
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Instant;

/// The demo's Secretariat manager (`server --demo`, README's demo accounts).
const SECRETARIAT: (&str, &str) = ("secretariat@demo.example", "pompidou demo password");
const EVALUATION: &str = "results-benchmark";
/// Respondents per loopback address (the server mints 60 new keys an address a minute).
const PER_ADDRESS: usize = 50;
/// Submissions sent at once.
const CONCURRENCY: usize = 8;

#[derive(Debug, Clone, clap::Args)]
pub struct ResultsArgs {
    /// The server binary to start (default: `server` beside this binary, else target/release/server).
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// The site root the server serves (the built pages' assets).
    #[arg(long, default_value = "target/site")]
    pub site_root: PathBuf,
    #[arg(long, default_value_t = 1000)]
    pub respondents: usize,
    /// Questions in the form (at least 8: one of each kind), at most 200.
    #[arg(long, default_value_t = 30)]
    pub questions: usize,
    /// Timed requests of each kind.
    #[arg(long, default_value_t = 20)]
    pub requests: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One kind of request's times, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Timed {
    pub requests: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// The response's size, uncompressed.
    pub bytes: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultsReport {
    pub respondents: usize,
    pub questions: usize,
    /// Respondents the figures count (whole batches of 3 while the questionnaire is open).
    pub counted: u64,
    /// Seconds the respondents took to answer, all told.
    pub answering_s: f64,
    pub page: Timed,
    /// The results page listing every free text of one long-text question (`?texts=q8`).
    pub page_all_texts: Timed,
    pub csv: Timed,
}

pub async fn run(args: ResultsArgs) -> anyhow::Result<ResultsReport> {
    ensure!((8..=200).contains(&args.questions), "--questions must be 8 to 200");
    ensure!(args.respondents >= 3 && args.requests >= 1, "--respondents must be at least 3 and --requests at least 1");
    let bin = args.server_bin.clone().unwrap_or_else(target::default_server_bin);
    let launch = Launch::new(&bin).log_level("warn,server=info").flags(&["--demo"]).site_root(&args.site_root);
    let server = tokio::task::spawn_blocking(move || launch.start()).await?.with_context(|| format!("starting {}", bin.display()))?;
    let secretariat = sign_in(&server).await?;
    let link = create(&server, &secretariat).await?;
    let form = form(args.questions);
    let edited =
        send(&server, reqwest::Client::new().put(server.url(&format!("/api/v1/evaluations/{EVALUATION}/form"))), Some(&secretariat)).json(&form).send().await?;
    ensure!(edited.status().is_success(), "the form was refused: {}", edited.text().await?);

    let started = Instant::now();
    answer_all(&server, &link, &form, args.respondents).await?;
    let answering_s = started.elapsed().as_secs_f64();
    let results: serde_json::Value =
        send(&server, reqwest::Client::new().get(server.url(&format!("/api/v1/evaluations/{EVALUATION}/results"))), Some(&secretariat))
            .send()
            .await?
            .json()
            .await?;
    let counted = results["figures_from"].as_u64().context("the results name the respondents counted")?;
    ensure!(
        results["responses"].as_u64() == Some(args.respondents as u64),
        "the server counted {} respondents, not {}",
        results["responses"],
        args.respondents
    );

    let page = timed(&server, &format!("/evaluations/{EVALUATION}"), &secretariat, args.requests).await?;
    let page_all_texts = timed(&server, &format!("/evaluations/{EVALUATION}?texts=q8"), &secretariat, args.requests).await?;
    let csv = timed(&server, &format!("/api/v1/evaluations/{EVALUATION}/answers.csv"), &secretariat, args.requests).await?;
    Ok(ResultsReport { respondents: args.respondents, questions: args.questions, counted, answering_s, page, page_all_texts, csv })
}

pub fn print(r: &ResultsReport) {
    println!("results of {} respondents × {} questions ({} counted in the figures), answered in {:.1} s", r.respondents, r.questions, r.counted, r.answering_s);
    for (what, t) in [("results page", &r.page), ("… ?texts=q8", &r.page_all_texts), ("CSV export", &r.csv)] {
        println!("  {what:<13} median {:.2} ms, min {:.2}, max {:.2} over {} requests ({} bytes)", t.median_ms, t.min_ms, t.max_ms, t.requests, t.bytes);
    }
}

/// A request as this site's own page makes it: its origin, and the cookie if any.
fn send(server: &ServerProcess, request: reqwest::RequestBuilder, cookie: Option<&str>) -> reqwest::RequestBuilder {
    let request = request.header(ORIGIN, server.url("").trim_end_matches('/'));
    match cookie {
        Some(cookie) => request.header(COOKIE, cookie),
        None => request,
    }
}

/// The `name=value` of the first `Set-Cookie` named `name`.
fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    let found = response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find(|c| c.starts_with(&prefix))?;
    found.split(';').next().map(str::to_owned)
}

async fn sign_in(server: &ServerProcess) -> anyhow::Result<String> {
    let (email, password) = SECRETARIAT;
    let response = reqwest::Client::new().post(server.url("/api/v1/session")).json(&serde_json::json!({ "email": email, "password": password })).send().await?;
    ensure!(response.status().is_success(), "signing in as {email}: {}", response.status());
    cookie(&response, "pd_session").context("no session cookie")
}

/// Creates the questionnaire (open from 2020 to 2099, for the demo's Drug Policy Academy);
/// its participants' link, a path.
async fn create(server: &ServerProcess, secretariat: &str) -> anyhow::Result<String> {
    let new = serde_json::json!({ "id": EVALUATION, "title": "Results benchmark", "activity": "drug-policy-academy",
        "format": "post-activity-questionnaire", "opens": "2020-01-01", "closes": "2099-12-31" });
    let response = send(server, reqwest::Client::new().post(server.url("/api/v1/evaluations")), Some(secretariat)).json(&new).send().await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await?;
    ensure!(status.is_success(), "creating the evaluation: {status} {body}");
    body["link"].as_str().map(str::to_owned).context("a questionnaire has a participants' link")
}

fn words(text: &str) -> Localized {
    Localized { en: text.to_owned(), fr: None, ar: None }
}

fn options(count: usize) -> Vec<Choice> {
    (1..=count).map(|i| Choice { id: format!("option-{i}"), label: words(&format!("Option {i}")) }).collect()
}

/// `count` questions, the kinds taken in turn: rating, single choice, multiple choice,
/// yes/no, number, date, short text, long text.
fn form(count: usize) -> Form {
    let questions = (0..count)
        .map(|i| {
            let kind = match i % 8 {
                0 => QuestionKind::Rating { low_label: words("Poor"), high_label: words("Excellent") },
                1 => QuestionKind::SingleChoice { options: options(4) },
                2 => QuestionKind::MultipleChoice { options: options(6), max: None },
                3 => QuestionKind::YesNo,
                4 => QuestionKind::Number { min: Some(0.0), max: Some(1000.0), integer: true },
                5 => QuestionKind::Date,
                6 => QuestionKind::ShortText { max_chars: 500 },
                _ => QuestionKind::LongText { max_chars: 20_000 },
            };
            Question { id: format!("q{}", i + 1), label: words(&format!("Question {}", i + 1)), help: None, required: false, show_when: None, kind }
        })
        .collect();
    Form { questions }
}

/// Respondent `n`'s answers to every question, varied by `n`.
fn answers(form: &Form, n: usize) -> Answers {
    let mut answers = Answers::default();
    let mut rng = fastrand::Rng::with_seed(n as u64);
    for question in &form.questions {
        let value = match &question.kind {
            QuestionKind::Rating { .. } => AnswerValue::Rating(rng.u8(1..=5)),
            QuestionKind::SingleChoice { options } => AnswerValue::Choice(options[rng.usize(..options.len())].id.clone()),
            QuestionKind::MultipleChoice { options, .. } => AnswerValue::Choices(options.iter().filter(|_| rng.bool()).map(|o| o.id.clone()).collect()),
            QuestionKind::YesNo => AnswerValue::YesNo(rng.bool()),
            QuestionKind::Number { .. } => AnswerValue::Number(f64::from(rng.u16(0..=1000))),
            QuestionKind::Date => AnswerValue::Date(format!("2020-{:02}-{:02}", rng.u8(1..=12), rng.u8(1..=28))),
            QuestionKind::ShortText { .. } => AnswerValue::Text(format!("Respondent {n}'s short answer")),
            QuestionKind::LongText { .. } => {
                AnswerValue::Text(format!("Respondent {n} writes a paragraph: {}", "the seminar was useful; ".repeat(rng.usize(1..=8))))
            }
        };
        answers.set(&question.id, value);
    }
    answers
}

async fn answer_all(server: &ServerProcess, link: &str, form: &Form, respondents: usize) -> anyhow::Result<()> {
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    let mut clients = Vec::new();
    for n in 0..respondents {
        if n % PER_ADDRESS == 0 {
            let address = 2 + n / PER_ADDRESS;
            ensure!(address < 255, "too many respondents for 127.0.0.2 to 127.0.0.254");
            clients.push(reqwest::Client::builder().local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, address as u8))).build()?);
        }
        let client = clients.last().expect("a client for every address").clone();
        let (questionnaire, submission) = (server.url(&format!("/api/v1{link}")), Submission { form_version: FormVersion(1), answers: answers(form, n) });
        let origin = server.url("").trim_end_matches('/').to_owned();
        let permit = semaphore.clone().acquire_owned().await?;
        tasks.spawn(async move {
            let _permit = permit;
            let opened = client.get(&questionnaire).send().await?;
            ensure!(opened.status().is_success(), "respondent {n} could not open the questionnaire: {}", opened.status());
            let key = cookie(&opened, "pd_respondent").context("no respondent key")?;
            let sent = client.post(&questionnaire).header(ORIGIN, origin).header(COOKIE, key).json(&submission).send().await?;
            let status = sent.status();
            ensure!(status.is_success(), "respondent {n}'s answers were refused: {status} {}", sent.text().await?);
            Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}

/// Two requests to warm the cache, then `count` timed ones.
async fn timed(server: &ServerProcess, path: &str, cookie: &str, count: usize) -> anyhow::Result<Timed> {
    let client = reqwest::Client::new();
    let mut millis = Vec::with_capacity(count);
    let mut bytes = 0;
    for i in 0..count + 2 {
        let started = Instant::now();
        let response = send(server, client.get(server.url(path)), Some(cookie)).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if !status.is_success() {
            bail!("GET {path}: {status}");
        }
        bytes = body.len();
        if i >= 2 {
            millis.push(elapsed);
        }
    }
    millis.sort_by(f64::total_cmp);
    let median = match millis.len() % 2 {
        1 => millis[millis.len() / 2],
        _ => (millis[millis.len() / 2 - 1] + millis[millis.len() / 2]) / 2.0,
    };
    Ok(Timed { requests: count, median_ms: median, min_ms: millis[0], max_ms: millis[millis.len() - 1], bytes })
}
