// Shared by several test crates; each uses part of it.
#![allow(dead_code)]
//! Starts the real server binary on a free loopback port with a temporary data directory,
//! and stops it when dropped.

pub mod client;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct TestServer {
    child: Option<Child>,
    pub base: String,
    /// What the server printed before it listened (the setup link, the demo accounts).
    pub console: Vec<String>,
    /// Everything it printed after that (its log, at `--log-level info` unless the flags
    /// say otherwise).
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    _temp: Option<tempfile::TempDir>,
}

fn site_root() -> PathBuf {
    // The public assets stand in for the built site: enough for static-file tests.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../public")
}

impl TestServer {
    /// Starts a server on a fresh temporary data directory.
    pub fn start() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let mut server = Self::start_in(temp.path());
        server._temp = Some(temp);
        server
    }

    /// Starts a server on a fresh temporary data directory where every document but group
    /// material is open to anonymous clients (`--access open-except-group`): for tests of
    /// the sync protocol itself, not of who may use it.
    pub fn start_open() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let mut server = Self::start_with(temp.path(), &["--access", "open-except-group"]);
        server._temp = Some(temp);
        server
    }

    /// Starts a server on `data_dir` (which the caller keeps).
    pub fn start_in(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// Starts a server on `data_dir` with more command-line flags.
    pub fn start_with(data_dir: &Path, flags: &[&str]) -> Self {
        Self::start_bin(Path::new(env!("CARGO_BIN_EXE_server")), data_dir, flags)
    }

    /// Starts the server binary `bin` (another build of it, e.g. an older one) on `data_dir`.
    pub fn start_bin(bin: &Path, data_dir: &Path, flags: &[&str]) -> Self {
        let level: &[&str] = if flags.contains(&"--log-level") { &[] } else { &["--log-level", "info"] };
        let mut child = Command::new(bin)
            .args(flags)
            .args(level)
            .args(["--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .arg("--site-root")
            .arg(site_root())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server binary");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Keeps draining after the address, so the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut console = Vec::new();
        let base = loop {
            let line = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("the server did not report its address within 30 s");
            match line.find("listening on http://") {
                Some(at) => break line[at + "listening on ".len()..].trim().to_owned(),
                None => console.push(line),
            }
        };
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        {
            let log = log.clone();
            std::thread::spawn(move || {
                while let Ok(line) = rx.recv() {
                    log.lock().unwrap().push(line);
                }
            });
        }
        Self { child: Some(child), base, console, log, _temp: None }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends SIGTERM and waits for a graceful exit; returns whether it exited successfully.
    pub fn terminate(mut self) -> bool {
        let mut child = self.child.take().unwrap();
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl TestServer {
    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The WebSocket address of a path, e.g. `ws_url("/sync")`.
    pub fn ws_url(&self, path: &str) -> String {
        format!("{}{}", self.base.replacen("http://", "ws://", 1), path)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The password of accounts made by [`admin`].
pub const PASSWORD: &str = "a long enough password";

/// Runs `server --data-dir DIR admin ARGS…` (passwords: [`PASSWORD`]) and asserts it worked.
pub fn admin(dir: &Path, args: &[&str]) {
    admin_with(Path::new(env!("CARGO_BIN_EXE_server")), dir, args)
}

/// [`admin`] with the server binary `bin`.
pub fn admin_with(bin: &Path, dir: &Path, args: &[&str]) {
    let output = Command::new(bin).arg("--data-dir").arg(dir).args(["--log-level", "warn", "admin"]).args(args).env("PD_PASSWORD", PASSWORD).output().unwrap();
    assert!(output.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// Signs in with [`PASSWORD`]; returns the session cookie (`pd_session=…`).
pub async fn sign_in(server: &TestServer, email: &str) -> String {
    let response =
        reqwest::Client::new().post(server.url("/api/v1/session")).json(&serde_json::json!({ "email": email, "password": PASSWORD })).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{email}");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}
