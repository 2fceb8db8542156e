//! A hearing's background files (PDF), kept in the database so that a backup holds them.
//! The rules are in `domain::hearing_file`; the database checks the size and the name's
//! length again, and `UNIQUE (hearing_id, sha256)` makes the same bytes twice one file.
use super::time::now_micros;
use super::{lock, write_tx, DbError};
use crate::domain::hearing_file::{check_count, FileRefusal, HearingFile};
use crate::domain::ids::{HearingFileId, HearingId, UserId};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};

/// Who may add files to a hearing, read from the hearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadTarget {
    pub sender: UserId,
    /// The hearing takes files while its status is `open` (until feedback is given).
    pub open: bool,
}

/// The hearing's sender and whether it is open; `None` when there is no such hearing.
pub async fn upload_target(
    pool: &AnyPool,
    hearing: HearingId,
) -> Result<Option<UploadTarget>, DbError> {
    let row = sqlx::query("SELECT sender_id, status FROM hearings WHERE id = $1")
        .bind(hearing.0)
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        Ok(UploadTarget {
            sender: UserId(r.try_get("sender_id")?),
            open: r.try_get::<String, _>("status")? == "open",
        })
    })
    .transpose()
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// What [`insert`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A new file.
    New(HearingFile),
    /// The hearing had these bytes already: that file (under the name it was first given).
    Existing(HearingFile),
}

impl Stored {
    pub fn file(&self) -> &HearingFile {
        match self {
            Self::New(f) | Self::Existing(f) => f,
        }
    }
}

/// Stores a file that passed `domain::hearing_file::check_file`. Idempotent: the same bytes
/// again for the same hearing are the file stored before. Refused when the hearing is
/// gone or no longer open, or has its [`MAX_FILES`](crate::domain::hearing_file::MAX_FILES)
/// already; uploads to one hearing take turns (a lock), so two at once cannot make eleven.
pub async fn insert(
    pool: &AnyPool,
    hearing: HearingId,
    name: &str,
    bytes: &[u8],
    by: UserId,
) -> Result<Result<Stored, FileRefusal>, DbError> {
    let sha = sha256_hex(bytes);
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let mut tx = write_tx(pool).await?;
    lock(&mut tx, &format!("hearing_files:{}", hearing.0)).await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM hearings WHERE id = $1")
        .bind(hearing.0)
        .fetch_optional(&mut *tx)
        .await?;
    match status.as_deref() {
        None => return Ok(Err(FileRefusal::NotFound)),
        Some("open") => {}
        Some(_) => return Ok(Err(FileRefusal::Closed)),
    }
    let existing = sqlx::query(
        "SELECT id, name, size FROM hearing_files WHERE hearing_id = $1 AND sha256 = $2",
    )
    .bind(hearing.0)
    .bind(&sha)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = existing {
        let file = file_of(&row)?;
        tx.commit().await?;
        return Ok(Ok(Stored::Existing(file)));
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hearing_files WHERE hearing_id = $1")
        .bind(hearing.0)
        .fetch_one(&mut *tx)
        .await?;
    if let Err(refusal) = check_count(n) {
        return Ok(Err(refusal));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hearing_files (hearing_id, name, size, sha256, content, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(hearing.0)
    .bind(name)
    .bind(size)
    .bind(&sha)
    .bind(bytes.to_vec())
    .bind(by.0)
    .bind(now_micros())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(Stored::New(HearingFile {
        id: HearingFileId(id),
        name: name.to_owned(),
        size,
    })))
}

fn file_of(row: &sqlx::any::AnyRow) -> Result<HearingFile, DbError> {
    Ok(HearingFile {
        id: HearingFileId(row.try_get("id")?),
        name: row.try_get("name")?,
        size: row.try_get("size")?,
    })
}

/// A hearing's files, oldest first (no content).
pub async fn list(pool: &AnyPool, hearing: HearingId) -> Result<Vec<HearingFile>, DbError> {
    let rows =
        sqlx::query("SELECT id, name, size FROM hearing_files WHERE hearing_id = $1 ORDER BY id")
            .bind(hearing.0)
            .fetch_all(pool)
            .await?;
    rows.iter().map(file_of).collect()
}

/// How many files a hearing has.
pub async fn count(pool: &AnyPool, hearing: HearingId) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM hearing_files WHERE hearing_id = $1")
            .bind(hearing.0)
            .fetch_one(pool)
            .await?,
    )
}

/// One file with its bytes, for serving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileContent {
    pub file: HearingFile,
    pub hearing: HearingId,
    /// Hex SHA-256 of the content (the `ETag`).
    pub sha256: String,
    pub content: Vec<u8>,
}

/// The file `id` with its content, or `None`.
pub async fn fetch(pool: &AnyPool, id: HearingFileId) -> Result<Option<FileContent>, DbError> {
    let row = sqlx::query(
        "SELECT id, name, size, hearing_id, sha256, content FROM hearing_files WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(FileContent {
            file: file_of(&r)?,
            hearing: HearingId(r.try_get("hearing_id")?),
            sha256: r.try_get("sha256")?,
            content: r.try_get("content")?,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
