//! Live load: N clients over M documents, each syncing its document then making one-character
//! edits at a steady rate. Every receiver reads the (client id, clock) of each relayed update
//! from its header and looks the send time up in a shared table: edit→peer latency.

use crate::report::{Cpu, Latency, Rss};
use crate::target::{cpu_seconds, Target, TargetArgs};
use crate::wire::{self, Incoming, Socket};
use anyhow::{bail, Context};
use desk_core::doc::{DocId, TorDoc, TorSection};
use futures_util::stream::SplitStream;
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Semaphore};
use tokio_tungstenite::tungstenite::Message as Ws;

/// Client ids start here, so ids are distinct from any a browser would pick in a test run.
const CLIENT_BASE: u64 = 10_000;
/// Clients connecting and syncing at once.
const CONNECTING: usize = 64;

#[derive(Debug, Clone, clap::Args)]
pub struct LiveArgs {
    /// Number of clients (WebSocket connections).
    #[arg(long, default_value_t = 200)]
    pub clients: usize,
    /// Number of documents the clients are spread over (round robin; at most the number of
    /// ToR documents the programme has).
    #[arg(long, default_value_t = 1)]
    pub docs: usize,
    /// Edits per second per client.
    #[arg(long, default_value_t = 2.0)]
    pub rate: f64,
    /// How long each client edits.
    #[arg(long, default_value_t = 30)]
    pub seconds: u64,
    /// How long to wait after the last edit for the last deliveries and acks.
    #[arg(long, default_value_t = 10)]
    pub drain: u64,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Serialize)]
pub struct LiveReport {
    pub clients: usize,
    pub docs_asked: usize,
    pub docs: usize,
    pub rate_per_client: f64,
    pub seconds: u64,
    pub edits: u64,
    pub deliveries_expected: u64,
    pub deliveries: u64,
    pub acks_expected: u64,
    pub acks: u64,
    /// Relayed updates whose origin was not one of ours (should be 0).
    pub unknown_updates: u64,
    /// Connections the server closed, by close code.
    pub closed_by_server: Vec<(u16, u64)>,
    pub latency_ms: Latency,
    pub server_rss: Rss,
    pub server_cpu: Cpu,
    pub loadgen_cpu: Cpu,
    /// From the first edit to the last delivery (or the end of the drain).
    pub wall_seconds: f64,
}

/// Send times, per client and clock, in nanoseconds since `origin` plus one (0: not sent).
struct Shared {
    origin: Instant,
    sent: Vec<Box<[AtomicU64]>>,
    deliveries: AtomicU64,
    acks: AtomicU64,
    unknown: AtomicU64,
}

impl Shared {
    fn now(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX) + 1
    }

    /// Microseconds since the edit (client, clock) was sent.
    fn latency_us(&self, client: u64, clock: u64) -> Option<u32> {
        let row = self.sent.get(usize::try_from(client.checked_sub(CLIENT_BASE)?).ok()?)?;
        let sent = row.get(usize::try_from(clock).ok()?)?.load(Ordering::Acquire);
        (sent != 0).then(|| u32::try_from(self.now().saturating_sub(sent) / 1000).unwrap_or(u32::MAX))
    }
}

/// The first `n` ToR documents of the seeded programme that anyone may open (actions, then
/// permanent activities; the group-only ones, which signed-out load clients may not open,
/// are left out: 31 at most).
pub fn doc_ids(n: usize) -> Vec<DocId> {
    let programme = desk_core::model::seed::programme();
    let subjects = programme.actions().map(|a| a.id.clone()).chain(programme.permanent_activities.iter().map(|p| p.id.clone()));
    subjects
        .filter_map(|id| DocId::terms_of_reference(&id).ok())
        .filter(|doc| doc.exists_in(&programme))
        .filter(|doc| desk_core::access::default_policy(doc, &programme).visibility != desk_core::access::Visibility::Group)
        .take(n)
        .collect()
}

