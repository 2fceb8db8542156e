//! In-app notifications, and (by each person's choice) their mails: written in the
//! same transaction, see [`super::mail`].
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::ids::{NotificationId, ProposalId, UserId};
use crate::domain::notification::{Notification, NotificationKind, NotificationPage};
use sqlx::AnyPool;

/// Notifies the author and every follower of `id` (not the one who acted), inside the
/// transaction that made the change.
pub async fn notify_followers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: ProposalId,
    kind: NotificationKind,
    actor: Option<UserId>,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, proposal_id, kind, created_at) \
         SELECT w.user_id, $1, $2, $3 FROM ( \
             SELECT author_id AS user_id FROM proposals WHERE id = $4 \
             UNION SELECT user_id FROM proposal_follows WHERE proposal_id = $5 \
         ) w JOIN users u ON u.id = w.user_id WHERE u.status <> 'deleted' AND w.user_id <> $6",
    )
    .bind(id.0)
    .bind(kind.as_str())
    .bind(at)
    .bind(id.0)
    .bind(id.0)
    .bind(actor.map(|a| a.0).unwrap_or(0))
    .execute(&mut **tx)
    .await?;
    super::mail::queue_instant_tx(tx, id, kind, at).await?;
    Ok(())
}

/// Notifies only the author (e.g. their proposal was approved or hidden).
pub async fn notify_author(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: ProposalId,
    kind: NotificationKind,
) -> Result<(), DbError> {
    let at = now_micros();
    sqlx::query(
        "INSERT INTO notifications (user_id, proposal_id, kind, created_at) \
         SELECT author_id, id, $1, $2 FROM proposals WHERE id = $3",
    )
    .bind(kind.as_str())
    .bind(at)
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    super::mail::queue_instant_tx(tx, id, kind, at).await?;
    Ok(())
}

/// id, proposal, title, kind, created, read, proposal visibility.
#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: NotificationId,
    proposal_id: Option<ProposalId>,
    hearing_id: Option<crate::domain::ids::HearingId>,
    title: String,
    kind: NotificationKind,
    created_at: i64,
    read_at: Option<i64>,
    visibility: String,
}

/// A page of the user's notifications, newest first.
pub async fn list(
    pool: &AnyPool,
    user: UserId,
    before: Option<NotificationId>,
    limit: i64,
) -> Result<NotificationPage, DbError> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, n.proposal_id, n.hearing_id, COALESCE(p.title, h.title, '') AS title, n.kind, \
         n.created_at, n.read_at, COALESCE(p.visibility, 'published') AS visibility \
         FROM notifications n LEFT JOIN proposals p ON p.id = n.proposal_id \
         LEFT JOIN hearings h ON h.id = n.hearing_id \
         WHERE n.user_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3",
    )
    .bind(user.0)
    .bind(before.map(|b| b.0).unwrap_or(i64::MAX))
    .bind(limit + 1)
    .fetch_all(pool)
    .await?;
    let unread: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user.0)
    .fetch_one(pool)
    .await?;
    let mut items: Vec<Notification> = rows
        .into_iter()
        .map(|r| Notification {
            id: r.id,
            proposal_id: r.proposal_id,
            hearing_id: r.hearing_id,
            proposal_title: if r.visibility == "hidden" {
                String::new()
            } else {
                r.title
            },
            kind: r.kind,
            at: to_datetime(r.created_at),
            read: r.read_at.is_some(),
        })
        .collect();
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|n| n.id)
    } else {
        None
    };
    Ok(NotificationPage {
        items,
        unread,
        next,
    })
}

/// Marks one (or, with None, all) of the user's notifications as read.
pub async fn mark_read(
    pool: &AnyPool,
    user: UserId,
    id: Option<NotificationId>,
) -> Result<u64, DbError> {
    let result = match id {
        Some(id) => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL",
            )
            .bind(now_micros())
            .bind(user.0)
            .bind(id.0)
            .execute(pool)
            .await?
        }
        None => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
            )
            .bind(now_micros())
            .bind(user.0)
            .execute(pool)
            .await?
        }
    };
    Ok(result.rows_affected())
}
