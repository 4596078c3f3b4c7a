//! One update that can never be applied: a document gets `--updates` one-character edits,
//! then (on the second document only) an update from a client whose earlier clocks never
//! arrive; then both get `--probe` more edits, each timed from send to ack. Before the fix,
//! the server stored such an update and rebuilt the room from its log on every later update
//! (reported: median ack 21 → 401 ms at 6,000 updates); now it answers "resync" and keeps
//! nothing, so both documents should ack alike.

use crate::merge::{ack, connect_synced};
use crate::target::{Target, TargetArgs};
use crate::wire;
use desk_core::doc::{TorDoc, TorSection};
use futures_util::SinkExt;
use serde::Serialize;
use std::time::Instant;
use tokio_tungstenite::tungstenite::Message as Ws;

#[derive(Debug, Clone, clap::Args)]
pub struct PendingArgs {
    /// Edits written to each document before the impossible update.
    #[arg(long, default_value_t = 1_500)]
    pub updates: usize,
    /// Edits timed afterwards on each document.
    #[arg(long, default_value_t = 200)]
    pub probe: usize,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Serialize)]
pub struct PendingReport {
    pub updates: usize,
    pub probe: usize,
    /// What the server answered the impossible update with.
    pub answer: String,
    pub clean_median_ms: f64,
    pub clean_p95_ms: f64,
    pub with_pending_median_ms: f64,
    pub with_pending_p95_ms: f64,
}

pub async fn run(args: PendingArgs) -> anyhow::Result<PendingReport> {
    let target = Target::start_or_attach(&args.target).await?;
    let docs = crate::live::doc_ids(usize::MAX);
    let url = target.sync_url();
    let mut answer = String::new();
    let mut timings = Vec::new();
    for (n, doc) in docs.iter().take(2).enumerate() {
        let author = TorDoc::new(30_000 + n as u64);
        let (mut socket, _) = connect_synced(&url, doc, &author).await?;
        let edit = |author: &TorDoc| wire::update(doc, author.splice(TorSection::Scope, author.len(TorSection::Scope), 0, "x"));
        for _ in 0..args.updates {
            socket.send(Ws::Binary(edit(&author).into())).await?;
            ack(&mut socket).await?;
        }
        if n == 1 {
            let stranger = TorDoc::new(7004);
            stranger.splice(TorSection::Purpose, 0, 0, "0123456789");
            let impossible = stranger.splice(TorSection::Purpose, 10, 0, "!");
            socket.send(Ws::Binary(wire::update(doc, impossible).into())).await?;
            answer = match tokio::time::timeout(std::time::Duration::from_secs(2), ack(&mut socket)).await {
                Ok(Ok(())) => "acknowledged".into(),
                Ok(Err(e)) => format!("not acknowledged ({e})"),
                Err(_) => "not acknowledged within 2 s".into(),
            };
            // Whatever came instead, start the probe on a clean socket.
            socket = connect_synced(&url, doc, &author).await?.0;
        }
        let mut times = Vec::with_capacity(args.probe);
        for _ in 0..args.probe {
            let sent = Instant::now();
            socket.send(Ws::Binary(edit(&author).into())).await?;
            ack(&mut socket).await?;
            times.push(sent.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        timings.push(times);
    }
    let at = |times: &Vec<f64>, q: f64| times[((times.len() - 1) as f64 * q) as usize];
    Ok(PendingReport {
        updates: args.updates,
        probe: args.probe,
        answer,
        clean_median_ms: at(&timings[0], 0.5),
        clean_p95_ms: at(&timings[0], 0.95),
        with_pending_median_ms: at(&timings[1], 0.5),
        with_pending_p95_ms: at(&timings[1], 0.95),
    })
}

pub fn print(r: &PendingReport) {
    println!("pending: {} edits per document, then {} timed (send → ack)", r.updates, r.probe);
    println!("  the impossible update   {}", r.answer);
    println!("  clean document          median {:.2} ms, p95 {:.2} ms", r.clean_median_ms, r.clean_p95_ms);
    println!("  after the impossible    median {:.2} ms, p95 {:.2} ms", r.with_pending_median_ms, r.with_pending_p95_ms);
}
