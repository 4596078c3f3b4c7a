//! The server under load: one this process starts through desk-harness (release binary,
//! free loopback port, temporary data directory) or one already running (`--url` and
//! `--pid`). Its memory and CPU come from /proc.

use anyhow::{bail, Context};
use desk_harness::{Launch, ServerProcess};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Clone, clap::Args)]
pub struct TargetArgs {
    /// The server binary to start (default: `server` beside this binary, else target/release/server).
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// Use a running server at this base address (e.g. ws://127.0.0.1:3000) instead of starting one.
    #[arg(long, requires = "pid")]
    pub url: Option<String>,
    /// The process id of the server given by --url (for its memory and CPU figures).
    #[arg(long, requires = "url")]
    pub pid: Option<u32>,
}

pub struct Target {
    /// `ws://host:port`
    pub base: String,
    pub pid: u32,
    /// The server this process started (stopped when dropped), if it started one.
    _started: Option<ServerProcess>,
}

impl Target {
    pub async fn start_or_attach(args: &TargetArgs) -> anyhow::Result<Self> {
        if let (Some(url), Some(pid)) = (&args.url, args.pid) {
            let target = Self { base: url.trim_end_matches('/').to_owned(), pid, _started: None };
            target.wait_healthy(Duration::from_secs(5)).await?;
            return Ok(target);
        }
        let bin = match &args.server_bin {
            Some(bin) => bin.clone(),
            None => default_server_bin(),
        };
        let launch = Launch::new(&bin)
            // Only the server's own info lines (its address); nothing per message.
            .log_level("warn,server=info")
            // Its clients are anonymous: every document but group material is open to them,
            // and each message still passes the access check.
            .flags(&["--access", "open-except-group"]);
        let started = tokio::task::spawn_blocking(move || launch.start()).await?.with_context(|| format!("starting {}", bin.display()))?;
        Ok(Self { base: started.ws_url(""), pid: started.pid(), _started: Some(started) })
    }

    pub fn sync_url(&self) -> String {
        format!("{}/sync", self.base)
    }

    /// For a server this process did not start: waits until its `/healthz` answers 200.
    async fn wait_healthy(&self, within: Duration) -> anyhow::Result<()> {
        let host = self.base.trim_start_matches("ws://").trim_start_matches("http://").to_owned();
        let deadline = Instant::now() + within;
        loop {
            if healthz(&host).await.unwrap_or(false) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("{host}/healthz did not answer 200 within {within:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn memory(&self) -> Memory {
        Memory::of(self.pid)
    }

    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&self.pid.to_string())
    }
}

pub fn default_server_bin() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("server")))
        .filter(|bin| bin.exists())
        .unwrap_or_else(|| PathBuf::from("target/release/server"))
}

/// `GET /healthz` over a plain TCP connection: true on a 200.
async fn healthz(host: &str) -> anyhow::Result<bool> {
    let mut stream = tokio::time::timeout(Duration::from_secs(1), tokio::net::TcpStream::connect(host)).await??;
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut response)).await??;
    Ok(response.starts_with(b"HTTP/1.1 200"))
}

/// Resident memory of a process, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// VmRSS: now.
    pub rss_kib: u64,
    /// VmHWM: the peak since the process started.
    pub hwm_kib: u64,
}

impl Memory {
    pub fn of(pid: u32) -> Self {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
                .unwrap_or(0)
        };
        Self { rss_kib: field("VmRSS:"), hwm_kib: field("VmHWM:") }
    }
}

/// User plus system CPU time of a process (`self` for this one), in seconds.
pub fn cpu_seconds(pid: &str) -> f64 {
    // Linux reports these in USER_HZ, which is 100 on every architecture it supports.
    const USER_HZ: f64 = 100.0;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces, hence the last ')'):
    // state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i - 3).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (ticks(14) + ticks(15)) as f64 / USER_HZ
}
