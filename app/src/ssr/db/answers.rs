//! Committees, their politicians, and the inbox of proposals waiting for an answer.
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::ids::{ProposalId, UserId};
use crate::domain::proposal::InboxItem;
use sqlx::AnyPool;

/// All committees (id, name), by name.
pub async fn committees(pool: &AnyPool) -> Result<Vec<(i64, String)>, DbError> {
    Ok(
        sqlx::query_as("SELECT id, name FROM committees ORDER BY name")
            .fetch_all(pool)
            .await?,
    )
}

/// Creates a committee if it does not exist; returns its id.
pub async fn ensure_committee(pool: &AnyPool, name: &str) -> Result<i64, DbError> {
    sqlx::query("INSERT INTO committees (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(name)
        .bind(now_micros())
        .execute(pool)
        .await?;
    Ok(
        sqlx::query_scalar("SELECT id FROM committees WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await?,
    )
}

pub async fn add_member(pool: &AnyPool, committee: i64, user: UserId) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO committee_members (committee_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(committee)
    .bind(user.0)
    .execute(pool)
    .await?;
    Ok(())
}

/// Is `user` a member of the committee the proposal was forwarded to?
pub async fn may_answer(
    pool: &AnyPool,
    proposal: ProposalId,
    user: UserId,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM proposals p JOIN committee_members m ON m.committee_id = p.committee_id \
         WHERE p.id = $1 AND m.user_id = $2",
    )
    .bind(proposal.0)
    .bind(user.0)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Proposals waiting for an answer from `user`'s committees (all of them with `all`),
/// earliest deadline first — so the overdue ones come first.
pub async fn inbox(pool: &AnyPool, user: UserId, all: bool) -> Result<Vec<InboxItem>, DbError> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.title, c.name, p.committee, p.deadline_at FROM proposals p \
         JOIN councils c ON c.id = p.council_id \
         WHERE p.status = 'forwarded' AND p.visibility <> 'hidden' AND ($1 = 1 OR p.committee_id IN \
         (SELECT committee_id FROM committee_members WHERE user_id = $2)) \
         ORDER BY p.deadline_at, p.id LIMIT 500",
    )
    .bind(i64::from(all))
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, council, committee, deadline)| InboxItem {
            id: ProposalId(id),
            title,
            council,
            committee,
            deadline: to_datetime(deadline),
        })
        .collect())
}

/// Who answered and the reason category, for the proposal page.
pub async fn answer_meta(
    pool: &AnyPool,
    proposal: ProposalId,
) -> Result<Option<(Option<String>, Option<String>)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT answered_by, answer_reason FROM proposals WHERE id = $1 AND status = 'answered'",
    )
    .bind(proposal.0)
    .fetch_optional(pool)
    .await?)
}