pub async fn run(args: LiveArgs) -> anyhow::Result<LiveReport> {
    if args.clients == 0 || args.docs == 0 || args.rate <= 0.0 {
        bail!("--clients, --docs and --rate must be positive");
    }
    let docs = doc_ids(args.docs);
    let edits_each = (args.rate * args.seconds as f64).round() as usize;
    let period = Duration::from_secs_f64(1.0 / args.rate);
    let target = Target::start_or_attach(&args.target).await?;
    let rss_idle = target.memory().rss_kib;

    let shared = Arc::new(Shared {
        origin: Instant::now(),
        sent: (0..args.clients).map(|_| (0..edits_each + 1).map(|_| AtomicU64::new(0)).collect()).collect(),
        deliveries: AtomicU64::new(0),
        acks: AtomicU64::new(0),
        unknown: AtomicU64::new(0),
    });
    let (go_tx, go_rx) = watch::channel::<Option<Instant>>(None);
    let (stop_tx, stop_rx) = watch::channel(false);
    let connecting = Arc::new(Semaphore::new(CONNECTING));
    let (synced_tx, mut synced_rx) = tokio::sync::mpsc::channel::<anyhow::Result<()>>(args.clients);
    let mut readers = Vec::new();
    let mut writers = Vec::new();
    let url = target.sync_url();
    for i in 0..args.clients {
        let client = Client { index: i, doc: docs[i % docs.len()].clone(), shared: shared.clone() };
        let (url, connecting, synced_tx) = (url.clone(), connecting.clone(), synced_tx.clone());
        let (go_rx, stop_rx) = (go_rx.clone(), stop_rx.clone());
        let (reader_tx, reader_rx) = tokio::sync::oneshot::channel();
        readers.push(reader_rx);
        writers.push(tokio::spawn(async move {
            let permit = connecting.acquire_owned().await;
            let (socket, replica) = match client.connect_and_sync(&url).await {
                Ok(connected) => connected,
                Err(e) => {
                    let _ = synced_tx.send(Err(e)).await;
                    return;
                }
            };
            drop(permit);
            let (sink, stream) = socket.split();
            let _ = reader_tx.send(tokio::spawn(client.clone().read(stream, stop_rx.clone())));
            let _ = synced_tx.send(Ok(())).await;
            client.write(sink, replica, go_rx, stop_rx, edits_each, period).await;
        }));
    }
    drop(synced_tx);
    for _ in 0..args.clients {
        synced_rx.recv().await.context("a client task ended")?.context("a client could not connect and sync")?;
    }
    let rss_connected = target.memory().rss_kib;

    // Everyone is in their room: edit.
    let sampler = tokio::spawn(sample_rss(target.pid, stop_rx.clone()));
    let (server_cpu0, own_cpu0) = (target.cpu_seconds(), cpu_seconds("self"));
    let started = Instant::now();
    go_tx.send_replace(Some(started));
    let counts: Vec<u64> = (0..docs.len()).map(|d| (d..args.clients).step_by(docs.len()).count() as u64).collect();
    let edits_per_doc = |n: u64| n * edits_each as u64;
    let deliveries_expected: u64 = counts.iter().map(|&n| edits_per_doc(n) * n.saturating_sub(1)).sum();
    let acks_expected = edits_per_doc(args.clients as u64);
    // The last edit goes out within `edits_each` periods of the start.
    let deadline = started + period * (edits_each as u32 + 1) + Duration::from_secs(args.drain);
    while (shared.deliveries.load(Ordering::Relaxed) < deliveries_expected || shared.acks.load(Ordering::Relaxed) < acks_expected) && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let wall = started.elapsed().as_secs_f64();
    let (server_cpu1, own_cpu1) = (target.cpu_seconds(), cpu_seconds("self"));
    stop_tx.send_replace(true);
    let rss_peak = sampler.await?;
    for writer in writers {
        writer.await?;
    }
    let end = target.memory();

    let mut latencies = Vec::new();
    let mut closes: std::collections::BTreeMap<u16, u64> = Default::default();
    for reader in readers {
        let Ok(reader) = reader.await else { continue };
        let (mut samples, close) = reader.await?;
        latencies.append(&mut samples);
        if let Some(code) = close {
            *closes.entry(code).or_default() += 1;
        }
    }
    Ok(LiveReport {
        clients: args.clients,
        docs_asked: args.docs,
        docs: docs.len(),
        rate_per_client: args.rate,
        seconds: args.seconds,
        edits: acks_expected,
        deliveries_expected,
        deliveries: shared.deliveries.load(Ordering::Relaxed),
        acks_expected,
        acks: shared.acks.load(Ordering::Relaxed),
        unknown_updates: shared.unknown.load(Ordering::Relaxed),
        closed_by_server: closes.into_iter().collect(),
        latency_ms: Latency::of_micros(latencies),
        server_rss: Rss { idle_kib: rss_idle, connected_kib: rss_connected, peak_kib: rss_peak.max(end.rss_kib), end_kib: end.rss_kib, hwm_kib: end.hwm_kib },
        server_cpu: Cpu::over(server_cpu1 - server_cpu0, wall),
        loadgen_cpu: Cpu::over(own_cpu1 - own_cpu0, wall),
        wall_seconds: wall,
    })
}

