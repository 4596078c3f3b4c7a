//! Command-line flags and environment variables (clap), and the Leptos options derived
//! from them.

use clap::{Parser, Subcommand};
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The name cargo-leptos gives the wasm, js and css bundles (`output-name` in Cargo.toml).
pub const OUTPUT_NAME: &str = "programme-desk";

#[derive(Debug, Clone, Parser)]
#[command(name = "server", version, about = "Programme Desk: the Pompidou Group work programme, served.")]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "PD_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Directory for the SQLite database (created on first start and seeded with the programme).
    #[arg(long, env = "PD_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Directory of the built front end (cargo-leptos's site root: pkg/ and the public assets).
    #[arg(long, env = "PD_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Log filter: a level (error, warn, info, debug, trace) or a tracing directive such as
    /// "server=debug,tower_http=info".
    #[arg(long, env = "PD_LOG", default_value = "info")]
    pub log_level: String,

    /// Mark session cookies `Secure`: set this when the server is reached over HTTPS (behind a
    /// TLS-terminating proxy).
    #[arg(long, env = "PD_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// How documents are protected. `strict` (the default): the access rule as designed
    /// (members documents need a signed-in account, editing a role in the owning group).
    /// `open-except-group`: only group documents are protected; everyone may read, comment
    /// on and edit the others, signed in or not (for load tests with anonymous clients, never
    /// for real material).
    #[arg(long, env = "PD_ACCESS", value_enum, default_value = "strict")]
    pub access: AccessRule,

    /// Add the demo accounts (README: "Demo data") if they are missing: one per role, a few
    /// delegations, an Airports Group officer. `make run` sets it; never set it on a real
    /// deployment (everyone knows the demo password).
    #[arg(long, env = "PD_DEMO")]
    pub demo: bool,

    /// The address people use to reach the server (for the setup link printed on the
    /// console), if it is not `http://` + `--addr`.
    #[arg(long, env = "PD_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Run an administrative command instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AccessRule {
    Strict,
    OpenExceptGroup,
}

impl AccessRule {
    pub fn rule(self) -> desk_core::access::Rule {
        match self {
            AccessRule::Strict => desk_core::access::Rule::Strict,
            AccessRule::OpenExceptGroup => desk_core::access::Rule::OpenExceptGroup,
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Accounts and roles. Passwords are read from the environment variable PD_PASSWORD, or
    /// else from the first line of standard input (never from the command line).
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// Document tokens for stock Yjs clients.
    Token {
        #[command(subcommand)]
        action: TokenCommand,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Prints a token that opens one document at /yjs as an account (for stock Yjs clients).
    Issue {
        #[arg(long)]
        user: String,
        /// e.g. tor/nps
        #[arg(long)]
        doc: String,
        /// How long it is valid: 90s, 30m, 12h, 7d (at most 30d).
        #[arg(long, default_value = "1h")]
        ttl: String,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Creates a Secretariat manager (the first account of an installation).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Secretariat")]
        name: String,
    },
    /// Creates an account without any role (add roles with `admin role`).
    Account {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The member State's delegation the account belongs to: one on the list
        /// (`admin delegation add`).
        #[arg(long)]
        delegation: Option<String>,
        /// A role to give it at once, as GROUP=ROLE (repeat for several groups).
        #[arg(long = "role", value_name = "GROUP=ROLE")]
        roles: Vec<String>,
    },
    /// Ends every session of an account at once (a lost device, someone leaving).
    SignOut {
        #[arg(long)]
        email: String,
    },
    /// Sets a ToR's owning group and visibility (public, members, group); its comments follow.
    Visibility {
        /// e.g. tor/mednet
        #[arg(long)]
        doc: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        visibility: String,
    },
    /// Keeps the list of delegations (the member States) that accounts and invitations name.
    Delegation {
        #[command(subcommand)]
        command: DelegationCommand,
    },
    /// Gives an account a role in a group, or removes it (`--role none`).
    Role {
        #[arg(long)]
        email: String,
        #[arg(long)]
        group: String,
        /// viewer, commenter, editor, manager, or none.
        #[arg(long)]
        role: String,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum DelegationCommand {
    /// Adds a delegation (adding one listed already changes nothing).
    Add { name: String },
    /// Removes a delegation no account belongs to.
    Remove { name: String },
    /// Prints the list, one name a line.
    List,
}

impl Config {
    /// Leptos's options. Hashed file names are used when cargo-leptos left a `hash.txt`
    /// beside the binary (release builds), which Leptos reads to name the bundles.
    pub fn leptos_options(&self) -> LeptosOptions {
        let hash_files = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists())).unwrap_or(false);
        LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(self.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(self.addr)
            .hash_files(hash_files)
            .build()
    }
}
