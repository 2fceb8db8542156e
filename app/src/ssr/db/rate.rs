//! Rate limits kept in the database, so they hold across server instances.
use super::time::now_micros;
use super::DbError;
use sqlx::AnyPool;

/// One recorded event, which can be given back when the request it let through was
/// refused after all (a wrong field, a replay): refused attempts do not count.
#[derive(Debug, Clone)]
pub struct RateEvent {
    pub bucket: String,
    pub at: i64,
}

/// Takes one event from `bucket` if it has had fewer than `max` in the last `window_secs`
/// seconds; `None` when the limit is reached (nothing recorded). Counting and recording
/// happen under the bucket's row lock, so parallel requests are judged one at a time:
/// exactly `max` get through, whatever the interleaving.
pub async fn take(
    pool: &AnyPool,
    bucket: &str,
    max: i64,
    window_secs: i64,
) -> Result<Option<RateEvent>, DbError> {
    let now = now_micros();
    let bucket: String = bucket.chars().take(200).collect();
    let mut tx = super::write_tx(pool).await?;
    super::lock(&mut tx, &format!("rate:{bucket}")).await?;
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2")
            .bind(&bucket)
            .bind(now - window_secs * 1_000_000)
            .fetch_one(&mut *tx)
            .await?;
    if n >= max {
        tx.rollback().await?;
        return Ok(None);
    }
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
        .bind(&bucket)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // Keep the tables small: nothing is limited over more than a day.
    let old = now - 24 * 3600 * 1_000_000;
    sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(old)
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM locks WHERE at < $1")
        .bind(old)
        .execute(pool)
        .await?;
    Ok(Some(RateEvent { bucket, at: now }))
}

/// Gives an event back (the request it let through stored nothing).
pub async fn give_back(pool: &AnyPool, event: &RateEvent) -> Result<(), DbError> {
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND at = $2")
        .bind(&event.bucket)
        .bind(event.at)
        .execute(pool)
        .await?;
    Ok(())
}

/// Records one event in `bucket` and returns how many the bucket has had in the last
/// `window_secs` seconds, this one included (failed log-ins: every attempt counts).
pub async fn hit(pool: &AnyPool, bucket: &str, window_secs: i64) -> Result<i64, DbError> {
    let now = now_micros();
    let bucket: String = bucket.chars().take(200).collect();
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
        .bind(&bucket)
        .bind(now)
        .execute(pool)
        .await?;
    sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(now - 24 * 3600 * 1_000_000)
        .execute(pool)
        .await?;
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2")
            .bind(&bucket)
            .bind(now - window_secs * 1_000_000)
            .fetch_one(pool)
            .await?;
    Ok(n)
}

/// How many events `bucket` has had in the last `window_secs` seconds (nothing recorded).
pub async fn count(pool: &AnyPool, bucket: &str, window_secs: i64) -> Result<i64, DbError> {
    let bucket: String = bucket.chars().take(200).collect();
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2")
            .bind(&bucket)
            .bind(now_micros() - window_secs * 1_000_000)
            .fetch_one(pool)
            .await?;
    Ok(n)
}
