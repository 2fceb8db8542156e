//! Installation settings (key/value), set by the coordinator.
use super::time::now_micros;
use super::DbError;
use sqlx::AnyPool;

pub const PRE_MODERATION: &str = "pre_moderation";

pub async fn get(pool: &AnyPool, key: &str) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn set(pool: &AnyPool, key: &str, value: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now_micros())
    .execute(pool)
    .await?;
    Ok(())
}

/// Is pre-moderation on (new proposals wait for a moderator)?
pub async fn pre_moderation(pool: &AnyPool) -> Result<bool, DbError> {
    Ok(get(pool, PRE_MODERATION).await?.as_deref() == Some("on"))
}
