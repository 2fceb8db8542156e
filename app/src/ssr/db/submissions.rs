//! One-time form submissions: the hash of a form's token, claimed in the transaction that
//! creates what the form asks for. See `ssr::once`.
use super::time::now_micros;
use super::DbError;
use crate::domain::ids::UserId;
use sqlx::{Any, AnyPool, Transaction};

/// A verified one-time token: its hash, whose it is and which form it was used for.
#[derive(Debug, Clone)]
pub struct Once {
    pub hash: String,
    pub user: UserId,
    pub kind: &'static str,
}

/// Claims the token inside `tx`: `true` when this request is the first to use it. A
/// replay waits for the first one's transaction (row lock on PostgreSQL, the write lock
/// on SQLite) and gets `false`.
pub async fn claim(tx: &mut Transaction<'static, Any>, once: &Once) -> Result<bool, DbError> {
    let n = sqlx::query(
        "INSERT INTO form_submissions (token_hash, user_id, kind, result, created_at) \
         VALUES ($1, $2, $3, '', $4) ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(&once.hash)
    .bind(once.user.0)
    .bind(once.kind)
    .bind(now_micros())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Claims the token or ends the transaction as a replay ([`DbError::Replayed`]).
pub async fn claim_or_replay(
    tx: &mut Transaction<'static, Any>,
    once: &Once,
) -> Result<(), DbError> {
    if claim(tx, once).await? {
        Ok(())
    } else {
        Err(DbError::Replayed)
    }
}

/// Records what the first submission created (e.g. the new row's id), in its transaction.
pub async fn settle(
    tx: &mut Transaction<'static, Any>,
    once: &Once,
    result: &str,
) -> Result<(), DbError> {
    sqlx::query("UPDATE form_submissions SET result = $1 WHERE token_hash = $2")
        .bind(result)
        .bind(&once.hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The submission made with this token, if any: whose, which form, what it created (`""`
/// when it created nothing with an id). One read, so a submission committing meanwhile is
/// seen whole or not at all.
pub async fn lookup(
    pool: &AnyPool,
    once: &Once,
) -> Result<Option<(UserId, String, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct SubmissionRow {
        user_id: UserId,
        kind: String,
        result: String,
    }
    let row: Option<SubmissionRow> =
        sqlx::query_as("SELECT user_id, kind, result FROM form_submissions WHERE token_hash = $1")
            .bind(&once.hash)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|r| (r.user_id, r.kind, r.result)))
}

/// Forgets submissions older than `days` (their tokens have expired anyway).
pub async fn prune(pool: &AnyPool, days: i64) -> Result<u64, DbError> {
    Ok(
        sqlx::query("DELETE FROM form_submissions WHERE created_at < $1")
            .bind(now_micros() - days * 24 * 3600 * 1_000_000)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
