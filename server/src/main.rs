//! Programme Desk's server binary: reads its configuration, opens and seeds the database,
//! and serves the app until SIGTERM or Ctrl-C.

mod accounts;
mod admin;
mod config;
mod cookies;
mod demo;
mod doc_log;
mod evaluations;
mod gate;
mod http;
mod redact;
mod store;
mod sync;

use anyhow::Context;
use clap::Parser;
use config::Config;
use std::sync::Arc;
use store::sqlite::SqliteStore;
use store::ProgrammeStore;
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(serve())
}

/// At most two glibc malloc arenas. glibc gives threads that contend for the main arena
/// arenas of their own (up to eight per core), and each keeps the memory freed into it, so
/// the same allocations spread over more arenas hold more pages: on the second sync load
/// (`loadgen live --clients 1000 --docs 100`) one arena per Tokio worker and SQLite
/// connection thread cost several MiB of peak RSS. Two arenas keep the two workers (one
/// per core here) from serialising on one lock. The environment's `MALLOC_ARENA_MAX`, read
/// by glibc at its first allocation, is overridden from here on.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets a malloc tunable; it is called before any other thread
    // exists.
    if unsafe { libc::mallopt(libc::M_ARENA_MAX, 2) } != 1 {
        eprintln!("mallopt(M_ARENA_MAX, 2) failed; malloc arenas are not limited");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

async fn serve() -> anyhow::Result<()> {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log_level).context("--log-level")?)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();

    let storage = SqliteStore::open(&config.data_dir).await.with_context(|| format!("opening the database in {}", config.data_dir.display()))?;
    if storage.seed_if_empty().await? {
        tracing::info!("stored the 2019–2022 work programme in {}", config.data_dir.display());
    }
    let accounts = accounts::Accounts::new(Arc::new(storage.clone())).await?;
    if let Some(command) = config.command.clone() {
        let result = match command {
            config::Command::Admin { action } => admin::run(&accounts, action).await,
            config::Command::Token { action } => admin::run_token(&accounts, action).await,
        };
        storage.close().await;
        return result;
    }
    if config.demo {
        let created = demo::seed(&accounts).await?;
        tracing::warn!("demo data on ({created} accounts added): never use --demo for real material");
        println!("{}", demo::describe());
    }
    {
        let accounts = accounts.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                every.tick().await;
                accounts.tidy().await;
            }
        });
    }
    let programme = Arc::new(storage.load_programme().await?);

    let doc_log = doc_log::DocLog::new(Arc::new(storage.clone()));
    tokio::spawn(doc_log.clone().compact_forever(std::time::Duration::from_secs(30)));
    let hub = Arc::new(sync::Hub::new(doc_log, programme.clone()));
    let stopping_hub = hub.clone();
    let gate = gate::Gate::new(accounts.clone(), programme.clone(), config.access.rule());
    let setup_accounts = accounts.clone();
    let evaluations = evaluations::Evaluations::new(Arc::new(storage.clone()), programme.clone(), accounts.clone());
    if config.demo {
        demo::seed_evaluations(&evaluations).await.context("adding the demo questionnaire")?;
    }
    let state = http::AppState {
        leptos_options: config.leptos_options(),
        programme,
        programme_store: Arc::new(storage.clone()),
        hub,
        accounts,
        gate,
        evaluations,
        secure_cookies: config.secure_cookies,
    };
    let app = http::router(state);
    let listener = tokio::net::TcpListener::bind(config.addr).await.with_context(|| format!("listening on {}", config.addr))?;
    let bound = listener.local_addr()?;
    if let Some(setup) = setup_accounts.setup_link().await? {
        let base = config.public_url.clone().unwrap_or_else(|| format!("http://{bound}"));
        println!(
            "No accounts yet. Open this one-time link to create the first Secretariat manager (valid {} days; a restart makes a new one):\n  {}/setup/{}\nor run `server admin create --email …`.",
            accounts::invite::INVITATION_DAYS,
            base.trim_end_matches('/'),
            setup.secret
        );
    }
    tracing::info!("Programme Desk listening on http://{bound}");
    // No Nagle: sync frames are small and latency-bound (a relay held back waiting for the
    // peer's delayed ACK costs up to 40 ms).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("TCP_NODELAY: {e}");
        }
    });
    // Client addresses reach the handlers (sign-in rate limits per address).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown({
            let hub = stopping_hub.clone();
            async move {
                shutdown_signal().await;
                // Sync sockets are not HTTP requests the graceful shutdown waits for: they are
                // closed as going away (1001) before the storage closes, so nobody is told
                // their update could not be stored.
                hub.stop(std::time::Duration::from_secs(5)).await;
            }
        })
        .await?;
    stopping_hub.stop(std::time::Duration::from_secs(5)).await;
    storage.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
