//! The hearing figures of "Bliver vi hørt?": one row per hearing sent in a year, with its
//! councils' outcomes counted in the same query (no query per hearing), and the hearings
//! whose feedback is late.
use super::time::to_datetime;
use super::DbError;
use crate::domain::heard::{HearingHeardRow, OverdueHearing};
use crate::domain::ids::HearingId;
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

/// Hearings sent in [`start`, `end`), each with its councils' outcomes.
pub async fn hearing_rows(
    pool: &AnyPool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<HearingHeardRow>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        respond_by: i64,
        feedback_by: i64,
        feedback_at: Option<i64>,
        asked: i64,
        responded: i64,
        declined: i64,
        used: i64,
        partly: i64,
        not_used: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.respond_by, h.feedback_by, h.feedback_at, \
         CAST(COUNT(*) AS BIGINT) AS asked, \
         CAST(SUM(CASE WHEN c.status = 'responded' THEN 1 ELSE 0 END) AS BIGINT) AS responded, \
         CAST(SUM(CASE WHEN c.status = 'declined' THEN 1 ELSE 0 END) AS BIGINT) AS declined, \
         CAST(SUM(CASE WHEN h.status = 'feedback_given' AND c.use_kind = 'used' THEN 1 ELSE 0 END) AS BIGINT) AS used, \
         CAST(SUM(CASE WHEN h.status = 'feedback_given' AND c.use_kind = 'partly' THEN 1 ELSE 0 END) AS BIGINT) AS partly, \
         CAST(SUM(CASE WHEN h.status = 'feedback_given' AND c.use_kind = 'not_used' THEN 1 ELSE 0 END) AS BIGINT) AS not_used \
         FROM hearings h JOIN hearing_councils c ON c.hearing_id = h.id \
         WHERE h.created_at >= $1 AND h.created_at < $2 \
         GROUP BY h.id, h.respond_by, h.feedback_by, h.feedback_at",
    )
    .bind(start.timestamp_micros())
    .bind(end.timestamp_micros())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HearingHeardRow {
            respond_by: Some(to_datetime(r.respond_by)),
            feedback_by: Some(to_datetime(r.feedback_by)),
            feedback_at: r.feedback_at.map(to_datetime),
            asked: r.asked,
            responded: r.responded,
            declined: r.declined,
            used: r.used,
            partly: r.partly,
            not_used: r.not_used,
        })
        .collect())
}

/// Hearings without feedback past the feedback deadline, most overdue first.
pub async fn overdue_hearings(
    pool: &AnyPool,
    now: DateTime<Utc>,
) -> Result<Vec<OverdueHearing>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: HearingId,
        title: String,
        committee: String,
        feedback_by: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.id, h.title, c.name AS committee, h.feedback_by FROM hearings h \
         JOIN committees c ON c.id = h.committee_id \
         WHERE h.status = 'open' AND h.feedback_by < $1 ORDER BY h.feedback_by, h.id LIMIT 200",
    )
    .bind(now.timestamp_micros())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OverdueHearing {
            id: r.id,
            title: r.title,
            committee: r.committee,
            feedback_by: to_datetime(r.feedback_by),
        })
        .collect())
}

/// When the first hearing was sent (None when none was).
pub async fn first_sent(pool: &AnyPool) -> Result<Option<DateTime<Utc>>, DbError> {
    let first: Option<i64> = sqlx::query_scalar("SELECT MIN(created_at) FROM hearings")
        .fetch_one(pool)
        .await?;
    Ok(first.map(to_datetime))
}
