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

    #[command(flatten)]
    pub mail: MailConfig,

    #[command(flatten)]
    pub login: LoginConfig,
}

/// How people log in: passwords, identity providers (OpenID Connect), or both.
#[derive(Debug, Clone, Args)]
pub struct LoginConfig {
    /// Password login and sign-up for everyone. `false`: people log in through the identity
    /// providers only; the coordinator's account keeps its password (break-glass access).
    #[arg(long, env = "STEMME_PASSWORD_LOGIN", default_value_t = true, action = clap::ArgAction::Set)]
    pub password_login: bool,

    /// Identity providers, by Stemme's id for each (`unilogin,mitid`). Each is configured
    /// by `STEMME_OIDC_<ID>_…` variables (see README, "Log in with UNI-Login and MitID").
    #[arg(long, env = "STEMME_OIDC_PROVIDERS", value_delimiter = ',')]
    pub oidc_providers: Vec<String>,
}

impl LoginConfig {
    /// Passwords only, no providers.
    pub fn passwords_only() -> Self {
        Self {
            password_login: true,
            oidc_providers: Vec::new(),
        }
    }

    /// The providers' settings, from `STEMME_OIDC_<ID>_ISSUER`, `_CLIENT_ID`,
    /// `_CLIENT_SECRET`, `_LABEL`, `_SCOPES`, `_CLAIM_NAME`, `_CLAIM_BIRTHDATE`,
    /// `_CLAIM_INSTITUTION`, `_CLAIM_ROLE` and `_PUPIL_ROLES`.
    pub fn providers(&self) -> Result<Vec<app::ssr::oidc::ProviderConfig>, String> {
        self.providers_from(|name| std::env::var(name).ok())
    }

    /// [`Self::providers`] with the variables read by `var`.
    pub fn providers_from(
        &self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Vec<app::ssr::oidc::ProviderConfig>, String> {
        let mut out: Vec<app::ssr::oidc::ProviderConfig> = Vec::new();
        for id in self
            .oidc_providers
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            if !app::domain::identity::valid_provider_id(id) {
                return Err(format!(
                    "STEMME_OIDC_PROVIDERS: {id:?} is not a provider id (lower-case letters, digits, '-')"
                ));
            }
            if out.iter().any(|p| p.id == id) {
                return Err(format!("STEMME_OIDC_PROVIDERS names {id} twice"));
            }
            let prefix = format!("STEMME_OIDC_{}_", id.to_uppercase().replace('-', "_"));
            let get = |key: &str| {
                var(&format!("{prefix}{key}"))
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
            };
            let need = |key: &str| get(key).ok_or_else(|| format!("{prefix}{key} is not set"));
            let list = |key: &str, default: &str| -> Vec<String> {
                get(key)
                    .unwrap_or_else(|| default.to_owned())
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            out.push(app::ssr::oidc::ProviderConfig {
                id: id.to_owned(),
                label: get("LABEL").unwrap_or_else(|| id.to_owned()),
                issuer: need("ISSUER")?,
                client_id: need("CLIENT_ID")?,
                client_secret: get("CLIENT_SECRET"),
                scopes: list("SCOPES", "profile"),
                claim_name: get("CLAIM_NAME").unwrap_or_else(|| "given_name".to_owned()),
                claim_birthdate: Some(
                    get("CLAIM_BIRTHDATE").unwrap_or_else(|| "birthdate".to_owned()),
                ),
                claim_institution: get("CLAIM_INSTITUTION"),
                claim_role: get("CLAIM_ROLE"),
                pupil_roles: list("PUPIL_ROLES", "elev"),
            });
        }
        Ok(out)
    }
}

/// Outgoing mail. Without `--smtp-url` every mail stays in the outbox, where the
/// coordinator reads it at /admin/post.
#[derive(Debug, Clone, Args)]
pub struct MailConfig {
    /// SMTP relay for outgoing mail: `smtps://user:password@smtp.example.dk` (TLS from the
    /// start, port 465), `smtp://user:password@smtp.example.dk:587?tls=required` (STARTTLS),
    /// or `smtp://127.0.0.1:2525` (no TLS: only for a receiver on this machine). Unset: mail
    /// is kept in the outbox and shown at /admin/post.
    #[arg(long, env = "STEMME_SMTP_URL")]
    pub smtp_url: Option<SmtpUrl>,

    /// The sender of every mail, e.g. `Ungerådet <ungeraad@kommune.dk>`.
    #[arg(
        long,
        env = "STEMME_MAIL_FROM",
        default_value = "Stemme <stemme@localhost>"
    )]
    pub mail_from: String,

    /// Where replies go, when not to the sender.
    #[arg(long, env = "STEMME_MAIL_REPLY_TO")]
    pub mail_reply_to: Option<String>,

    /// The site's address as people reach it, for links in mails (e.g.
    /// `https://stemme.kommune.dk`). Default: `http://` and the listening address.
    #[arg(long, env = "STEMME_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Milliseconds between looks at the outbox.
    #[arg(long, env = "STEMME_MAIL_POLL_MS", default_value_t = 1000)]
    pub mail_poll_ms: u64,

    /// Seconds before the first retry of a mail the SMTP server could not take; the wait
    /// doubles per attempt, up to an hour.
    #[arg(long, env = "STEMME_MAIL_RETRY_SECS", default_value_t = 30)]
    pub mail_retry_secs: u64,

    /// Seconds a server instance holds a mail it is sending; if it dies, another instance
    /// (or itself, restarted) takes the mail over after this.
    #[arg(long, env = "STEMME_MAIL_LEASE_SECS", default_value_t = 120)]
    pub mail_lease_secs: u64,
}

/// An SMTP URL. It may hold a password, so it never appears in a log or in `Debug`.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::str::FromStr for SmtpUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.starts_with("smtp://") || s.starts_with("smtps://") {
            Ok(Self(s.to_owned()))
        } else {
            Err("an SMTP URL starts with smtp:// or smtps://".to_owned())
        }
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpUrl(…)")
    }
}

impl MailConfig {
    /// No SMTP server, default settings otherwise (mail stays in the outbox).
    pub fn off() -> Self {
        Self {
            smtp_url: None,
            mail_from: "Stemme <stemme@localhost>".to_owned(),
            mail_reply_to: None,
            public_url: None,
            mail_poll_ms: 1000,
            mail_retry_secs: 30,
            mail_lease_secs: 120,
        }
    }

    /// The public address for links, without a trailing slash.
    pub fn public_url(&self, addr: SocketAddr) -> String {
        match &self.public_url {
            Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
            _ => format!("http://{addr}"),
        }
    }
}
