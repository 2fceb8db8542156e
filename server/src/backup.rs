//! `server backup FILE` and `server restore FILE`: a consistent copy of the database taken
//! while the site runs, and putting such a copy back.
//!
//! - SQLite: `VACUUM INTO` (one read transaction: a single moment, writers carry on). The
//!   copy is checked with `PRAGMA integrity_check` before it gets its final name.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot) and `pg_restore --clean
//!   --single-transaction` (all or nothing). Both tools must be on `PATH`, of the server's
//!   major version or newer.
//!
//! Nothing is overwritten without a copy: a backup refuses an existing FILE, and a restore
//! first saves the current database.
use anyhow::{bail, ensure, Context};
use app::ssr::db::{sqlite_file, Backend, Db};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a backup wrote.
#[derive(Debug)]
pub struct BackupReport {
    pub bytes: u64,
    pub tables: usize,
    pub rows: i64,
}

/// What a restore put back.
#[derive(Debug)]
pub struct RestoreReport {
    pub tables: usize,
    pub rows: i64,
    pub schema_version: i64,
    /// Where the database as it was before the restore was saved.
    pub saved_before: PathBuf,
}

/// Writes a consistent copy of the database at `url` to `file` (which must not exist).
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<BackupReport> {
    ensure!(
        !file.exists(),
        "{} exists already; choose a new file name",
        file.display()
    );
    let partial = with_suffix(file, "partial");
    remove_if_present(&partial)?;
    let db = Db::connect(url, 2).await.context("opening the database")?;
    let (tables, rows) = totals(&db).await?;
    match db.backend() {
        Backend::Sqlite => {
            db.sqlite_copy_to(&path_text(&partial)?)
                .await
                .context("copying the database (VACUUM INTO)")?;
            db.close().await;
            check_sqlite_copy(&partial).await?;
        }
        Backend::Postgres => {
            db.close().await;
            pg_dump(url, &partial)?;
            run(Command::new("pg_restore").arg("--list").arg(&partial))
                .context("reading the dump back (pg_restore --list)")?;
        }
    }
    sync_file(&partial)?;
    std::fs::rename(&partial, file)
        .with_context(|| format!("naming the copy {}", file.display()))?;
    sync_parent(file)?;
    let bytes = std::fs::metadata(file)?.len();
    tracing::info!(bytes, tables, rows, "backup written");
    Ok(BackupReport {
        bytes,
        tables,
        rows,
    })
}

/// Replaces the database at `url` with the copy in `file`. The site should be stopped.
pub async fn restore(url: &str, file: &Path) -> anyhow::Result<RestoreReport> {
    ensure!(file.is_file(), "{} is not a file", file.display());
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let backend = Backend::from_url(url).context("unsupported database URL")?;
    let saved_before = match backend {
        Backend::Sqlite => restore_sqlite(url, file, &stamp).await?,
        Backend::Postgres => restore_postgres(url, file, &stamp).await?,
    };
    // The copy may be older than this program: bring its schema up to date.
    let db = Db::connect(url, 2)
        .await
        .context("opening the restored database")?;
    db.migrate()
        .await
        .context("migrating the restored database")?;
    let schema_version = db.health().await?;
    let (tables, rows) = totals(&db).await?;
    db.close().await;
    tracing::info!(tables, rows, schema_version, "database restored");
    Ok(RestoreReport {
        tables,
        rows,
        schema_version,
        saved_before,
    })
}

async fn restore_sqlite(url: &str, file: &Path, stamp: &str) -> anyhow::Result<PathBuf> {
    let target = sqlite_file(url).context("the database URL names no file")?;
    // Check a copy of the backup, never the backup itself (opening it could change it).
    let incoming = with_suffix(&target, "restoring");
    remove_if_present(&incoming)?;
    std::fs::copy(file, &incoming).with_context(|| format!("reading {}", file.display()))?;
    if let Err(e) = check_sqlite_copy(&incoming).await {
        remove_if_present(&incoming)?;
        return Err(e.context(format!("{} is not a usable Stemme backup", file.display())));
    }
    let saved = with_suffix(&target, &format!("before-restore-{stamp}"));
    if target.exists() {
        let current = Db::connect(url, 1).await.context("opening the database")?;
        current
            .sqlite_copy_to(&path_text(&saved)?)
            .await
            .context("saving the current database before the restore")?;
        current.close().await;
    }
    // A write-ahead log left beside the old file must never be replayed into the new one.
    for side in ["wal", "shm"] {
        remove_if_present(&with_suffix(&target, side))?;
    }
    sync_file(&incoming)?;
    std::fs::rename(&incoming, &target)
        .with_context(|| format!("replacing {}", target.display()))?;
    sync_parent(&target)?;
    Ok(saved)
}

async fn restore_postgres(url: &str, file: &Path, stamp: &str) -> anyhow::Result<PathBuf> {
    run(Command::new("pg_restore").arg("--list").arg(file))
        .with_context(|| format!("{} is not a pg_dump archive", file.display()))?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let saved = dir.join(format!("stemme-before-restore-{stamp}.dump"));
    pg_dump(url, &saved).context("saving the current database before the restore")?;
    run(Command::new("pg_restore")
        .args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ])
        .arg(format!("--dbname={url}"))
        .arg(file))
    .context("restoring (pg_restore); nothing was changed")?;
    Ok(saved)
}

fn pg_dump(url: &str, to: &Path) -> anyhow::Result<()> {
    run(Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges"])
        .arg(format!("--file={}", path_text(to)?))
        .arg(format!("--dbname={url}")))
    .context("copying the database (pg_dump)")
}

/// Opens a SQLite copy and checks it is sound and is a Stemme database.
async fn check_sqlite_copy(path: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}", path_text(path)?);
    let copy = Db::connect(&url, 1).await.context("opening the copy")?;
    let sound = copy.sqlite_integrity_ok().await;
    let version = copy.health().await;
    copy.close().await;
    ensure!(
        sound.context("checking the copy")?,
        "the copy fails SQLite's integrity check"
    );
    let version = version.context("the copy has no Stemme schema")?;
    ensure!(version > 0, "the copy has no Stemme schema");
    Ok(())
}

async fn totals(db: &Db) -> anyhow::Result<(usize, i64)> {
    let rows = db.table_rows().await.context("counting rows")?;
    Ok((rows.len(), rows.iter().map(|(_, n)| n).sum()))
}

/// Runs a tool; its error output becomes the error.
fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd
        .output()
        .with_context(|| format!("starting {program} (is it installed and on PATH?)"))?;
    if !out.status.success() {
        bail!(
            "{program} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

fn path_text(p: &Path) -> anyhow::Result<String> {
    p.to_str()
        .map(str::to_owned)
        .with_context(|| format!("{} is not a UTF-8 path", p.display()))
}

/// `a/b.db` + `wal` → `a/b.db-wal` (SQLite's naming for files beside a database).
fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push("-");
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_if_present(p: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("removing {}", p.display())),
    }
}

fn sync_file(p: &Path) -> anyhow::Result<()> {
    std::fs::File::open(p)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing {}", p.display()))
}

/// Makes a rename durable: the directory entry is synced too.
fn sync_parent(p: &Path) -> anyhow::Result<()> {
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_files_are_named_like_sqlite_does() {
        assert_eq!(
            with_suffix(Path::new("data/stemme.db"), "wal"),
            PathBuf::from("data/stemme.db-wal")
        );
    }
}