/// Samples the server's VmRSS every 100 ms until told to stop; returns the largest.
async fn sample_rss(pid: u32, mut stop: watch::Receiver<bool>) -> u64 {
    let mut peak = 0;
    loop {
        peak = peak.max(crate::target::Memory::of(pid).rss_kib);
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            _ = stop.wait_for(|stop| *stop) => return peak,
        }
    }
}

#[derive(Clone)]
struct Client {
    index: usize,
    doc: DocId,
    shared: Arc<Shared>,
}

impl Client {
    fn id(&self) -> u64 {
        CLIENT_BASE + self.index as u64
    }

    /// Connects, sends sync step 1 and waits for the server's step 2 and step 1.
    async fn connect_and_sync(&self, url: &str) -> anyhow::Result<(Socket, TorDoc)> {
        let replica = TorDoc::new(self.id());
        let mut socket = wire::connect(url).await?;
        socket.send(Ws::Binary(wire::step1(&self.doc, Default::default()).into())).await?;
        let synced = async {
            while let Some(message) = socket.next().await {
                if let Ws::Binary(bytes) = message? {
                    match wire::classify(&bytes) {
                        Incoming::Step2(update) => replica.apply_update(update)?,
                        Incoming::Step1(_) => return Ok(()),
                        _ => {}
                    }
                }
            }
            bail!("closed before sync")
        };
        tokio::time::timeout(Duration::from_secs(30), synced).await.context("no sync within 30 s")??;
        Ok((socket, replica))
    }

    /// Makes `edits` one-character edits, one every `period` after a random offset within the
    /// first period, each recorded in the send-time table just before it is sent.
    async fn write(
        &self,
        mut sink: futures_util::stream::SplitSink<Socket, Ws>,
        replica: TorDoc,
        mut go: watch::Receiver<Option<Instant>>,
        mut stop: watch::Receiver<bool>,
        edits: usize,
        period: Duration,
    ) {
        let Ok(start) = go.wait_for(Option::is_some).await.map(|start| start.unwrap()) else { return };
        let start = start + period.mul_f64(fastrand::f64());
        let section = TorSection::ALL[self.index % TorSection::ALL.len()];
        let row = &self.shared.sent[self.index];
        for k in 0..edits {
            tokio::time::sleep_until((start + period * k as u32).into()).await;
            let at = fastrand::u32(0..=replica.len(section));
            let update = replica.splice(section, at, 0, &fastrand::lowercase().to_string());
            let clock = wire::origin(&update).map_or(k, |(_, clock)| clock as usize);
            if let Some(slot) = row.get(clock) {
                slot.store(self.shared.now(), Ordering::Release);
            }
            if sink.send(Ws::Binary(wire::update(&self.doc, update).into())).await.is_err() {
                return;
            }
        }
        // Keep the connection open (the reader still drains it) until the run stops.
        let _ = stop.wait_for(|stop| *stop).await;
        drop(sink);
    }

    /// Drains the socket until told to stop: latency of every relayed update (µs), acks, and
    /// the close code if the server closed the connection.
    async fn read(self, mut stream: SplitStream<Socket>, mut stop: watch::Receiver<bool>) -> (Vec<u32>, Option<u16>) {
        let mut samples = Vec::new();
        loop {
            let message = tokio::select! {
                message = stream.next() => message,
                _ = stop.wait_for(|stop| *stop) => return (samples, None),
            };
            match message {
                Some(Ok(Ws::Binary(bytes))) => match wire::classify(&bytes) {
                    Incoming::Update(update) => match wire::origin(update).and_then(|(client, clock)| self.shared.latency_us(client, clock)) {
                        Some(us) => {
                            samples.push(us);
                            self.shared.deliveries.fetch_add(1, Ordering::Relaxed);
                        }
                        None => {
                            self.shared.unknown.fetch_add(1, Ordering::Relaxed);
                        }
                    },
                    Incoming::Ack => {
                        self.shared.acks.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {}
                },
                Some(Ok(Ws::Close(frame))) => return (samples, Some(frame.map_or(1005, |f| u16::from(f.code)))),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return (samples, Some(1006)),
            }
        }
    }
}
