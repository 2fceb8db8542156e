//! Installation settings (key/value), set by the coordinator.
use super::time::now_micros;
use super::DbError;
use crate::domain::setup::Profile;
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
    set_on(pool, key, value).await
}

/// [`set`] inside a transaction the caller commits (with its audit entry).
pub async fn set_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &str,
    value: &str,
) -> Result<(), DbError> {
    set_on(&mut **tx, key, value).await
}

async fn set_on<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    key: &str,
    value: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now_micros())
    .execute(executor)
    .await?;
    Ok(())
}

/// Stores `value` under `key` unless the key is already set (two instances starting at
/// once keep the same value).
pub async fn insert_if_absent(pool: &AnyPool, key: &str, value: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
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

const PROFILE_KEYS: [&str; 6] = [
    "municipality_name",
    "accessibility_contact",
    "answer_weeks",
    "consent_age",
    "pool_min_age",
    "default_committee",
];

/// The municipality's profile; what was never set takes its default.
pub async fn profile(pool: &AnyPool) -> Result<Profile, DbError> {
    #[derive(sqlx::FromRow)]
    struct Setting {
        key: String,
        value: String,
    }
    let rows: Vec<Setting> =
        sqlx::query_as("SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4, $5, $6)")
            .bind(PROFILE_KEYS[0])
            .bind(PROFILE_KEYS[1])
            .bind(PROFILE_KEYS[2])
            .bind(PROFILE_KEYS[3])
            .bind(PROFILE_KEYS[4])
            .bind(PROFILE_KEYS[5])
            .fetch_all(pool)
            .await?;
    let mut p = Profile::default();
    for Setting { key, value } in rows {
        match key.as_str() {
            "municipality_name" => p.name = value,
            "accessibility_contact" => p.accessibility_contact = value,
            "answer_weeks" => {
                if let Some(w) = crate::domain::proposal::parse_answer_weeks(&value) {
                    p.answer_weeks = w;
                }
            }
            "consent_age" => {
                if let Some(a) = value.parse().ok().filter(|a| *a == 13 || *a == 15) {
                    p.consent_age = a;
                }
            }
            "pool_min_age" => {
                if let Some(a) = value.parse().ok().filter(|a| (13..=25).contains(a)) {
                    p.pool_min_age = a;
                }
            }
            "default_committee" => p.default_committee = value.parse().ok(),
            _ => {}
        }
    }
    Ok(p)
}

/// Saves the whole profile in one transaction.
pub async fn save_profile(pool: &AnyPool, p: &Profile) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    save_profile_tx(&mut tx, p).await?;
    tx.commit().await?;
    Ok(())
}

/// [`save_profile`] inside a transaction the caller commits (with its audit entry).
pub async fn save_profile_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    p: &Profile,
) -> Result<(), DbError> {
    let values = [
        p.name.clone(),
        p.accessibility_contact.clone(),
        p.answer_weeks.to_string(),
        p.consent_age.to_string(),
        p.pool_min_age.to_string(),
        p.default_committee
            .map(|c| c.to_string())
            .unwrap_or_default(),
    ];
    let now = now_micros();
    for (key, value) in PROFILE_KEYS.iter().zip(values) {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(*key)
        .bind(value)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
