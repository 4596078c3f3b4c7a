//! Starts the real `server` binary for the integration tests and the load generator: on a
//! free loopback port (`--addr 127.0.0.1:0`; the address is read from the server's
//! "listening on" log line), with a temporary data directory unless given one, its output
//! drained so it never blocks on a full pipe, and stopped when dropped. The one such helper:
//! `server/tests/support` and `server/loadgen` both start servers through it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a server may take to say where it listens (migrations and the first programme
/// import run before it does).
const STARTUP: Duration = Duration::from_secs(30);

/// What the server logs once it accepts connections, followed by its `http://` base address.
const LISTENING: &str = "listening on http://";

/// Why a server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot make a temporary directory: {0}")]
    TempDir(std::io::Error),
    #[error("cannot start {bin}: {source}")]
    Spawn { bin: PathBuf, source: std::io::Error },
    #[error("the server did not report its address within {within:?}; it printed: {printed:?}")]
    NoAddress { within: Duration, printed: Vec<String> },
}

/// How to start a server: the binary, its site root and flags. Every server listens on a
/// free port of 127.0.0.1.
#[derive(Clone, Debug)]
pub struct Launch {
    bin: PathBuf,
    site_root: Option<PathBuf>,
    flags: Vec<String>,
    log_level: String,
}

impl Launch {
    /// The server binary `bin`, logging at `info`, with an empty site root.
    pub fn new(bin: impl Into<PathBuf>) -> Self {
        Self { bin: bin.into(), site_root: None, flags: Vec::new(), log_level: "info".to_owned() }
    }

    /// Serves static files from `dir` (default: an empty temporary directory).
    pub fn site_root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.site_root = Some(dir.into());
        self
    }

    /// More command-line flags (before the address, data directory and site root).
    pub fn flags(mut self, flags: &[&str]) -> Self {
        self.flags.extend(flags.iter().map(|f| (*f).to_owned()));
        self
    }

    /// The `--log-level` filter (an `EnvFilter` directive). It must keep the server's own
    /// `info` lines, for "listening on": `warn,server=info` quietens everything else.
    pub fn log_level(mut self, filter: &str) -> Self {
        self.log_level = filter.to_owned();
        self
    }

    /// Starts the server on a fresh temporary data directory, removed when it is dropped.
    pub fn start(self) -> Result<ServerProcess, StartError> {
        let data = tempfile::tempdir().map_err(StartError::TempDir)?;
        let mut server = self.start_in(data.path())?;
        server.temp_dirs.push(data);
        Ok(server)
    }

    /// Starts the server on `data_dir`, which the caller keeps.
    pub fn start_in(self, data_dir: &Path) -> Result<ServerProcess, StartError> {
        let mut temp_dirs = Vec::new();
        let site_root = match self.site_root {
            Some(dir) => dir,
            None => {
                let empty = tempfile::tempdir().map_err(StartError::TempDir)?;
                let path = empty.path().to_owned();
                temp_dirs.push(empty);
                path
            }
        };
        // A level given among the flags wins (tests of the server's own logging).
        let level: &[&str] = if self.flags.iter().any(|f| f == "--log-level") { &[] } else { &["--log-level", &self.log_level] };
        let mut child = Command::new(&self.bin)
            .args(&self.flags)
            .args(level)
            .args(["--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .arg("--site-root")
            .arg(site_root)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|source| StartError::Spawn { bin: self.bin.clone(), source })?;
        let lines = drain(child.stdout.take().expect("stdout is piped"));
        let deadline = Instant::now() + STARTUP;
        let mut console = Vec::new();
        let base = loop {
            match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => match line.find(LISTENING) {
                    Some(at) => break line[at + "listening on ".len()..].trim().to_owned(),
                    None => console.push(line),
                },
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(StartError::NoAddress { within: STARTUP, printed: console });
                }
            }
        };
        let log = Arc::new(Mutex::new(Vec::new()));
        {
            let log = log.clone();
            std::thread::spawn(move || {
                while let Ok(line) = lines.recv() {
                    log.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(line);
                }
            });
        }
        Ok(ServerProcess { child: Some(child), base, console, log, temp_dirs })
    }
}

/// Reads a child's output line by line on a thread of its own, until it closes.
fn drain(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A running server, killed when dropped.
pub struct ServerProcess {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// What the server printed before it listened (the setup link, the demo accounts).
    pub console: Vec<String>,
    /// Everything it printed after that (its log).
    pub log: Arc<Mutex<Vec<String>>>,
    temp_dirs: Vec<tempfile::TempDir>,
}

impl ServerProcess {
    /// The address of a path, e.g. `url("/healthz")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The WebSocket address of a path, e.g. `ws_url("/sync")`.
    pub fn ws_url(&self, path: &str) -> String {
        format!("{}{}", self.base.replacen("http://", "ws://", 1), path)
    }

    /// The server's process id (0 once it was stopped).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Sends SIGTERM and waits up to 15 s for a graceful exit; returns whether it exited
    /// successfully (else it is killed).
    pub fn terminate(mut self) -> bool {
        let Some(mut child) = self.child.take() else { return false };
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return status.success(),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return false;
                }
            }
        }
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_that_is_not_there_is_a_clear_error() {
        let error = Launch::new("/nonexistent/server").start().err().expect("no such binary");
        assert!(matches!(error, StartError::Spawn { .. }), "{error}");
        assert!(error.to_string().contains("/nonexistent/server"), "{error}");
    }

    #[test]
    fn a_program_that_never_listens_is_stopped_with_what_it_printed() {
        // `sh -c` ignores the server's flags that follow as its own positional parameters.
        let error = Launch::new("/bin/sh").flags(&["-c", "echo not a server; exit 0"]).start_in(Path::new("/tmp")).err().expect("never listens");
        match error {
            StartError::NoAddress { printed, .. } => assert_eq!(printed, ["not a server"]),
            other => panic!("{other}"),
        }
    }
}
