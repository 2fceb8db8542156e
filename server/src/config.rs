//! Configuration from the command line and the environment, with documented defaults.
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Stemme: børn og unges stemmer skal høres.
#[derive(Debug, Parser)]
#[command(name = "server", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    /// Load the demo data (one account per role; see the README) before serving.
    #[arg(long, env = "STEMME_DEMO", global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the site (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load the demo data set, then exit.
    Demo,
    /// Create a coordinator (Sekretariat) account. The password is read from standard
    /// input (prompted for when it is a terminal).
    CreateCoordinator {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Write a consistent copy of the database to FILE while the site runs: SQLite with
    /// `VACUUM INTO`, PostgreSQL with `pg_dump --format=custom`. FILE must not exist.
    Backup { file: std::path::PathBuf },
    /// Replace the database with the copy in FILE (made by `backup`). Stop the site first.
    /// The current database is saved beside it (SQLite) or beside FILE (PostgreSQL) first.
    Restore { file: std::path::PathBuf },
    /// Write brotli and gzip copies of the site's static files, print their sizes, then exit.
    Precompress,
}

/// Settings shared by every command. Each can be given as a flag or an environment variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "STEMME_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Database URL: `sqlite://path/file.db` (default, created if missing) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/stemme.db")]
    pub database_url: String,

    /// Maximum database connections in the pool.
    #[arg(long, env = "STEMME_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// Log filter, in `tracing_subscriber` EnvFilter syntax (e.g. `info`, `server=debug,info`).
    #[arg(long, env = "STEMME_LOG", default_value = "info")]
    pub log: String,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "STEMME_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,

    /// Mark cookies `Secure` (set this when the site is served over HTTPS).
    #[arg(long, env = "STEMME_COOKIE_SECURE", default_value_t = false, action = clap::ArgAction::Set)]
    pub cookie_secure: bool,

    /// Folder with the built site (wasm, js, css, assets), as written by `cargo leptos build`.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Seconds between runs of the reminder task (answer deadlines); 0 turns it off.
    #[arg(long, env = "STEMME_REMINDER_INTERVAL", default_value_t = 600)]
    pub reminder_interval: u64,

    /// Milliseconds an anonymous visitor's proposal list is served from memory; 0 turns the
    /// cache off. Any change made through this server clears it at once; a change made by
    /// another instance shows within twice this time.
    #[arg(long, env = "STEMME_PAGE_CACHE_MS", default_value_t = 1000)]
    pub page_cache_ms: u64,
}
