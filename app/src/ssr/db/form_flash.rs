//! Refused form posts, kept briefly so the form comes back filled in.
use super::time::now_micros;
use super::DbError;
use sqlx::AnyPool;

/// How long a refused form is kept.
const KEEP_MICROS: i64 = 30 * 60 * 1_000_000;

pub async fn put(pool: &AnyPool, token: &str, body: &str) -> Result<(), DbError> {
    let now = now_micros();
    sqlx::query("DELETE FROM form_flash WHERE created_at < $1")
        .bind(now - KEEP_MICROS)
        .execute(pool)
        .await?;
    sqlx::query("INSERT INTO form_flash (token, body, created_at) VALUES ($1, $2, $3)")
        .bind(token)
        .bind(body)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn get(pool: &AnyPool, token: &str) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT body FROM form_flash WHERE token = $1 AND created_at >= $2")
            .bind(token)
            .bind(now_micros() - KEEP_MICROS)
            .fetch_optional(pool)
            .await?,
    )
}
