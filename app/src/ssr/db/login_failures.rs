//! Failed logins per e-mail address, for throttling password guessing. Kept in the
//! database so that the limit holds across server instances.
use super::time::now_micros;
use super::DbError;
use sqlx::AnyPool;

/// Failed logins for `email_key` in the last `window_secs` seconds.
pub async fn recent(pool: &AnyPool, email_key: &str, window_secs: i64) -> Result<i64, DbError> {
    let since = now_micros() - window_secs * 1_000_000;
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email_key = $1 AND at > $2")
            .bind(email_key)
            .bind(since)
            .fetch_one(pool)
            .await?;
    Ok(n)
}

pub async fn record(pool: &AnyPool, email_key: &str) -> Result<(), DbError> {
    let now = now_micros();
    sqlx::query("INSERT INTO login_failures (email_key, at) VALUES ($1, $2)")
        .bind(email_key)
        .bind(now)
        .execute(pool)
        .await?;
    // Old rows are of no use; keep the table small.
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(now - 24 * 3600 * 1_000_000)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn clear(pool: &AnyPool, email_key: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM login_failures WHERE email_key = $1")
        .bind(email_key)
        .execute(pool)
        .await?;
    Ok(())
}
