//! The database: one pool that speaks SQLite (default) or PostgreSQL, chosen by URL.
//! All SQL lives under this module.
//!
//! Queries use `$1`-style parameters, which both SQLite and PostgreSQL accept,
//! and store time as integer microseconds since the Unix epoch (UTC).
pub mod account_mail;
pub mod answers;
pub mod audit;
pub mod backup;
pub mod councils;
pub mod decode;
pub mod exports;
pub mod feeds;
pub mod form_flash;
pub mod heard_hearings;
pub mod hearing_files;
pub mod hearings;
pub mod identities;
pub mod influence;
pub mod live;
pub mod login_failures;
pub mod mail;
pub mod moderation;
pub mod notifications;
pub mod oparl;
pub mod pool;
pub mod proposals;
pub mod rate;
pub mod schools;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod submissions;
pub mod supports;
pub mod time;
pub mod users;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database engine a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from a database URL.
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// A connection pool plus the backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// The secret that signs one-time form tokens, read once.
    form_secret: std::sync::Arc<tokio::sync::OnceCell<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite:… or postgres://…)")]
    UnsupportedUrl,
    #[error("could not create the database directory: {0}")]
    Directory(#[from] std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A uniqueness rule was hit; the message is safe to show.
    #[error("conflict: {}", .0.code())]
    Conflict(crate::domain::message::Msg),
    /// The one-time form token was already used: this request is a replay of one that
    /// created something (see [`submissions`]); nothing was stored.
    #[error("form already submitted")]
    Replayed,
}

