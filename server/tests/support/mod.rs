// Shared by several test crates; each uses part of it.
#![allow(dead_code)]
//! The server under test (desk-harness starts this build's binary on a free loopback port
//! with a temporary data directory, and stops it when dropped), and signing in to it.

pub mod client;
pub mod evaluation;
pub mod json;

use desk_harness::{Launch, ServerProcess};
use std::path::Path;
use std::process::Command;

/// A server of this build for a test: desk-harness's [`ServerProcess`] (its `base`,
/// `console`, `log`, `url`, `ws_url`), started with the public assets as its site root.
pub struct TestServer(ServerProcess);

impl std::ops::Deref for TestServer {
    type Target = ServerProcess;

    fn deref(&self) -> &ServerProcess {
        &self.0
    }
}

fn launch(bin: &Path, flags: &[&str]) -> Launch {
    // The public assets stand in for the built site: enough for static-file tests.
    Launch::new(bin).site_root(Path::new(env!("CARGO_MANIFEST_DIR")).join("../public")).flags(flags)
}

fn this_build() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_server"))
}

impl TestServer {
    /// Starts a server on a fresh temporary data directory.
    pub fn start() -> Self {
        Self(launch(this_build(), &[]).start().expect("start the server"))
    }

    /// Starts a server on a fresh temporary data directory where every document but group
    /// material is open to anonymous clients (`--access open-except-group`): for tests of
    /// the sync protocol itself, not of who may use it.
    pub fn start_open() -> Self {
        Self(launch(this_build(), &["--access", "open-except-group"]).start().expect("start the server"))
    }

    /// Starts a server on `data_dir` (which the caller keeps).
    pub fn start_in(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// Starts a server on `data_dir` with more command-line flags.
    pub fn start_with(data_dir: &Path, flags: &[&str]) -> Self {
        Self::start_bin(this_build(), data_dir, flags)
    }

    /// Starts the server binary `bin` (another build of it, e.g. an older one) on `data_dir`.
    pub fn start_bin(bin: &Path, data_dir: &Path, flags: &[&str]) -> Self {
        Self(launch(bin, flags).start_in(data_dir).expect("start the server"))
    }

    /// Sends SIGTERM and waits for a graceful exit; returns whether it exited successfully.
    pub fn terminate(self) -> bool {
        self.0.terminate()
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(self) {
        self.0.kill()
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
