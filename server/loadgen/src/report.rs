//! Figures and how they are printed.

use serde::Serialize;

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    pub samples: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Latency {
    pub fn of_micros(mut samples: Vec<u32>) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        let at = |q: f64| {
            let i = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
            f64::from(samples[i]) / 1000.0
        };
        Self { samples: samples.len(), p50: at(0.50), p95: at(0.95), p99: at(0.99), max: at(1.0) }
    }
}

/// Resident memory of the server, KiB.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Rss {
    /// Before any client connected.
    pub idle_kib: u64,
    /// Every client connected and synced, before the first edit.
    pub connected_kib: u64,
    /// Largest VmRSS sampled (every 100 ms) while editing.
    pub peak_kib: u64,
    pub end_kib: u64,
    /// VmHWM: the process's peak since it started.
    pub hwm_kib: u64,
}

/// CPU time over a wall-clock interval.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Cpu {
    pub seconds: f64,
    /// Percent of one core.
    pub percent_of_core: f64,
}

impl Cpu {
    pub fn over(seconds: f64, wall: f64) -> Self {
        Self { seconds, percent_of_core: if wall > 0.0 { 100.0 * seconds / wall } else { 0.0 } }
    }
}

pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

pub fn print_live(r: &crate::live::LiveReport) {
    let plural = if r.docs == 1 { "document" } else { "documents" };
    let docs = if r.docs < r.docs_asked {
        format!("{} {plural} ({} asked; the programme has {} ToR documents)", r.docs, r.docs_asked, r.docs)
    } else {
        format!("{} {plural}", r.docs)
    };
    println!("live load: {} clients over {docs}, {} edits/s each for {} s", r.clients, r.rate_per_client, r.seconds);
    println!("  edits sent            {}", r.edits);
    println!("  deliveries            {} of {} expected{}", r.deliveries, r.deliveries_expected, missing(r.deliveries, r.deliveries_expected));
    println!("  acks                  {} of {} expected{}", r.acks, r.acks_expected, missing(r.acks, r.acks_expected));
    if r.unknown_updates > 0 {
        println!("  unknown updates       {}", r.unknown_updates);
    }
    for (code, n) in &r.closed_by_server {
        println!("  closed by server      {n} with code {code}");
    }
    let l = &r.latency_ms;
    println!("  edit→peer latency     p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)", l.p50, l.p95, l.p99, l.max, l.samples);
    let m = &r.server_rss;
    println!(
        "  server RSS            idle {}, connected {}, peak {}, end {} (VmHWM {})",
        mib(m.idle_kib),
        mib(m.connected_kib),
        mib(m.peak_kib),
        mib(m.end_kib),
        mib(m.hwm_kib)
    );
    println!(
        "  CPU over {:.1} s        server {:.1}% of a core ({:.1} s), load generator {:.1}% ({:.1} s); 2 cores shared",
        r.wall_seconds, r.server_cpu.percent_of_core, r.server_cpu.seconds, r.loadgen_cpu.percent_of_core, r.loadgen_cpu.seconds
    );
}

fn missing(got: u64, expected: u64) -> String {
    if got >= expected {
        String::new()
    } else {
        format!(" ({} MISSING)", expected - got)
    }
}

pub fn print_merge(r: &crate::merge::MergeReport) {
    println!("merge: {} offline one-character edits, synced back in one step 2, {} runs (median, max)", r.edits, r.runs.len());
    println!("  update size           {} bytes", r.update_bytes);
    let row = |name: &str, f: fn(&crate::merge::MergeRun) -> f64| {
        let (median, max) = crate::merge::median_max(&r.runs, f);
        println!("  {name:<22}{median:.2} ms, {max:.2} ms");
    };
    row("over /sync: step2→ack", |run| run.ack_ms);
    row("  whole reconnect", |run| run.reconnect_ms);
    row("in process: total", |run| run.native_total_ms());
    row("  check_update", |run| run.check_ms);
    row("  apply to replica", |run| run.apply_ms);
    row("  merge_updates", |run| run.merge_ms);
    println!("  every run converged   {}", r.runs.iter().all(|run| run.converged));
}