/// Takes the named lock `name` until `tx` ends (a row in `locks`, upserted: PostgreSQL
/// holds its row lock, SQLite the database's write lock), so that transactions on the same
/// name run one after the other.
pub async fn lock(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    name: &str,
) -> Result<(), DbError> {
    let name: String = name.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO locks (name, at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET at = excluded.at",
    )
    .bind(name)
    .bind(time::now_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Begins a transaction that writes. SQLite: `BEGIN IMMEDIATE`, so the write lock is taken
/// at the start: a deferred transaction that reads and then writes fails at once with
/// SQLITE_BUSY when another one wrote in between (the busy timeout cannot help it), which
/// is exactly what two identical posts at once do. PostgreSQL: a plain `BEGIN`; the
/// statements' own row locks and conditions order concurrent writers.
pub async fn write_tx(pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
    Ok(if is_sqlite(pool) {
        pool.begin_with("BEGIN IMMEDIATE").await?
    } else {
        pool.begin().await?
    })
}

/// Whether the pool is SQLite's (else PostgreSQL's).
pub fn is_sqlite(pool: &AnyPool) -> bool {
    pool.connect_options()
        .database_url
        .scheme()
        .starts_with("sqlite")
}

/// True when the error is a UNIQUE constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

impl Db {
    /// Connects to `url`. For SQLite the file and its directory are created,
    /// WAL mode and foreign keys are switched on for every connection, and every commit
    /// is synced to disk before it is acknowledged (`synchronous = FULL`): an answered
    /// vote survives a power cut, not only a crash of the process. Each connection keeps at
    /// most 1 MiB of pages in memory (SQLite's default is 2 MiB; see BENCHMARKS.md, RSS).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or(DbError::UnsupportedUrl)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; \
                             PRAGMA cache_size = -1024;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            backend,
            form_secret: Default::default(),
        })
    }

    /// Brings the schema up to date. Safe to call on every start, from several
    /// instances at once (sqlx takes a lock on PostgreSQL).
    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        if self.backend == Backend::Sqlite {
            widen_council_kinds(&self.pool).await?;
            widen_users_check(&self.pool).await?;
        }
        // The secret that signs one-time form tokens (crate::ssr::once), made once.
        let mut bytes = [0u8; 32];
        argon2::password_hash::rand_core::RngCore::fill_bytes(
            &mut argon2::password_hash::rand_core::OsRng,
            &mut bytes,
        );
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        settings::insert_if_absent(&self.pool, "form_secret", &secret).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The installation's form-token secret (made by `migrate`, or here when missing),
    /// read from the database once per process.
    pub async fn form_secret(&self) -> Result<String, DbError> {
        self.form_secret
            .get_or_try_init(|| async {
                if let Some(s) = settings::get(&self.pool, "form_secret").await? {
                    return Ok(s);
                }
                let mut bytes = [0u8; 32];
                argon2::password_hash::rand_core::RngCore::fill_bytes(
                    &mut argon2::password_hash::rand_core::OsRng,
                    &mut bytes,
                );
                let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                settings::insert_if_absent(&self.pool, "form_secret", &secret).await?;
                Ok(settings::get(&self.pool, "form_secret")
                    .await?
                    .unwrap_or(secret))
            })
            .await
            .cloned()
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A round trip to the database, reading the applied schema version.
    pub async fn health(&self) -> Result<i64, DbError> {
        let version: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations")
                .fetch_one(&self.pool)
                .await?;
        Ok(version)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// SQLite: widens the councils' kind CHECK to the fourth kind ('anden', another youth body)
/// and adds the age-order CHECK, by rebuilding the table (SQLite's documented procedure:
/// foreign keys off, outside a transaction, then the copy in one). sqlx runs migrations in
/// a transaction, where `PRAGMA foreign_keys` cannot change, so it happens here, once: the
/// stored schema says whether it is done. The copy takes every column as it is.
async fn widen_council_kinds(pool: &AnyPool) -> Result<(), DbError> {
    const OLD: &str = "'faelles_elevraad')";
    const NEW: &str = "'faelles_elevraad', 'anden')";
    let sql: Option<String> = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'councils'",
    )
    .fetch_optional(pool)
    .await?;
    let Some(sql) = sql.filter(|s| s.contains(OLD)) else {
        return Ok(());
    };
    let Some(end) = sql.rfind(')') else {
        return Ok(());
    };
    let create = format!(
        "{}, CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age))",
        &sql[..end]
    )
    .replacen(OLD, NEW, 1);
    rebuild_sqlite_table(pool, "councils", &create).await?;
    tracing::info!("councils table rebuilt with the fourth council kind");
    Ok(())
}

/// SQLite: lets a live account without a password (made from an OpenID Connect login) have
/// no e-mail address or birth year, as migration 0019 does on PostgreSQL: the users table
/// is rebuilt with the narrower CHECK (SQLite cannot drop one), by the same procedure as
/// [`widen_council_kinds`]. The table's indexes and triggers are made again after the copy.
async fn widen_users_check(pool: &AnyPool) -> Result<(), DbError> {
    const OLD: &str = "CHECK (status = 'deleted' OR (email IS NOT NULL AND password_hash IS NOT NULL AND birth_year IS NOT NULL))";
    const NEW: &str = "CONSTRAINT users_live_login_check CHECK (status = 'deleted' OR password_hash IS NULL OR email IS NOT NULL)";
    let sql: Option<String> =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")
            .fetch_optional(pool)
            .await?;
    let Some(sql) = sql.filter(|s| s.contains(OLD)) else {
        return Ok(());
    };
    let create = sql.replacen(OLD, NEW, 1);
    rebuild_sqlite_table(pool, "users", &create).await?;
    tracing::info!("users table rebuilt: accounts from a login may lack e-mail and birth year");
    Ok(())
}

/// SQLite's documented way to change a table's constraints: with foreign keys off (outside
/// a transaction, where the pragma can change), in one transaction make the table anew from
/// `create` (its `CREATE TABLE {table}` statement, changed), copy every row, drop the old
/// table, rename the new one, and make its indexes and triggers again.
async fn rebuild_sqlite_table(pool: &AnyPool, table: &str, create: &str) -> Result<(), DbError> {
    let create = create.replacen(
        &format!("CREATE TABLE {table}"),
        &format!("CREATE TABLE {table}_new"),
        1,
    );
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE tbl_name = $1 AND type IN ('index', 'trigger') \
         AND sql IS NOT NULL ORDER BY type, name",
    )
    .bind(table)
    .fetch_all(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let rebuilt = async {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::query(&create).execute(&mut *tx).await?;
        sqlx::query(&format!("INSERT INTO {table}_new SELECT * FROM {table}"))
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!("DROP TABLE {table}"))
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!("ALTER TABLE {table}_new RENAME TO {table}"))
            .execute(&mut *tx)
            .await?;
        for other in &others {
            sqlx::query(other).execute(&mut *tx).await?;
        }
        tx.commit().await
    }
    .await;
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    Ok(rebuilt?)
}

/// The file a `sqlite:` URL names, if it names one (not `:memory:`).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// Makes sure a SQLite URL creates its file, and that the directory exists.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("sqlite://data/x.db"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://h/db"), None);
    }

    #[test]
    fn sqlite_file_from_url() {
        assert_eq!(
            sqlite_file("sqlite://data/x.db?mode=rwc"),
            Some(std::path::PathBuf::from("data/x.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:/tmp/y.db"),
            Some(std::path::PathBuf::from("/tmp/y.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }

    #[test]
    fn sqlite_url_gets_create_mode() {
        let dir = std::env::temp_dir().join("stemme-url-test");
        let url = format!("sqlite://{}/a.db", dir.display());
        let prepared = prepare_sqlite_url(&url).unwrap_or_default();
        assert!(prepared.ends_with("a.db?mode=rwc"), "{prepared}");
        assert!(dir.is_dir());
    }
}
