//! Logins at identity providers linked to accounts, and the logins under way (flows).
use super::time::{now_micros, to_datetime};
use super::{is_unique_violation, DbError};
use crate::domain::identity::may_unlink;
use crate::domain::ids::{IdentityId, SchoolId, UserId};
use sqlx::AnyPool;

/// A login under way, as stored while the browser is at the provider.
pub struct NewFlow<'a> {
    pub state_hash: &'a str,
    pub browser_hash: &'a str,
    pub provider: &'a str,
    pub nonce: &'a str,
    pub pkce_verifier: &'a str,
    /// Some: an identity is being linked to this account; None: a login.
    pub link_to: Option<UserId>,
    pub ttl_secs: i64,
}

/// A login under way, taken back by its callback. Never serialised.
#[derive(sqlx::FromRow)]
pub struct FlowRow {
    pub browser_hash: String,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub user_id: Option<i64>,
    pub expires_at: i64,
}

/// Stores a flow; expired flows are swept out on the way.
pub async fn insert_flow(pool: &AnyPool, flow: NewFlow<'_>) -> Result<(), DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    sqlx::query("DELETE FROM oidc_flows WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO oidc_flows (state_hash, browser_hash, provider, nonce, pkce_verifier, \
         purpose, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(flow.state_hash)
    .bind(flow.browser_hash)
    .bind(flow.provider)
    .bind(flow.nonce)
    .bind(flow.pkce_verifier)
    .bind(if flow.link_to.is_some() {
        "link"
    } else {
        "login"
    })
    .bind(flow.link_to.map(|u| u.0))
    .bind(now)
    .bind(now + flow.ttl_secs * 1_000_000)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes the flow with this state: it is deleted in the same statement, so one state
/// finishes at most one login, however many callbacks arrive.
pub async fn take_flow(pool: &AnyPool, state_hash: &str) -> Result<Option<FlowRow>, DbError> {
    Ok(sqlx::query_as(
        "DELETE FROM oidc_flows WHERE state_hash = $1 RETURNING browser_hash, provider, nonce, \
         pkce_verifier, user_id, expires_at",
    )
    .bind(state_hash)
    .fetch_optional(pool)
    .await?)
}

/// Whether the flow has run out.
pub fn flow_expired(flow: &FlowRow) -> bool {
    flow.expires_at < now_micros()
}

/// The live account this login belongs to, noting the login.
pub async fn login_user(
    pool: &AnyPool,
    provider: &str,
    subject: &str,
) -> Result<Option<UserId>, DbError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT i.user_id FROM user_identities i JOIN users u ON u.id = i.user_id \
         WHERE i.provider = $1 AND i.subject = $2 AND u.status <> 'deleted'",
    )
    .bind(provider)
    .bind(subject)
    .fetch_optional(pool)
    .await?;
    if id.is_some() {
        sqlx::query(
            "UPDATE user_identities SET last_login_at = $1 WHERE provider = $2 AND subject = $3",
        )
        .bind(now_micros())
        .bind(provider)
        .bind(subject)
        .execute(pool)
        .await?;
    }
    Ok(id.map(UserId))
}

/// The first of these institution numbers that is one of the municipality's (not archived)
/// schools.
pub async fn school_by_institution(
    pool: &AnyPool,
    institutions: &[String],
) -> Result<Option<SchoolId>, DbError> {
    for number in institutions {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM schools WHERE institution_number = $1 AND archived_at IS NULL",
        )
        .bind(number)
        .fetch_optional(pool)
        .await?;
        if let Some(id) = id {
            return Ok(Some(SchoolId(id)));
        }
    }
    Ok(None)
}

