//! E-mail verification and password reset (#19): what they need beyond the outbox and the
//! mail tokens themselves (`db::mail`).
use super::DbError;
use crate::domain::ids::UserId;
use crate::domain::mail::TokenPurpose;
use chrono::{DateTime, Utc};

type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;

/// Whether `token` is a verification token (valid, spent or expired) whose person's address
/// is verified now: a second press of the same link is no error, the address is verified.
pub async fn verify_token_owner_verified_tx(tx: &mut Tx<'_>, token: &str) -> Result<bool, DbError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let at: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT u.email_verified_at FROM mail_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.purpose = $2 AND u.status <> 'deleted'",
    )
    .bind(super::mail::token_hash(token))
    .bind(TokenPurpose::Verify.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(matches!(at, Some(Some(_))))
}

/// Ends every session of `user`, inside the caller's transaction (a password reset).
pub async fn end_sessions_tx(tx: &mut Tx<'_>, user: UserId) -> Result<u64, DbError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Forgets the unused reset tokens of `user` (after one of them was used: the other links
/// in their inbox stop working).
pub async fn drop_reset_tokens_tx(tx: &mut Tx<'_>, user: UserId) -> Result<(), DbError> {
    sqlx::query("DELETE FROM mail_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(user.0)
        .bind(TokenPurpose::Reset.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the account with `email` got a reset link after `since` that is still unused:
/// a repeated request (a double click) then writes no second mail, as the first is on
/// its way. False for an address without an account.
pub async fn recent_reset_tx(
    tx: &mut Tx<'_>,
    email: &str,
    since: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM mail_tokens t JOIN users u ON u.id = t.user_id \
         WHERE u.email = $1 AND u.status <> 'deleted' AND t.purpose = $2 \
         AND t.used_at IS NULL AND t.created_at > $3",
    )
    .bind(email)
    .bind(TokenPurpose::Reset.as_str())
    .bind(since.timestamp_micros())
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}
