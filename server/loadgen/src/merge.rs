//! Merge after offline work: a client syncs a document, goes offline, makes many
//! one-character edits at random positions, reconnects, and sends what the server lacks as
//! its sync step 2. Timed over the wire (step 2 sent → ack) and in process (what the server
//! does with it: check, apply to the room's replica, fold into the log by merge_updates).

use crate::target::{Target, TargetArgs};
use crate::wire::{self, Incoming, Socket};
use anyhow::{bail, Context};
use desk_core::doc::{check_update, merge_updates, DocId, TorDoc, TorSection};
use desk_core::sync::{Frame, SyncMessage};
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message as Ws;

const SECTION: TorSection = TorSection::Scope;

#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// Offline edits before reconnecting.
    #[arg(long, default_value_t = 10_000)]
    pub edits: usize,
    /// Runs (each on its own document).
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Serialize)]
pub struct MergeReport {
    pub edits: usize,
    pub update_bytes: usize,
    pub runs: Vec<MergeRun>,
}

#[derive(Debug, Serialize)]
pub struct MergeRun {
    pub doc: String,
    /// Step 2 sent → its ack received.
    pub ack_ms: f64,
    /// Connect → step 1 → server's step 2 and step 1 → our step 2 → ack.
    pub reconnect_ms: f64,
    pub check_ms: f64,
    pub apply_ms: f64,
    pub merge_ms: f64,
    /// A fresh client then read the same text as the offline one had.
    pub converged: bool,
}

impl MergeRun {
    pub fn native_total_ms(&self) -> f64 {
        self.check_ms + self.apply_ms + self.merge_ms
    }
}

pub fn median_max(runs: &[MergeRun], f: fn(&MergeRun) -> f64) -> (f64, f64) {
    let mut values: Vec<f64> = runs.iter().map(f).collect();
    values.sort_by(f64::total_cmp);
    let median = values.get(values.len() / 2).copied().unwrap_or(0.0);
    (median, values.last().copied().unwrap_or(0.0))
}

pub async fn run(args: MergeArgs) -> anyhow::Result<MergeReport> {
    let target = Target::start_or_attach(&args.target).await?;
    let docs = crate::live::doc_ids(usize::MAX);
    let mut runs = Vec::new();
    let mut update_bytes = 0;
    for r in 0..args.repeat.max(1) {
        let doc = docs[r % docs.len()].clone();
        let ids = 20_000 + 10 * r as u64;
        let url = target.sync_url();

        // Someone wrote a little first; the offline client starts from that.
        let base_author = TorDoc::new(ids);
        let mut socket = connect_synced(&url, &doc, &base_author).await?.0;
        let base = base_author.splice(SECTION, base_author.len(SECTION), 0, &"Base text. ".repeat(20));
        socket.send(Ws::Binary(wire::update(&doc, base.clone()).into())).await?;
        ack(&mut socket).await?;
        drop(socket);

        let offline = TorDoc::new(ids + 1);
        drop(connect_synced(&url, &doc, &offline).await?);
        for _ in 0..args.edits {
            let at = fastrand::u32(0..=offline.len(SECTION));
            offline.splice(SECTION, at, 0, &fastrand::alphanumeric().to_string());
        }

        let connecting = Instant::now();
        let (mut socket, server_sv) = connect_synced(&url, &doc, &offline).await?;
        let missing = offline.diff_since(&server_sv)?;
        update_bytes = missing.len();
        let sending = Instant::now();
        socket.send(Ws::Binary(Frame::sync(doc.clone(), SyncMessage::SyncStep2(missing.clone())).encode().into())).await?;
        ack(&mut socket).await?;
        let ack_ms = ms(sending.elapsed());
        let reconnect_ms = ms(connecting.elapsed());
        drop(socket);

        let reader = TorDoc::new(ids + 2);
        drop(connect_synced(&url, &doc, &reader).await?);
        let converged = reader.text(SECTION) == offline.text(SECTION);

        // The same work in this process, natively.
        let replica = TorDoc::new(0);
        replica.apply_update(&base)?;
        let t0 = Instant::now();
        check_update(&missing)?;
        let t1 = Instant::now();
        replica.apply_update(&missing)?;
        let t2 = Instant::now();
        let merged = merge_updates(&[&base, &missing])?;
        let t3 = Instant::now();
        std::hint::black_box(merged);
        runs.push(MergeRun {
            doc: doc.to_string(),
            ack_ms,
            reconnect_ms,
            check_ms: ms(t1 - t0),
            apply_ms: ms(t2 - t1),
            merge_ms: ms(t3 - t2),
            converged: converged && replica.text(SECTION) == offline.text(SECTION),
        });
    }
    Ok(MergeReport { edits: args.edits, update_bytes, runs })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Connects and syncs `replica` with the server; returns the socket and the server's state
/// vector (encoded).
pub(crate) async fn connect_synced(url: &str, doc: &DocId, replica: &TorDoc) -> anyhow::Result<(Socket, Vec<u8>)> {
    let step1 = wire::step1(doc, wire::state_vector(replica));
    let mut socket = wire::connect(url).await?;
    socket.send(Ws::Binary(step1.into())).await?;
    let server_sv = within(async {
        while let Some(message) = socket.next().await {
            if let Ws::Binary(bytes) = message? {
                match wire::classify(&bytes) {
                    Incoming::Step2(update) => replica.apply_update(update)?,
                    Incoming::Step1(sv) => return Ok(sv.to_vec()),
                    _ => {}
                }
            }
        }
        bail!("closed before sync")
    })
    .await?;
    Ok((socket, server_sv))
}

pub(crate) async fn ack(socket: &mut Socket) -> anyhow::Result<()> {
    within(async {
        while let Some(message) = socket.next().await {
            match message? {
                Ws::Binary(bytes) if wire::classify(&bytes) == Incoming::Ack => return Ok(()),
                Ws::Close(frame) => bail!("closed: {frame:?}"),
                _ => {}
            }
        }
        bail!("closed before the ack")
    })
    .await
}

async fn within<T>(work: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::time::timeout(Duration::from_secs(60), work).await.context("no answer within 60 s")?
}
