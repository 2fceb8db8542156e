//! Supporting (støtte) and following proposals. One row per person; the stored
//! supporter count is kept by a database trigger in the same statement.
use super::time::now_micros;
use super::DbError;
use crate::domain::ids::{ProposalId, UserId};
use sqlx::AnyPool;

/// Adds the support if it is not there. Returns the count after.
pub async fn support(pool: &AnyPool, id: ProposalId, user: UserId) -> Result<i64, DbError> {
    sqlx::query(
        "INSERT INTO proposal_supports (proposal_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(id.0)
    .bind(user.0)
    .bind(now_micros())
    .execute(pool)
    .await?;
    count(pool, id).await
}

/// Removes the support if it is there. Returns the count after.
pub async fn unsupport(pool: &AnyPool, id: ProposalId, user: UserId) -> Result<i64, DbError> {
    sqlx::query("DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2")
        .bind(id.0)
        .bind(user.0)
        .execute(pool)
        .await?;
    count(pool, id).await
}

/// The stored supporter count.
pub async fn count(pool: &AnyPool, id: ProposalId) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar("SELECT supporters FROM proposals WHERE id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?
            .unwrap_or(0),
    )
}

pub async fn follow(pool: &AnyPool, id: ProposalId, user: UserId, on: bool) -> Result<(), DbError> {
    if on {
        sqlx::query(
            "INSERT INTO proposal_follows (proposal_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(now_micros())
        .execute(pool)
        .await?;
    } else {
        sqlx::query("DELETE FROM proposal_follows WHERE proposal_id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(user.0)
            .execute(pool)
            .await?;
    }
    Ok(())
}