/// Links a login to an account inside the caller's transaction. A login already linked
/// (to anyone) is a conflict the caller reads with [`linked_to`].
pub async fn insert_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
    provider: &str,
    subject: &str,
) -> Result<bool, DbError> {
    let now = now_micros();
    let done = sqlx::query(
        "INSERT INTO user_identities (user_id, provider, subject, created_at, last_login_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(user.0)
    .bind(provider)
    .bind(subject)
    .bind(now)
    .execute(&mut **tx)
    .await;
    match done {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// What linking a login to an account came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked,
    /// This login was linked to this account already (a second callback, a stale tab).
    AlreadyThis,
    /// This login belongs to another account.
    Elsewhere,
    /// The account has another login at this provider.
    ProviderTaken,
}

/// Links a login to `user`.
pub async fn link(
    pool: &AnyPool,
    user: UserId,
    provider: &str,
    subject: &str,
) -> Result<LinkOutcome, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let owner = linked_to_tx(&mut tx, provider, subject).await?;
    let outcome = match owner {
        Some(o) if o == user => LinkOutcome::AlreadyThis,
        Some(_) => LinkOutcome::Elsewhere,
        None => {
            let has: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM user_identities WHERE user_id = $1 AND provider = $2",
            )
            .bind(user.0)
            .bind(provider)
            .fetch_one(&mut *tx)
            .await?;
            if has > 0 {
                LinkOutcome::ProviderTaken
            } else if insert_tx(&mut tx, user, provider, subject).await? {
                LinkOutcome::Linked
            } else {
                // Linked by a concurrent request between the check and the insert.
                LinkOutcome::Elsewhere
            }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

async fn linked_to_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    provider: &str,
    subject: &str,
) -> Result<Option<UserId>, DbError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2",
    )
    .bind(provider)
    .bind(subject)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id.map(UserId))
}

/// One linked login, as stored.
pub struct IdentityRow {
    pub id: IdentityId,
    pub provider: String,
    pub linked_at: chrono::DateTime<chrono::Utc>,
    pub last_login_at: chrono::DateTime<chrono::Utc>,
}

/// The caller's linked logins (oldest first) and whether the account has a password.
pub async fn of_user(pool: &AnyPool, user: UserId) -> Result<(bool, Vec<IdentityRow>), DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        provider: String,
        created_at: i64,
        last_login_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, provider, created_at, last_login_at FROM user_identities \
         WHERE user_id = $1 ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    let has_password: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE id = $1 AND password_hash IS NOT NULL",
    )
    .bind(user.0)
    .fetch_one(pool)
    .await?;
    Ok((
        has_password > 0,
        rows.into_iter()
            .map(|r| IdentityRow {
                id: IdentityId(r.id),
                provider: r.provider,
                linked_at: to_datetime(r.created_at),
                last_login_at: to_datetime(r.last_login_at),
            })
            .collect(),
    ))
}

/// What removing a linked login came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlinkOutcome {
    Removed,
    /// Not this account's login (or gone already: a second click).
    NotFound,
    /// The account's last way in: kept.
    LastWayIn,
}

/// Removes one of `user`'s linked logins unless it is their last way in. The account row
/// is locked first (PostgreSQL), so two removals at once cannot both see "one more left".
pub async fn unlink(
    pool: &AnyPool,
    user: UserId,
    identity: IdentityId,
) -> Result<UnlinkOutcome, DbError> {
    let mut tx = super::write_tx(pool).await?;
    if !super::is_sqlite(pool) {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
    }
    let has_password: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE id = $1 AND password_hash IS NOT NULL",
    )
    .bind(user.0)
    .fetch_one(&mut *tx)
    .await?;
    let mine: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM user_identities WHERE id = $1 AND user_id = $2")
            .bind(identity.0)
            .bind(user.0)
            .fetch_one(&mut *tx)
            .await?;
    if mine == 0 {
        return Ok(UnlinkOutcome::NotFound);
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_identities WHERE user_id = $1")
        .bind(user.0)
        .fetch_one(&mut *tx)
        .await?;
    if !may_unlink(has_password > 0, usize::try_from(count).unwrap_or(0)) {
        return Ok(UnlinkOutcome::LastWayIn);
    }
    sqlx::query("DELETE FROM user_identities WHERE id = $1 AND user_id = $2")
        .bind(identity.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(UnlinkOutcome::Removed)
}
