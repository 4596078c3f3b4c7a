//! Load generator for the `/sync` WebSocket: starts the release server (or targets a running
//! one) and measures edit→peer latency, deliveries, acks, and the server's memory and CPU
//! under many clients (`live`), the cost of merging a long offline session (`merge`), or of an
//! update that can never be applied (`pending`); and, over HTTP, how long an evaluation's
//! results page and CSV take with many answers (`results`).
//!
//! `cargo build --release -p server -p loadgen && target/release/loadgen live --clients 200 --docs 1`

mod live;
mod merge;
mod pending;
mod report;
mod results;
mod target;
mod wire;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "loadgen", about = "Load generator for Programme Desk's /sync WebSocket.")]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Many clients editing live: latency, deliveries, acks, server memory and CPU.
    Live(live::LiveArgs),
    /// One client merging many offline edits back: time to ack, and the same work in process.
    Merge(merge::MergeArgs),
    /// Ack times on a document after an update that can never be applied, against a clean one.
    Pending(pending::PendingArgs),
    /// An evaluation's results page and CSV with many answers: median of timed requests.
    Results(results::ResultsArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().mode {
        Mode::Live(args) => {
            let json = args.json;
            emit(&live::run(args).await?, json, report::print_live)
        }
        Mode::Merge(args) => {
            let json = args.json;
            emit(&merge::run(args).await?, json, report::print_merge)
        }
        Mode::Pending(args) => {
            let json = args.json;
            emit(&pending::run(args).await?, json, pending::print)
        }
        Mode::Results(args) => {
            let json = args.json;
            emit(&results::run(args).await?, json, results::print)
        }
    }
}

/// Prints a report as text, or as JSON with `--json`.
fn emit<R: serde::Serialize>(report: &R, json: bool, print: fn(&R)) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        print(report);
    }
    Ok(())
}
