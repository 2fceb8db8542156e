//! Rate limits kept in the database, so they hold across server instances.
use super::time::now_micros;
use super::DbError;
use sqlx::AnyPool;

/// Records one event in `bucket` and returns how many the bucket has had in the last
/// `window_secs` seconds, this one included. The event is recorded before it is judged,
/// so parallel requests cannot all slip under the limit.
pub async fn hit(pool: &AnyPool, bucket: &str, window_secs: i64) -> Result<i64, DbError> {
    let now = now_micros();
    let bucket: String = bucket.chars().take(200).collect();
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
        .bind(&bucket)
        .bind(now)
        .execute(pool)
        .await?;
    // Keep the table small: nothing is limited over more than a day.
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
