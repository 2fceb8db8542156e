//! The session store for tower-sessions, in our own database, so that any number of
//! server instances can share sessions.
use super::time::now_micros;
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// Sessions expire after a period without a visit, so every request would write the
/// session back only to move its expiry. A write that changes nothing but the expiry, by
/// less than this, is skipped: a session may end up to an hour before "14 days after the
/// last visit", and a logged-in request costs no database write (see BENCHMARKS.md).
pub const EXPIRY_REFRESH_MICROS: i64 = 3_600 * 1_000_000;

/// A session ends this many days after the last visit.
pub const INACTIVITY_DAYS: i64 = 14;

/// At most this many loaded-but-not-yet-saved sessions are remembered (then forgotten,
/// which only costs a write each).
const SEEN_MAX: usize = 50_000;

type SessionData = HashMap<String, serde_json::Value>;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    pool: AnyPool,
    /// Per session id: the data and expiry as `load` read them.
    seen: Arc<Mutex<HashMap<String, (SessionData, i64)>>>,
}

impl DbSessionStore {
    pub fn new(pool: AnyPool) -> Self {
        Self {
            pool,
            seen: Arc::default(),
        }
    }

    fn remember(&self, id: &Id, data: &SessionData, expiry: i64) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() >= SEEN_MAX {
                seen.clear();
            }
            seen.insert(id.to_string(), (data.clone(), expiry));
        }
    }

    /// True when the stored session already has this data and an expiry close enough.
    /// The entry stays: several requests of one session may run at once (a page and its
    /// server function calls), and none of them needs to write.
    fn unchanged(&self, record: &Record) -> bool {
        let Ok(seen) = self.seen.lock() else {
            return false;
        };
        match seen.get(&record.id.to_string()) {
            Some((stored, expiry)) => {
                *stored == record.data && expiry_micros(record) - expiry < EXPIRY_REFRESH_MICROS
            }
            None => false,
        }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// The session key that holds the logged-in user's id.
pub const USER_ID_KEY: &str = "user_id";

fn user_id(record: &Record) -> Option<i64> {
    record.data.get(USER_ID_KEY).and_then(|v| v.as_i64())
}

fn expiry_micros(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1000) as i64
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // Retry on the (astronomically unlikely) id collision.
        for _ in 0..3 {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, data, expiry_date, user_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(expiry_micros(record))
            .bind(user_id(record))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(backend("could not allocate a session id"))
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        if self.unchanged(record) {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO sessions (id, data, expiry_date, user_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, \
             expiry_date = excluded.expiry_date, user_id = excluded.user_id",
        )
        .bind(record.id.to_string())
        .bind(&data)
        .bind(expiry_micros(record))
        .bind(user_id(record))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        self.remember(&record.id, &record.data, expiry_micros(record));
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        #[derive(sqlx::FromRow)]
        struct SessionRow {
            data: String,
            expiry_date: i64,
        }
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT data, expiry_date FROM sessions WHERE id = $1 AND expiry_date > $2",
        )
        .bind(id.to_string())
        .bind(now_micros())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(SessionRow {
            data,
            expiry_date: expiry,
        }) = row
        else {
            return Ok(None);
        };
        let data: SessionData =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        self.remember(id, &data, expiry);
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expiry) * 1000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.remove(&id.to_string());
        }
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expiry_date <= $1")
            .bind(now_micros())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Ends every session of one user (after a password change or account deletion),
/// except `keep`.
pub async fn delete_user_sessions(
    pool: &AnyPool,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(pool)
        .await?;
    Ok(())
}
